using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

[Collection(MembersCollection.Name)]
public sealed class PagingBoundTests(MembersServers servers)
{
    [Theory]
    [InlineData(2147483647, 50)]
    [InlineData(5001, 200)]
    [InlineData(1_000_001, 1)]
    public void page_times_page_size_beyond_the_bound_is_refused_naming_the_figures(int page, int pageSize)
    {
        Assert.False(PageRequest.TryCreate(page, pageSize, out var request, out var errors));
        Assert.Contains($"{(long)page * pageSize}", Assert.Single(errors["page"]), StringComparison.Ordinal);
        Assert.True(request.Offset >= 0);
    }

    [Theory]
    [InlineData(5000, 200, 999_800)]
    [InlineData(1_000_000, 1, 999_999)]
    [InlineData(null, null, 0)]
    public void pages_up_to_the_bound_are_accepted(int? page, int? pageSize, int offset)
    {
        Assert.True(PageRequest.TryCreate(page, pageSize, out var request, out var errors));
        Assert.Empty(errors);
        Assert.Equal(offset, request.Offset);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_page_beyond_the_bound_is_a_400_on_every_members_list_and_the_last_page_within_it_is_empty(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        await members.MemberAsync(await members.CreateOrganizationAsync(NewOrg()), "it-achse");

        foreach (var path in new[] { "/api/members/organizations", "/api/members/organizations?q=emsland", "/api/members/memberships", "/api/members/applications" })
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var beyond = await members.Admin.GetAsync(Url($"{path}{separator}page=2147483647"));
            Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
            Assert.Equal("application/problem+json", beyond.Content.Headers.ContentType?.MediaType);
            Assert.True((await beyond.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("page", out _), path);

            var last = await members.Admin.GetFromJsonAsync<JsonElement>(Url($"{path}{separator}page=5000&pageSize=200"));
            Assert.Equal(0, last.GetProperty("items").GetArrayLength());
            Assert.Equal(1, last.GetProperty("total").GetInt32());
        }
    }
}
