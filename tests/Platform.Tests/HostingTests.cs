using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmsAchse.Platform.Tests;

/// <summary>The hosting defaults on a bare web app: errors of every kind become problem details.</summary>
public sealed class HostingTests : IDisposable
{
    private const string RealKey = "a-real-secret-generated-for-this-installation-0123456789abcdef";

    private async Task<WebApplication> StartAsync(string environment = "Development", string? signingKey = JwtOptions.DevelopmentSigningKey, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Jwt:SigningKey"] = signingKey });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddServiceDefaults("probe");
        builder.Services.AddHealthChecks().AddCheck(
            "database",
            () => HealthCheckResult.Unhealthy("db.internal.example:5432 refused the connection", new InvalidOperationException("db.internal.example:5432")),
            [ServiceDefaults.ReadyTag]);
        builder.Logging.AddProvider(_logs);
        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("secret internal detail"));
        app.MapGet("/count", (int n) => Results.Ok(n));
        app.MapPost("/echo", (EchoRequest body) => Results.Ok(body));
        app.MapGet("/log", (ILogger<HostingTests> logger) =>
        {
            logger.LogInformation("something worth a line");
            return Results.Ok();
        });
        app.MapPost("/rule", IResult () => throw new DomainRuleException("site Lingen would reach 10500 bp on 2027-01-01"));
        await app.StartAsync();
        return app;
    }

    private sealed record EchoRequest(string Name, int Size);

    private readonly RecordingLogs _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task every_log_line_of_a_request_carries_its_correlation_id()
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/log");
        request.Headers.Add("X-Correlation-Id", "line-7");

        var response = await app.GetTestClient().SendAsync(request);

        Assert.Equal("line-7", response.Headers.GetValues("X-Correlation-Id").Single());
        var line = Assert.Single(_logs.Lines, l => l.Message == "something worth a line");
        Assert.Contains(new KeyValuePair<string, object?>("CorrelationId", "line-7"), line.Scope);
    }

    /// <summary>Records each log line with the key-value pairs of the scopes around it, as the JSON console writes them.</summary>
    private sealed class RecordingLogs : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public System.Collections.Concurrent.ConcurrentQueue<(string Message, List<KeyValuePair<string, object?>> Scope)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(RecordingLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new List<KeyValuePair<string, object?>>();
                owner._scopes.ForEachScope((s, list) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        list.AddRange(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
                    }
                }, scope);
                owner.Lines.Enqueue((formatter(state, exception), scope));
            }
        }
    }

    [Fact]
    public async Task an_unhandled_exception_is_a_500_problem_without_internals()
    {
        await using var app = await StartAsync();
        var response = await app.GetTestClient().GetAsync(new Uri("/boom", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret internal detail", body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(body).RootElement.GetProperty("correlationId").GetString()));
    }

    [Theory]
    [InlineData("/count?n=abc")]
    [InlineData("/count")]
    public async Task an_unparsable_or_missing_parameter_is_a_400_problem_naming_it(string url)
    {
        await using var app = await StartAsync();
        var response = await app.GetTestClient().GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("n", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_body_of_the_wrong_shape_is_a_400_problem()
    {
        await using var app = await StartAsync();
        using var content = new StringContent("{\"name\": \"x\", \"size\": \"big\"}", System.Text.Encoding.UTF8, "application/json");
        var response = await app.GetTestClient().PostAsync(new Uri("/echo", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_refused_business_rule_is_a_409_problem_with_the_figures()
    {
        await using var app = await StartAsync();
        var response = await app.GetTestClient().PostAsync(new Uri("/rule", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("site Lingen would reach 10500 bp on 2027-01-01", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task the_development_signing_key_is_refused_outside_development()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production"));
        Assert.Contains("development key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_development_signing_key_is_refused_in_the_testing_environment_too()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Testing"));
        Assert.Contains("development key", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urls", "http://0.0.0.0:5000")]
    [InlineData("urls", "http://127.0.0.1:5000;http://*:5001")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://10.0.0.7:5101")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://[::]:5101")]
    [InlineData("http_ports", "8080")]
    public async Task development_with_development_secrets_refuses_to_listen_beyond_loopback(string key, string value)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings: new() { [key] = value }));
        Assert.Contains("never listens beyond loopback", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Jwt:SigningKey is the development key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_development_api_key_counts_as_a_development_secret_and_is_refused_outside_development()
    {
        var devApiKey = new Dictionary<string, string?> { ["ApiKeys:Keys:dev:Sha256"] = DevelopmentSecrets.ApiKeySha256, ["urls"] = "http://0.0.0.0:5000" };

        var beyondLoopback = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(signingKey: RealKey, settings: devApiKey));
        var production = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("Production", RealKey, new() { ["ApiKeys:Keys:dev:Sha256"] = DevelopmentSecrets.ApiKeySha256 }));

        Assert.Contains("ApiKeys:Keys:dev is the development API key", beyondLoopback.Message, StringComparison.Ordinal);
        Assert.Contains("outside the Development environment", production.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JwtOptions.DevelopmentSigningKey, "http://127.0.0.1:5000;http://localhost:5001;http://[::1]:5002")]
    [InlineData(RealKey, "http://0.0.0.0:5000")]
    public async Task development_starts_on_loopback_or_with_real_secrets_anywhere(string signingKey, string urls)
    {
        await using var app = await StartAsync(signingKey: signingKey, settings: new() { ["urls"] = urls, ["ApiKeys:Keys:dev:Sha256"] = DevelopmentSecrets.ApiKeySha256, ["ApiKeys:Keys:dev:Revoked"] = signingKey == RealKey ? "true" : "false" });
        Assert.Equal(HttpStatusCode.OK, (await app.GetTestClient().GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task readiness_shows_anonymous_callers_the_status_but_error_texts_only_to_admins()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();

        using var anonymous = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready");
        request.Headers.Authorization = new("Bearer", EmsAchse.TestSupport.DevTokens.For("admin"));
        using var admin = await client.SendAsync(request);

        var publicText = await anonymous.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymous.StatusCode);
        Assert.Equal("Unhealthy", JsonDocument.Parse(publicText).RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.DoesNotContain("db.internal", publicText, StringComparison.Ordinal);
        Assert.Contains("db.internal.example:5432 refused the connection", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_service_without_any_token_configuration_does_not_start()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", signingKey: null));
        Assert.Contains("Jwt:Authority", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_web_app_keeps_its_own_errors_and_sign_in_while_an_api_answers_problem_json_and_bearer()
    {
        await using var api = await StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.AddWebAppDefaults("pages");
        await using var web = builder.Build();
        web.UseWebAppDefaults();
        web.MapGet("/page", () => Results.Text("<p>Hallo</p>", "text/html"));
        await web.StartAsync();

        var apiMissing = await api.GetTestClient().GetAsync(new Uri("/nowhere", UriKind.Relative));
        var webMissing = await web.GetTestClient().GetAsync(new Uri("/nowhere", UriKind.Relative));
        var webReady = await web.GetTestClient().GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal("application/problem+json", apiMissing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, webMissing.StatusCode);
        Assert.Null(webMissing.Content.Headers.ContentType);
        Assert.Equal(HttpStatusCode.OK, webReady.StatusCode);
        Assert.Equal("Bearer", (await api.Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>().GetDefaultChallengeSchemeAsync())?.Name);
        Assert.Null(web.Services.GetService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>() is { } schemes ? await schemes.GetDefaultChallengeSchemeAsync() : null);
    }
}
