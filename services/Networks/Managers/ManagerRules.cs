using System.Text.RegularExpressions;

namespace EmsAchse.Networks.Managers;

/// <summary>What a manager's record must satisfy: a name, a usable e-mail address, a plausible phone number if any.</summary>
public static partial class ManagerRules
{
    public static Dictionary<string, string[]> Validate(string? name, string? email, string? phone)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 120 || name.Any(char.IsControl))
        {
            errors["name"] = ["name is required (at most 120 characters)."];
        }
        if (string.IsNullOrWhiteSpace(email) || email.Trim().Length > 254 || !Email().IsMatch(email.Trim()))
        {
            errors["email"] = ["email must be an e-mail address such as name@example.de."];
        }
        if (!string.IsNullOrWhiteSpace(phone) && (!Phone().IsMatch(phone.Trim()) || phone.Count(char.IsAsciiDigit) < 5))
        {
            errors["phone"] = ["phone must be a telephone number of 5-30 characters (digits, spaces, + ( ) / -)."];
        }
        return errors;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"^\+?[0-9 ()/-]{5,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}
