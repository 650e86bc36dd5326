using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using EmsAchse.Platform.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace EmsAchse.TestSupport;

/// <summary>Tokens as `deploy/run.sh token` makes them: HS256 with the development key.</summary>
public static class DevTokens
{
    public static string For(string role, params string[] networks) =>
        Make(JwtOptions.DevelopmentSigningKey, $"test-{role}", role, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), networks);

    /// <summary>A token for this subject (its own rate-limit bucket at the gateway).</summary>
    public static string ForSubject(string subject, string role) =>
        Make(JwtOptions.DevelopmentSigningKey, subject, role, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), []);

    /// <summary>Correctly signed, but expired ten minutes ago (well beyond the clock skew).</summary>
    public static string Expired(string role) =>
        Make(JwtOptions.DevelopmentSigningKey, $"test-{role}", role, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(-10), []);

    /// <summary>Well-formed and current, but signed with a key nobody trusts.</summary>
    public static string SignedWithAnotherKey(string role) =>
        Make("a-key-that-is-long-enough-for-hs256-but-not-the-platforms-0123456789", $"test-{role}", role, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), []);

    private static string Make(string key, string subject, string role, DateTime notBefore, DateTime expires, string[] networks)
    {
        var claims = new List<Claim> { new("sub", subject), new("name", $"Test {role}"), new("role", role) };
        claims.AddRange(networks.Select(n => new Claim("network", n)));
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken("emsachse-dev", "emsachse", claims, notBefore, expires, credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
