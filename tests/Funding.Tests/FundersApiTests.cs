using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;

namespace EmsAchse.Funding.Tests;

[Collection(FundingCollection.Name)]
public sealed class FundersApiTests(FundingServers servers)
{
    private static readonly Uri Funders = FundingService.Funders;

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_admin_adds_and_changes_funders_that_every_role_reads(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var created = await funding.Admin.PostAsJsonAsync(Funders, new { name = "Landkreis Leer", kind = "DISTRICT", district = "Leer" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var funder = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = funder.GetProperty("id").GetGuid();
        Assert.Equal($"/api/funding/funders/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("district", funder.GetProperty("kind").GetString());
        Assert.Equal("leer", funder.GetProperty("district").GetString());
        await funding.CreateFunderAsync("NBank", "state", null);

        var changed = await funding.Admin.PutAsJsonAsync(new Uri($"/api/funding/funders/{id}", UriKind.Relative), new { name = "Landkreis Leer (Wirtschaftsförderung)", kind = "district", district = "leer" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var one = await funding.GetJsonAsync($"/api/funding/funders/{id}", funding.As("network-manager", "mema"));
        Assert.Equal("Landkreis Leer (Wirtschaftsförderung)", one.GetProperty("name").GetString());
        var list = await funding.GetJsonAsync("/api/funding/funders", funding.As("integrator"));
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        Assert.Equal(["Landkreis Leer (Wirtschaftsförderung)", "NBank"], list.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var states = await funding.GetJsonAsync("/api/funding/funders?kind=state&pageSize=1", funding.As("integrator"));
        Assert.Equal("NBank", states.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(1, states.GetProperty("pageSize").GetInt32());
        // As at the gateway: funders are not public.
        Assert.Equal(HttpStatusCode.Unauthorized, (await funding.Anonymous.GetAsync(Funders)).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "{\"kind\":\"district\"}", "name")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"X\",\"kind\":\"bank\"}", "kind")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"X\",\"kind\":\"city\",\"district\":\"berlin\"}", "district")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"  \",\"kind\":\"eu\"}", "name")]
    public async Task invalid_funders_are_refused_with_field_errors_and_change_nothing(DatabaseEngine engine, string body, string field)
    {
        await using var funding = await servers.StartAsync(engine);
        var existing = await funding.CreateFunderAsync("Stadt Emden", "city", "emden");

        var created = await funding.Admin.PostAsync(Funders, new StringContent(body, Encoding.UTF8, "application/json"));
        var changed = await funding.Admin.PutAsync(new Uri($"/api/funding/funders/{existing}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        foreach (var response in new[] { created, changed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        }
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM funders"));
        Assert.Equal("Stadt Emden", (await funding.GetJsonAsync($"/api/funding/funders/{existing}")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_taken_name_is_a_409_and_an_unknown_funder_a_404(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");
        var other = await funding.CreateFunderAsync("Landkreis Emsland");

        var twice = await funding.Admin.PostAsJsonAsync(Funders, new { name = "stadt lingen (ems)", kind = "city" });
        var renamed = await funding.Admin.PutAsJsonAsync(new Uri($"/api/funding/funders/{other}", UriKind.Relative), new { name = "Stadt Lingen (Ems)", kind = "city" });
        var unknownPut = await funding.Admin.PutAsJsonAsync(new Uri($"/api/funding/funders/{Guid.NewGuid()}", UriKind.Relative), new { name = "Nobody", kind = "city" });
        var unknownGet = await funding.As("integrator").GetAsync(new Uri($"/api/funding/funders/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPut.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownGet.StatusCode);
        Assert.Equal(2, await funding.CountAsync("SELECT COUNT(*) FROM funders"));
        Assert.Equal("Landkreis Emsland", (await funding.GetJsonAsync($"/api/funding/funders/{other}")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("integrator", HttpStatusCode.Forbidden)]
    [InlineData("network-manager", HttpStatusCode.Forbidden)]
    public async Task only_admins_write_funders(string? role, HttpStatusCode expected)
    {
        await using var funding = await servers.StartAsync(DatabaseEngine.Sqlite);
        var existing = await funding.CreateFunderAsync("Landkreis Aurich", "district", "aurich");
        var client = funding.As(role, "it-achse");

        var created = await client.PostAsJsonAsync(Funders, new { name = "Neu", kind = "city" });
        var changed = await client.PutAsJsonAsync(new Uri($"/api/funding/funders/{existing}", UriKind.Relative), new { name = "Umbenannt", kind = "city" });

        Assert.Equal(expected, created.StatusCode);
        Assert.Equal(expected, changed.StatusCode);
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM funders"));
        Assert.Equal("Landkreis Aurich", (await funding.GetJsonAsync($"/api/funding/funders/{existing}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task bad_paging_or_kind_filters_are_400_problems()
    {
        await using var funding = await servers.StartAsync(DatabaseEngine.Sqlite);

        Assert.Equal(HttpStatusCode.BadRequest, (await funding.As("integrator").GetAsync(new Uri("/api/funding/funders?pageSize=201", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await funding.As("integrator").GetAsync(new Uri("/api/funding/funders?kind=bank", UriKind.Relative))).StatusCode);
    }
}
