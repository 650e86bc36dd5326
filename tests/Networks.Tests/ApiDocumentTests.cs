using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.Networks.Tests;

[Collection(NetworksCollection.Name)]
public sealed class ApiDocumentTests(NetworksServers servers)
{
    [Fact]
    public async Task every_operation_has_a_summary_and_a_schema_for_each_answer()
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        var document = await ApiDocumentCheck.LoadAsync(host);

        Assert.Equal("Ems-Achse Networks API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Empty(ApiDocumentCheck.Defects(document, host.Services));
    }
}
