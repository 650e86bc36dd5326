using System.Text.RegularExpressions;
using EmsAchse.TestSupport;
using MimeKit;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>Reads identity's mails from the development mail folder, as a person would open them.</summary>
internal static partial class Mails
{
    /// <summary>The newest mail to <paramref name="email"/> whose link leads to <paramref name="page"/>; that link, on identity's own address.</summary>
    public static async Task<Uri> LinkAsync(string mailFolder, string email, string page, Uri identity, int atLeast = 1)
    {
        List<MimeMessage> mails = [];
        await Eventually.SucceedsAsync(async () =>
        {
            mails = await ToAsync(mailFolder, email, page);
            Assert.True(mails.Count >= atLeast, $"{mails.Count} mails to {email} with a link to {page}, expected {atLeast}");
        });
        return OnIdentity(LinkIn(mails[^1], page), identity);
    }

    public static async Task<List<MimeMessage>> ToAsync(string mailFolder, string email, string page)
    {
        List<MimeMessage> found = [];
        if (!Directory.Exists(mailFolder))
        {
            return found;
        }
        foreach (var file in Directory.GetFiles(mailFolder, "*.eml").Order(StringComparer.Ordinal))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, email, StringComparison.OrdinalIgnoreCase))
                && (message.TextBody ?? "").Contains($"/{page}?token=", StringComparison.Ordinal))
            {
                found.Add(message);
            }
        }
        return found;
    }

    public static Uri LinkIn(MimeMessage message, string page)
    {
        var match = Link().Match(message.TextBody ?? "");
        Assert.True(match.Success, "the mail carries a link");
        var link = new Uri(match.Value);
        Assert.Equal($"/identity/{page}", link.AbsolutePath);
        return link;
    }

    /// <summary>The link names the public issuer; the test reaches identity at its own address.</summary>
    public static Uri OnIdentity(Uri link, Uri identity) => new(identity, link.PathAndQuery.TrimStart('/'));

    public static string TokenOf(Uri link) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query)["token"].ToString();

    [GeneratedRegex(@"https?://\S+/[a-z-]+\?token=[A-Za-z0-9_-]+")]
    private static partial Regex Link();
}
