extern alias identity;

using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>Password reset by mail, changing the password while signed in, resending an invitation, and SMTP.</summary>
[Collection(IdentityCollection.Name)]
public sealed class PasswordTests(IdentityPlatform platform)
{
    private const string NewPassword = "Neues-Passwort-2026!";

    [Fact]
    public async Task a_reset_request_answers_the_same_for_an_unknown_address_and_mails_a_one_time_link_to_a_known_one()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["it-achse"]);
        using var browser = new Browser(platform.Identity.Address);

        using var unknown = await browser.SubmitFormAsync(ForgottenPage, new() { ["Email"] = $"niemand-{Guid.NewGuid():N}@example.org" });
        using var known = await browser.SubmitFormAsync(ForgottenPage, new() { ["Email"] = account.Email });

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        var unknownText = WithoutTokens(await unknown.Content.ReadAsStringAsync());
        Assert.Contains("Wenn zu dieser Adresse ein Zugang besteht", unknownText, StringComparison.Ordinal);
        Assert.Equal(unknownText, WithoutTokens(await known.Content.ReadAsStringAsync()));

        var link = await Mails.LinkAsync(platform.MailFolder, account.Email, "passwort-neu", platform.Identity.Address);
        using (var reset = await SetAsync(browser, link, NewPassword))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
            Assert.Contains("reset-done", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Used once, the link is refused on the page and on the form; the new password signs in, the old one no more.
        using (var again = await browser.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
            Assert.Contains("abgelaufen oder wurde bereits verwendet", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var second = await browser.PostWithTokenFromAsync(ForgottenPage, link,
            new() { ["Token"] = Mails.TokenOf(link), ["Password"] = "Ganz-Anders-2026!", ["Repeat"] = "Ganz-Anders-2026!" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        }
        using (var old = await new Browser(platform.Identity.Address).SignInAsync(SignInPage, account.Email, account.OneTimePassword))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }
        using (var signedIn = await new Browser(platform.Identity.Address).SignInAsync(SignInPage, account.Email, NewPassword))
        {
            Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        }
        using var admin = await new AuthorityTests(platform).AdminClientAsync();
        var trail = await admin.GetFromJsonAsync<AuditPage>(new Uri($"identity/api/accounts/{account.Id}/audit?kind=password-reset", UriKind.Relative), Web);
        Assert.Equal(1, trail!.Total);
    }

    [Fact]
    public async Task a_reset_link_is_refused_once_expired_and_a_forged_one_always()
    {
        await using var identity = platform.StartIdentity(SqliteFiles.NewDatabase("identity-reset-expiry"), "reset-expiry",
            extra: new() { ["Identity:PasswordResetLifespan"] = "00:00:01" });
        var (email, _) = await platform.ReadInitialAdminAsync("reset-expiry");
        using var browser = new Browser(identity.Address);
        // Every instance's first admin has the same address, and all share the mail folder: count the mails before.
        var before = (await Mails.ToAsync(platform.MailFolder, email, "passwort-neu")).Count;
        using (var requested = await browser.SubmitFormAsync(new Uri(identity.Address, "identity/passwort-vergessen"), new() { ["Email"] = email }))
        {
            Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        }
        var link = await Mails.LinkAsync(platform.MailFolder, email, "passwort-neu", identity.Address, atLeast: before + 1);
        await Task.Delay(TimeSpan.FromSeconds(2));

        using (var expired = await browser.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        }
        using (var forged = await browser.GetAsync(new Uri(identity.Address, "identity/passwort-neu?token=bm90LWEtdG9rZW4")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        using var empty = await browser.GetAsync(new Uri(identity.Address, "identity/passwort-neu"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task a_reset_with_two_different_passwords_or_a_weak_one_changes_nothing()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["mema"]);
        using var browser = new Browser(platform.Identity.Address);
        using (await browser.SubmitFormAsync(ForgottenPage, new() { ["Email"] = account.Email }))
        {
        }
        var link = await Mails.LinkAsync(platform.MailFolder, account.Email, "passwort-neu", platform.Identity.Address);

        using (var mismatch = await browser.SubmitFormAsync(link, new() { ["Token"] = Mails.TokenOf(link), ["Password"] = NewPassword, ["Repeat"] = NewPassword + "x" }))
        {
            Assert.Contains("stimmen nicht überein", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var weak = await SetAsync(browser, link, "kurz"))
        {
            Assert.Contains("erfüllt die Anforderungen nicht", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The link still works, and the old password still signs in.
        using (var page = await browser.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        using var old = await new Browser(platform.Identity.Address).SignInAsync(SignInPage, account.Email, account.OneTimePassword);
        Assert.Equal(HttpStatusCode.Found, old.StatusCode);
    }

    [Fact]
    public async Task the_signed_in_person_changes_the_password_after_proving_the_current_one()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["it-achse"]);
        using var browser = new Browser(platform.Identity.Address);
        using (var anonymous = await browser.GetAsync(ChangePage))
        {
            Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
            Assert.Equal("/identity/anmelden", anonymous.Headers.Location!.AbsolutePath);
        }
        using (var signedIn = await browser.SignInAsync(SignInPage, account.Email, account.OneTimePassword))
        {
            Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        }

        using (var wrong = await browser.SubmitFormAsync(ChangePage, new() { ["Current"] = "nicht-das-Passwort-1", ["Password"] = NewPassword, ["Repeat"] = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Das bisherige Passwort ist nicht richtig.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var mismatch = await browser.SubmitFormAsync(ChangePage, new() { ["Current"] = account.OneTimePassword, ["Password"] = NewPassword, ["Repeat"] = "etwas-anderes" }))
        {
            Assert.Contains("stimmen nicht überein", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var changed = await browser.SubmitFormAsync(ChangePage, new() { ["Current"] = account.OneTimePassword, ["Password"] = NewPassword, ["Repeat"] = NewPassword }))
        {
            Assert.Contains("change-done", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var old = await new Browser(platform.Identity.Address).SignInAsync(SignInPage, account.Email, account.OneTimePassword))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }
        var tokens = await new Browser(platform.Identity.Address).CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, account.Email, NewPassword);
        Assert.Equal(["it-achse"], ManagerRightsTests.Networks(tokens.AccessToken));
        using var admin = await new AuthorityTests(platform).AdminClientAsync();
        var trail = await admin.GetFromJsonAsync<AuditPage>(new Uri($"identity/api/accounts/{account.Id}/audit?kind=password-set", UriKind.Relative), Web);
        Assert.Equal(1, trail!.Total);
    }

    [Fact]
    public async Task a_change_without_the_anti_forgery_token_is_refused()
    {
        using var http = new HttpClient { BaseAddress = platform.Identity.Address };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = platform.AdminEmail });

        using var response = await http.PostAsync(ForgottenPage, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task an_admin_resends_an_invitation_and_only_the_newest_link_works()
    {
        using var browser = new Browser(platform.Identity.Address);
        var adminTokens = await browser.CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, platform.AdminEmail, platform.AdminPassword);
        using var networks = new HttpClient { BaseAddress = platform.Networks.Address };
        networks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminTokens.AccessToken);
        var email = $"ida-{Guid.NewGuid():N}@tourismus.example.org";
        using (var appointed = await networks.PostAsJsonAsync(new Uri("/api/networks/tourismus/managers", UriKind.Relative), new { name = "Ida Insel", email }))
        {
            Assert.Equal(HttpStatusCode.Created, appointed.StatusCode);
        }
        var first = await Mails.LinkAsync(platform.MailFolder, email, "einrichten", platform.Identity.Address);
        using var admin = await new AuthorityTests(platform).AdminClientAsync();
        var accountId = (await admin.GetFromJsonAsync<AuditPage>(new Uri("identity/api/audit?kind=invited&pageSize=200", UriKind.Relative), Web))!
            .Items.Single(i => i.Email == email).AccountId;

        using (var resent = await admin.PostAsync(new Uri($"identity/api/accounts/{accountId}/invitation", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        }
        var second = await Mails.LinkAsync(platform.MailFolder, email, "einrichten", platform.Identity.Address, atLeast: 2);

        Assert.NotEqual(first, second);
        using (var old = await browser.GetAsync(first))
        {
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        }
        using (var setUp = await ManagerRightsTests.SetPasswordAsync(browser, second, "Ida-Insel-2026!"))
        {
            Assert.Contains("set-up-done", await setUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Set up, the account needs no invitation any more; an unknown one has none.
        using (var again = await admin.PostAsync(new Uri($"identity/api/accounts/{accountId}/invitation", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        }
        using (var unknown = await admin.PostAsync(new Uri($"identity/api/accounts/{Guid.NewGuid()}/invitation", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        var trail = await admin.GetFromJsonAsync<AuditPage>(new Uri($"identity/api/accounts/{accountId}/audit?kind=invited", UriKind.Relative), Web);
        Assert.Equal(2, trail!.Total);
    }

    [Fact]
    public async Task only_admins_resend_invitations()
    {
        var manager = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["it-achse"]);
        var tokens = await new Browser(platform.Identity.Address).CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, manager.Email, manager.OneTimePassword);
        using var client = new HttpClient { BaseAddress = platform.Identity.Address };
        using (var anonymous = await client.PostAsync(new Uri($"identity/api/accounts/{manager.Id}/invitation", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        using var refused = await client.PostAsync(new Uri($"identity/api/accounts/{manager.Id}/invitation", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task outside_the_mail_folder_the_mail_goes_out_over_smtp()
    {
        var store = new CollectingStore();
        var port = Ports.Free();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).IsSecure(false)).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        var smtp = new SmtpServer.SmtpServer(options, services);
        using var stop = new CancellationTokenSource();
        var running = smtp.StartAsync(stop.Token);
        try
        {
            await using var identity = platform.StartIdentity(SqliteFiles.NewDatabase("identity-smtp"), "smtp", extra: new()
            {
                ["Identity:MailFolder"] = null,
                ["Identity:Mail:Host"] = "127.0.0.1",
                ["Identity:Mail:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Identity:Mail:Security"] = "None",
                ["Identity:Mail:Sender"] = "plattform@ems-achse.example.org",
            });
            var (email, _) = await platform.ReadInitialAdminAsync("smtp");
            using var browser = new Browser(identity.Address);

            using (await browser.SubmitFormAsync(new Uri(identity.Address, "identity/passwort-vergessen"), new() { ["Email"] = email }))
            {
            }

            MimeMessage? mail = null;
            await Eventually.SucceedsAsync(() =>
            {
                Assert.True(store.Messages.TryPeek(out mail), "no mail arrived over SMTP");
                return Task.CompletedTask;
            });
            Assert.Equal("plattform@ems-achse.example.org", mail!.From.Mailboxes.Single().Address);
            Assert.Equal(email, mail.To.Mailboxes.Single().Address);
            Assert.Equal("Neues Passwort für die Ems-Achse-Plattform", mail.Subject);
            using var page = await browser.GetAsync(Mails.OnIdentity(Mails.LinkIn(mail, "passwort-neu"), identity.Address));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        finally
        {
            await stop.CancelAsync();
            smtp.Shutdown();
            await smtp.ShutdownTask;
        }
    }

    [Theory]
    [InlineData(null, 587, "StartTls", "no-reply@ems-achse.example.org", "Mail.Host")]
    [InlineData("smtp.example.org", 0, "StartTls", "no-reply@ems-achse.example.org", "Mail.Port")]
    [InlineData("smtp.example.org", 25, "None", "no-reply@ems-achse.example.org", "Mail.Security")]
    [InlineData("smtp.example.org", 587, "StartTls", "keine-adresse", "Mail.Sender")]
    public void outside_development_smtp_settings_are_checked_at_start(string? host, int port, string security, string sender, string member)
    {
        var settings = new identity::EmsAchse.Identity.IdentityServiceOptions
        {
            Issuer = new Uri("https://ems-achse.example.org/identity/"),
            SigningCertificates = [new() { Path = "signing.pfx" }],
            EncryptionCertificates = [new() { Path = "encryption.pfx" }],
            Mail = new() { Host = host, Port = port, Security = Enum.Parse<identity::EmsAchse.Identity.Mail.MailSecurity>(security), Sender = sender },
        };

        var failures = settings.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(settings)).ToList();

        Assert.Contains(failures, f => f.MemberNames.Contains(member));
        Assert.Single(failures);
    }

    [Fact]
    public void valid_smtp_settings_pass_and_the_mail_folder_needs_no_smtp()
    {
        var settings = new identity::EmsAchse.Identity.IdentityServiceOptions
        {
            Issuer = new Uri("https://ems-achse.example.org/identity/"),
            SigningCertificates = [new() { Path = "signing.pfx" }],
            EncryptionCertificates = [new() { Path = "encryption.pfx" }],
            Mail = new() { Host = "smtp.example.org", Port = 465, Security = identity::EmsAchse.Identity.Mail.MailSecurity.SslOnConnect },
        };
        Assert.Empty(settings.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(settings)));

        settings.Mail = new() { Host = null, Security = identity::EmsAchse.Identity.Mail.MailSecurity.None };
        settings.MailFolder = "/var/lib/emsachse/mail";
        Assert.Empty(settings.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(settings)));
    }

    private static Task<HttpResponseMessage> SetAsync(Browser browser, Uri link, string password) =>
        browser.SubmitFormAsync(link, new() { ["Token"] = Mails.TokenOf(link), ["Password"] = password, ["Repeat"] = password });

    private static string WithoutTokens(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "value=\"CfDJ8[^\"]*\"", "");

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private Uri SignInPage => new(platform.Identity.Address, "identity/anmelden");

    private Uri ForgottenPage => new(platform.Identity.Address, "identity/passwort-vergessen");

    private Uri ChangePage => new(platform.Identity.Address, "identity/passwort-aendern");

    private sealed class CollectingStore : MessageStore
    {
        public System.Collections.Concurrent.ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
