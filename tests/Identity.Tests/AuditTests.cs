using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>The audit trail per account: what happened, when and from which address; admins only, paged.</summary>
[Collection(IdentityCollection.Name)]
public sealed class AuditTests(IdentityPlatform platform)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task failed_attempts_the_lockout_and_a_sign_in_are_recorded_newest_first_with_the_visitors_address_from_the_gateway()
    {
        var authority = new AuthorityTests(platform);
        var account = await authority.CreateAccountAsync("network-manager", ["it-achse"]);
        using (var visitor = new Browser(platform.Identity.Address).ForwardedFor("203.0.113.7"))
        {
            using var signedIn = await visitor.SignInAsync(SignInPage, account.Email, account.OneTimePassword);
            Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        }
        using (var attacker = new Browser(platform.Identity.Address).ForwardedFor("198.51.100.23"))
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                using var wrong = await attacker.SignInAsync(SignInPage, account.Email, $"falsch-{attempt}-Passwort");
                Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            }
        }
        using var admin = await authority.AdminClientAsync();

        var trail = await ReadAsync(admin, $"identity/api/accounts/{account.Id}/audit");

        Assert.Equal(8, trail.Total);
        Assert.Equal(["locked-out", "sign-in-failed", "sign-in-failed", "sign-in-failed", "sign-in-failed", "sign-in-failed", "sign-in", "right-gained"],
            trail.Items.Select(i => i.Kind));
        var signIn = Assert.Single(trail.Items, i => i.Kind == "sign-in");
        Assert.Equal("203.0.113.7", signIn.Address);
        Assert.Equal(account.Email, signIn.Email);
        Assert.Equal(account.Id, signIn.AccountId);
        Assert.All(trail.Items.Where(i => i.Kind is "sign-in-failed" or "locked-out"), i => Assert.Equal("198.51.100.23", i.Address));
        Assert.Equal("it-achse", Assert.Single(trail.Items, i => i.Kind == "right-gained").Network);
        Assert.True(trail.Items.Zip(trail.Items.Skip(1)).All(p => p.First.At >= p.Second.At), "newest first");

        // The same entries in the whole trail, filtered by account and kind, and paged.
        var failed = await ReadAsync(admin, $"identity/api/audit?account={account.Id}&kind=sign-in-failed&page=2&pageSize=2");
        Assert.Equal(5, failed.Total);
        Assert.Equal(2, failed.Page);
        Assert.Equal(2, failed.PageSize);
        Assert.Equal(2, failed.Items.Count);
        Assert.All(failed.Items, i => Assert.Equal("sign-in-failed", i.Kind));
        Assert.Equal(trail.Items.Where(i => i.Kind == "sign-in-failed").Skip(2).Take(2).Select(i => i.Id), failed.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task an_address_forwarded_by_someone_other_than_the_gateway_is_not_believed()
    {
        // An identity that trusts only another gateway address: the test's 127.0.0.1 is just a visitor there.
        await using var identity = platform.StartIdentity(SqliteFiles.NewDatabase("identity-untrusted"), "untrusted", gatewayAddress: "192.0.2.1");
        var (email, password) = await platform.ReadInitialAdminAsync("untrusted");
        using (var visitor = new Browser(identity.Address).ForwardedFor("203.0.113.9"))
        {
            using var signedIn = await visitor.SignInAsync(new Uri(identity.Address, "identity/anmelden"), email, password);
            Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        }
        var tokens = await new Browser(identity.Address).CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, email, password);
        using var admin = new HttpClient { BaseAddress = identity.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        var trail = await ReadAsync(admin, "identity/api/audit?kind=sign-in");

        Assert.Equal(2, trail.Total);
        Assert.All(trail.Items, i =>
        {
            Assert.Equal("127.0.0.1", i.Address);
            Assert.Equal(email, i.Email);
        });
    }

    [Fact]
    public async Task only_admins_read_the_audit_trail()
    {
        var authority = new AuthorityTests(platform);
        var manager = await authority.CreateAccountAsync("network-manager", ["it-achse"]);
        var tokens = await new Browser(platform.Identity.Address).CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, manager.Email, manager.OneTimePassword);
        using var client = new HttpClient { BaseAddress = platform.Identity.Address };

        using (var anonymous = await client.GetAsync(new Uri("identity/api/audit", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using (var all = await client.GetAsync(new Uri("identity/api/audit", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, all.StatusCode);
        }
        using (var own = await client.GetAsync(new Uri($"identity/api/accounts/{manager.Id}/audit", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        }
        // The platform's development tokens are not identity's: its API accepts only its own.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.For("admin"));
        using var development = await client.GetAsync(new Uri("identity/api/audit", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, development.StatusCode);
    }

    [Theory]
    [InlineData("identity/api/audit?page=0", "page")]
    [InlineData("identity/api/audit?pageSize=201", "pageSize")]
    [InlineData("identity/api/audit?pageSize=0", "pageSize")]
    [InlineData("identity/api/audit?page=100000&pageSize=200", "page")]
    [InlineData("identity/api/audit?kind=deleted", "kind")]
    public async Task bad_paging_or_an_unknown_kind_is_a_400_naming_the_field(string path, string field)
    {
        using var admin = await new AuthorityTests(platform).AdminClientAsync();

        using var response = await admin.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {problem}");
    }

    [Fact]
    public async Task the_audit_of_an_unknown_account_is_a_404()
    {
        using var admin = await new AuthorityTests(platform).AdminClientAsync();

        using var response = await admin.GetAsync(new Uri($"identity/api/accounts/{Guid.NewGuid()}/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_appointed_manager_is_invited_sets_a_password_and_the_rights_gained_and_lost_by_events_are_recorded()
    {
        const string slug = "logistikachse-ems";
        var authority = new AuthorityTests(platform);
        using var browser = new Browser(platform.Identity.Address);
        var adminTokens = await browser.CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, platform.AdminEmail, platform.AdminPassword);
        using var networks = new HttpClient { BaseAddress = platform.Networks.Address };
        networks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminTokens.AccessToken);
        var email = $"hanna-{Guid.NewGuid():N}@logistik.example.org";
        using var appointed = await networks.PostAsJsonAsync(new Uri($"/api/networks/{slug}/managers", UriKind.Relative), new { name = "Hanna Hafen", email });
        Assert.Equal(HttpStatusCode.Created, appointed.StatusCode);
        var managerId = (await appointed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var link = await ManagerRightsTests.InvitationLinkAsync(platform.MailFolder, email, platform.Identity.Address);
        using (var setUp = await ManagerRightsTests.SetPasswordAsync(new Browser(platform.Identity.Address).ForwardedFor("203.0.113.44"), link, "Hanna-Hafen-2026!"))
        {
            Assert.Contains("set-up-done", await setUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var removed = await networks.DeleteAsync(new Uri($"/api/networks/{slug}/managers/{managerId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        using var admin = await authority.AdminClientAsync();

        await Eventually.SucceedsAsync(async () =>
        {
            var lost = await ReadAsync(admin, "identity/api/audit?kind=right-lost&pageSize=200");
            Assert.Contains(lost.Items, i => i.Email == email);
        });

        var accountId = (await ReadAsync(admin, "identity/api/audit?kind=invited&pageSize=200")).Items.Single(i => i.Email == email).AccountId;
        var trail = await ReadAsync(admin, $"identity/api/accounts/{accountId}/audit");
        Assert.Equal(["right-lost", "password-set", "right-gained", "invited"], trail.Items.Select(i => i.Kind));
        Assert.Equal(4, trail.Total);
        Assert.Equal("203.0.113.44", trail.Items[1].Address);
        Assert.Null(trail.Items[1].Network);
        Assert.All(trail.Items.Where(i => i.Kind != "password-set"), i =>
        {
            Assert.Equal(slug, i.Network);
            Assert.Null(i.Address);
        });
    }

    private static async Task<AuditPage> ReadAsync(HttpClient admin, string path)
    {
        using var response = await admin.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<AuditPage>(body, Web)!;
    }

    private Uri SignInPage => new(platform.Identity.Address, "identity/anmelden");
}

public sealed record AuditPage(List<AuditRecord> Items, int Page, int PageSize, long Total);

public sealed record AuditRecord(long Id, DateTimeOffset At, string AccountId, string Email, string Kind, string? Network, string? Address);
