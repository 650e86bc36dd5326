using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace EmsAchse.Gateway.Tests;

/// <summary>Each service's messaging admin under its own API prefix, reached through the gateway, for admins only.</summary>
[Collection(GatewayPlatformCollection.Name)]
public sealed class MessagingAdminTests(GatewayPlatform platform)
{
    [Theory]
    [InlineData("networks", "networks-network-members")]
    [InlineData("members", "members-network-catalogue")]
    [InlineData("funding", "funding-sites")]
    public async Task an_admin_lists_the_services_queues_and_its_outbox_through_the_gateway(string service, string oneOfItsQueues)
    {
        using var admin = platform.GatewayClient("admin");

        var queues = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/{service}/admin/messaging/queues", UriKind.Relative));
        var rows = queues.EnumerateArray().Select(q => (Queue: q.GetProperty("queue").GetString()!, Kind: q.GetProperty("kind").GetString()!, Messages: q.GetProperty("messages").GetInt64())).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith($"{service}-", r.Queue, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.True(r.Messages >= 0));
        var main = rows.Where(r => r.Kind == "main").Select(r => r.Queue).ToList();
        Assert.Contains(oneOfItsQueues, main);
        Assert.Equal(main.Select(q => $"{q}_error").Order(), rows.Where(r => r.Kind == "error").Select(r => r.Queue).Order());

        var outbox = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/{service}/admin/messaging/outbox", UriKind.Relative));
        Assert.True(outbox.GetProperty("unsent").GetInt64() >= 0);
        Assert.True(outbox.TryGetProperty("lastError", out _));

        var one = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/{service}/admin/messaging/queues/{main[0]}", UriKind.Relative));
        Assert.Equal(main[0], one.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task the_messaging_admin_is_refused_to_anyone_but_an_admin_and_checks_its_input()
    {
        using var anonymous = platform.GatewayClient();
        using var manager = platform.GatewayClient("network-manager", "it-achse");
        using var integrator = platform.GatewayClientWithKey(GatewayPlatform.DevKey);
        using var admin = platform.GatewayClient("admin");

        foreach (var service in new[] { "networks", "members", "funding" })
        {
            var path = new Uri($"/api/{service}/admin/messaging/queues", UriKind.Relative);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await integrator.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync(new Uri($"/api/{service}/admin/messaging/queues/{service}-x/redrive", UriKind.Relative), null)).StatusCode);

            // Another service's queue is not this one's to inspect or re-drive.
            var other = service == "networks" ? "members-network-catalogue" : "networks-network-members";
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri($"/api/{service}/admin/messaging/queues/{other}", UriKind.Relative))).StatusCode);
            var badMax = await admin.PostAsync(new Uri($"/api/{service}/admin/messaging/queues/{service}-membership-activated/redrive?max=0", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.BadRequest, badMax.StatusCode);
            Assert.Equal("application/problem+json", badMax.Content.Headers.ContentType?.MediaType);
        }
        // Identity serves the same under its own prefix; without an identity token it is 401, not an unknown path.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/identity/api/admin/messaging/queues", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task the_old_unprefixed_messaging_paths_are_gone()
    {
        using var admin = new HttpClient { BaseAddress = platform.Networks.Address };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", EmsAchse.TestSupport.DevTokens.For("admin"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/admin/messaging/outbox", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/networks/admin/messaging/outbox", UriKind.Relative))).StatusCode);
    }
}
