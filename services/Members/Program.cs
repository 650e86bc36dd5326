using EmsAchse.Contracts.Networks;
using EmsAchse.Members.Applications;
using EmsAchse.Members.Directory;
using EmsAchse.Members.Memberships;
using EmsAchse.Members.Organizations;
using EmsAchse.Members.Seed;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.ReadModels;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("members");
var database = builder.AddServiceDatabase(typeof(Program).Assembly);
builder.Services.AddOptions<SeedOptions>().Bind(builder.Configuration.GetSection(SeedOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<DemoSeeder>();
builder.Services.AddResyncOnStart((service, at) => new NetworkCatalogResyncRequested(service, at));
database.AddMessaging("members", bus =>
{
    bus.AddNetworkCatalogueCopy();
    bus.Add<MembershipResyncRequestedConsumer>("membership-resync-requested");
});
builder.Services.AddApiDocument("Ems-Achse Members API", "Organisations, their contacts and memberships in the networks, membership applications, and the public member directory.");

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi();
var api = app.MapApi();
api.MapDirectoryApi();
api.MapOrganizationsApi();
api.MapApplicationsApi();
api.MapMembershipsApi();
app.Run();

public partial class Program;
