using EmsAchse.Contracts.Funding;
using EmsAchse.Networks.Managers;
using EmsAchse.Networks.Networks;
using EmsAchse.Networks.ReadModels;
using EmsAchse.Networks.Seed;
using EmsAchse.Networks.Sites;
using EmsAchse.Networks.Umbrella;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.ReadModels;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("networks");
var database = builder.AddServiceDatabase(typeof(Program).Assembly);
builder.Services.AddHostedService<DemoSeeder>();
builder.Services.AddNetworkMembersResync();
builder.Services.AddResyncOnStart((service, at) => new SiteFundingResyncRequested(service, at));
database.AddMessaging("networks", bus =>
{
    bus.AddNetworkMembersCopy();
    bus.Add<SiteFundingConsumer>("site-funding").Retire("site-funding-changed");
    bus.Add<NetworkCatalogResyncRequestedConsumer>("network-catalog-resync-requested");
    bus.Add<ManagerResyncRequestedConsumer>("manager-resync-requested");
});
builder.Services.AddApiDocument("Ems-Achse Networks API", "The umbrella, its competence networks, their sites and managers, and the members each network has.");

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi();
var api = app.MapApi();
api.MapUmbrellaApi();
api.MapNetworksApi();
api.MapNetworkDissolutionApi();
api.MapSitesApi();
api.MapManagersApi();
api.MapNetworkMembersApi();
app.Run();

public partial class Program;
