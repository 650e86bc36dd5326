using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace EmsAchse.Identity.Accounts;

/// <summary>The query value of a mailed one-time link: the account id and Identity's token together, base64url.</summary>
public static class AccountLinks
{
    public static string Encode(string accountId, string token) =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{accountId}:{token}"));

    public static bool TryDecode(string? value, out string accountId, out string token)
    {
        accountId = token = "";
        if (string.IsNullOrEmpty(value) || value.Length > 4096)
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(value));
        }
        catch (FormatException)
        {
            return false;
        }
        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || separator == decoded.Length - 1)
        {
            return false;
        }
        accountId = decoded[..separator];
        token = decoded[(separator + 1)..];
        return true;
    }
}
