namespace EmsAchse.Identity.Hosting;

/// <summary>
/// The names of the policies that guard identity's own APIs, here below every feature so that each feature's API can
/// require them; the Authority folder defines them (they check this authority's own tokens).
/// </summary>
public static class ApiPolicies
{
    public const string Admin = "identity-admin";
}
