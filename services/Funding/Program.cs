using EmsAchse.Funding.Commitments;
using EmsAchse.Funding.ReadModels;
using EmsAchse.Funding.Seed;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("funding");
builder.AddServiceDatabase(typeof(Program).Assembly);
builder.Services.AddHostedService<DemoSeeder>();
builder.Services.AddHostedService<CatalogResyncOnStart>();
builder.AddMessaging("funding", bus =>
{
    bus.AddConsumer<SiteOpenedConsumer>();
    bus.AddConsumer<SiteChangedConsumer>();
    bus.AddConsumer<SiteClosedConsumer>();
});
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi();
app.MapCommitmentsApi();
app.Run();

public partial class Program;
