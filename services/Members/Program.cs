using EmsAchse.Members.Applications;
using EmsAchse.Members.ReadModels;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("members");
builder.AddServiceDatabase(typeof(Program).Assembly);
builder.Services.AddHostedService<CatalogResyncOnStart>();
builder.AddMessaging("members", bus =>
{
    bus.AddConsumer<NetworkRegisteredConsumer>();
    bus.AddConsumer<NetworkChangedConsumer>();
    bus.AddConsumer<NetworkDissolvedConsumer>();
});
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi();
app.MapApplicationsApi();
app.Run();

public partial class Program;
