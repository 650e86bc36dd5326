using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using EmsAchse.Platform.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace EmsAchse.TestSupport;

/// <summary>Tokens as `deploy/run.sh token` makes them: HS256 with the development key.</summary>
public static class DevTokens
{
    public static string For(string role, params string[] networks)
    {
        var claims = new List<Claim> { new("sub", $"test-{role}"), new("name", $"Test {role}"), new("role", role) };
        claims.AddRange(networks.Select(n => new Claim("network", n)));
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(JwtOptions.DevelopmentSigningKey)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken("emsachse-dev", "emsachse", claims, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
