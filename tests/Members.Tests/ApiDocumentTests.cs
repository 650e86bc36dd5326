using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.Members.Tests;

[Collection(MembersCollection.Name)]
public sealed class ApiDocumentTests(MembersServers servers)
{
    [Fact]
    public async Task every_operation_has_a_summary_and_a_schema_for_each_answer()
    {
        await using var service = await servers.StartAsync(DatabaseEngine.Sqlite);
        var document = await ApiDocumentCheck.LoadAsync(service.Host);

        Assert.Equal("Ems-Achse Members API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Empty(ApiDocumentCheck.Defects(document, service.Host.Services));
    }
}
