using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using EmsAchse.Platform.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>GDPR erasure leaves no personal data behind, and an erased organisation takes none again.</summary>
[Collection(MembersCollection.Name)]
public sealed class ErasureTests(MembersServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task erase_removes_decision_and_end_reasons_and_the_erased_organisation_refuses_new_personal_data(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        var active = await members.ApplyAsync(id, "it-achse");
        (await members.Admin.PostAsJsonAsync(Url($"/api/members/applications/{active}/approve"), new { reason = "Empfohlen von Anna Abeln" })).EnsureSuccessStatusCode();
        var ended = await members.ApplyAsync(id, "mema");
        (await members.Admin.PostAsync(Url($"/api/members/applications/{ended}/approve"), null)).EnsureSuccessStatusCode();
        (await members.Admin.PostAsJsonAsync(Url($"/api/members/memberships/{ended}/end"), new { reason = "Herr Bruns ist ausgeschieden" })).EnsureSuccessStatusCode();
        await members.AddContactAsync(id, "Anna Abeln", "anna.abeln@example.de", consent: true);

        (await members.Admin.PostAsync(Url($"/api/members/organizations/{id}/erase"), null)).EnsureSuccessStatusCode();

        var export = await members.Admin.GetStringAsync(Url($"/api/members/organizations/{id}/export"));
        Assert.DoesNotContain("Abeln", export, StringComparison.Ordinal);
        Assert.DoesNotContain("Bruns", export, StringComparison.Ordinal);
        var memberships = JsonDocument.Parse(export).RootElement.GetProperty("memberships").EnumerateArray().ToList();
        Assert.Equal(2, memberships.Count);
        Assert.All(memberships, m =>
        {
            Assert.Equal(JsonValueKind.Null, m.GetProperty("decisionReason").ValueKind);
            Assert.Equal(JsonValueKind.Null, m.GetProperty("endReason").ValueKind);
        });
        Assert.DoesNotContain("Bruns", await members.Admin.GetStringAsync(Url($"/api/members/memberships?organization={id}")), StringComparison.Ordinal);

        var before = await members.SnapshotAsync();
        var contact = await members.Admin.PostAsJsonAsync(Url($"/api/members/organizations/{id}/contacts"), new { name = "Neu Kontakt", email = "neu@example.de" });
        var endWithReason = await members.Admin.PostAsJsonAsync(Url($"/api/members/memberships/{active}/end"), new { reason = "Frau Neumann hat gekündigt" });
        var pending = await members.ApplyAsync(id, "mema");
        var afterApplying = await members.SnapshotAsync();
        var rejectWithReason = await members.Admin.PostAsJsonAsync(Url($"/api/members/applications/{pending}/reject"), new { reason = "laut Herrn Neumann" });

        foreach (var refused in new[] { contact, endWithReason, rejectWithReason })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("erased", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.NotEqual(before, afterApplying);
        Assert.Equal(afterApplying, await members.SnapshotAsync());
        Assert.Equal(0, (await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations/{id}/contacts"))).GetArrayLength());
        // Business steps without free text go on.
        Assert.Equal(HttpStatusCode.OK, (await members.Admin.PostAsync(Url($"/api/members/applications/{pending}/reject"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await members.Admin.PostAsync(Url($"/api/members/memberships/{active}/end"), null)).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task erase_redacts_the_rejection_reasons_in_the_outbox_sent_or_not_and_leaves_other_organisations_alone(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        var other = await members.CreateOrganizationAsync(NewOrg("Leer Logistik GmbH", "Leer (Ostfriesland)", "leer"));
        var first = await members.ApplyAsync(id, "it-achse");
        (await members.Admin.PostAsJsonAsync(Url($"/api/members/applications/{first}/reject"), new { reason = "laut Frau Quasthoff" })).EnsureSuccessStatusCode();
        var kept = await members.ApplyAsync(other, "it-achse");
        (await members.Admin.PostAsJsonAsync(Url($"/api/members/applications/{kept}/reject"), new { reason = "laut Herrn Ostendorp" })).EnsureSuccessStatusCode();
        // The first rejection has left for the broker; the second one's row is redacted whether it has or not.
        await EmsAchse.TestSupport.Eventually.SucceedsAsync(async () => Assert.All(await members.OutboxAsync("MembershipRejected"), r => Assert.True(r.Sent)));
        var second = await members.ApplyAsync(id, "mema");
        (await members.Admin.PostAsJsonAsync(Url($"/api/members/applications/{second}/reject"), new { reason = "Herr Quasthoff hat abgesagt" })).EnsureSuccessStatusCode();

        (await members.Admin.PostAsync(Url($"/api/members/organizations/{id}/erase"), null)).EnsureSuccessStatusCode();

        var rejections = await members.OutboxAsync("MembershipRejected");
        Assert.Equal(3, rejections.Count);
        var ofErased = rejections.Where(r => r.Body.GetProperty("organizationId").GetGuid() == id).ToList();
        Assert.Equal(2, ofErased.Count);
        Assert.Contains(ofErased, r => r.Sent);
        Assert.All(ofErased, r =>
        {
            Assert.Equal(JsonValueKind.Null, r.Body.GetProperty("reason").ValueKind);
            Assert.Equal("rejected", r.Body.GetProperty("status").GetString());
            Assert.DoesNotContain("Quasthoff", r.Body.GetRawText(), StringComparison.Ordinal);
        });
        Assert.Equal("laut Herrn Ostendorp", rejections.Single(r => r.Body.GetProperty("organizationId").GetGuid() == other).Body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task on_sqlite_an_erased_contact_leaves_no_bytes_in_the_database_files()
    {
        await using var members = await servers.StartAsync(DatabaseEngine.Sqlite);
        var id = await members.CreateOrganizationAsync(NewOrg());
        await members.MemberAsync(id, "it-achse");
        const string email = "unverwechselbar.zzq@example.de";
        await members.AddContactAsync(id, "Ortrud Unverwechselbar", email, consent: false);
        var file = new SqliteConnectionStringBuilder(members.Host.Services.GetRequiredService<IConfiguration>().GetConnectionString("Database")).DataSource;
        Assert.True(Contains(file, email) || Contains(file + "-wal", email), "the contact is stored before the erasure");

        (await members.Admin.PostAsync(Url($"/api/members/organizations/{id}/erase"), null)).EnsureSuccessStatusCode();

        await using var connection = await members.Database.OpenAsync();
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA secure_delete"));
        Assert.False(Contains(file, email), "the erased e-mail address is still in the database file");
        Assert.False(Contains(file + "-wal", email), "the erased e-mail address is still in the write-ahead log");
    }

    private static bool Contains(string path, string text)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }
}
