using EmsAchse.Identity;
using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Authority;
using EmsAchse.Identity.Data;
using EmsAchse.Identity.Hosting;
using EmsAchse.Identity.Mail;
using EmsAchse.Identity.Managers;
using EmsAchse.Platform.Messaging;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
var isDevelopment = builder.Environment.IsDevelopment();
builder.Services.AddOptions<IdentityServiceOptions>()
    .Bind(builder.Configuration.GetSection(IdentityServiceOptions.Section))
    .PostConfigure(o => o.IsDevelopment = isDevelopment)
    .ValidateDataAnnotations()
    .ValidateOnStart();
// OpenIddict's builder needs the settings now; they are validated here, before anything is wired with them.
var settings = builder.Configuration.GetSection(IdentityServiceOptions.Section).Get<IdentityServiceOptions>() ?? new IdentityServiceOptions();
settings.IsDevelopment = isDevelopment;
Validate(settings);

builder.AddWebAppDefaults("identity", settings.TrustedGatewayAddresses);
builder.AddIdentityDatabase();
builder.AddMail(settings);
builder.AddAccounts(settings);
builder.AddAuthority(settings);
builder.AddManagerEvents();
builder.Services.AddRazorPages();
// German text as it is (ä, ö, ü, ß), not as numeric character references.
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

var app = builder.Build();
await app.Services.MigrateIdentityDatabaseAsync();
await app.Services.ForgetOldHandledMessagesAsync(settings.InboxRetention);
await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<InitialAdmin>().EnsureAsync();
    await scope.ServiceProvider.GetRequiredService<ClientRegistrations>().EnsurePortalAsync(CancellationToken.None);
}
await ManagerEventsSetup.WriteDemoUsersAsync(settings, app.Environment, app.Configuration);

app.UseWebAppDefaults();
app.UseRateLimiter();
app.MapConnectEndpoints();
app.MapClientsApi();
app.MapAccountsApi();
// Identity has no outbox (it publishes only its re-sync request, straight to the bus): queues only.
app.MapMessagingAdmin("/api/admin/messaging", ApiPolicies.Admin, withOutbox: false);
app.MapAuditApi();
// The pages' one script (passkeys), with the build's ETags and compression.
app.MapStaticAssets();
app.MapRazorPages();
app.Run();

static void Validate(IdentityServiceOptions settings)
{
    var failures = new DataAnnotationValidateOptions<IdentityServiceOptions>(null).Validate(null, settings);
    if (failures.Failed)
    {
        throw new OptionsValidationException(IdentityServiceOptions.Section, typeof(IdentityServiceOptions), failures.Failures);
    }
}

public partial class Program;
