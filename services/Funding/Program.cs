using EmsAchse.Contracts.Networks;
using EmsAchse.Funding.Budgets;
using EmsAchse.Funding.Commitments;
using EmsAchse.Funding.Coverage;
using EmsAchse.Funding.Fees;
using EmsAchse.Funding.Funders;
using EmsAchse.Funding.ReadModels;
using EmsAchse.Funding.Reports;
using EmsAchse.Funding.Seed;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.ReadModels;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("funding");
var database = builder.AddServiceDatabase(typeof(Program).Assembly);
builder.Services.AddHostedService<DemoSeeder>();
builder.Services.AddResyncOnStart((service, at) => new NetworkCatalogResyncRequested(service, at));
builder.Services.AddNetworkMembersResync();
builder.Services.AddFeeClaims();
builder.Services.AddHostedService<DailyCoverageAnnouncer>();
database.AddMessaging("funding", bus =>
{
    bus.AddNetworkCatalogueCopy();
    bus.AddNetworkMembersCopy();
    bus.Add<SitesConsumer>("sites").Retire("site-opened", "site-changed", "site-closed");
    bus.Add<SiteFundingResyncRequestedConsumer>("site-funding-resync-requested");
});
builder.Services.AddApiDocument("Ems-Achse Funding API", "Funders, their commitments to sites, site coverage and budgets, membership fee schedules and claims, and funding reports.");

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi();
var api = app.MapApi();
api.MapFundersApi();
api.MapCommitmentsApi();
api.MapCoverageApi();
api.MapBudgetsApi();
api.MapFeesApi();
api.MapReportsApi();
app.Run();

public partial class Program;
