using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmsAchse.Platform.Tests;

/// <summary>The hosting defaults on a bare web app: errors of every kind become problem details.</summary>
public sealed class HostingTests
{
    private static async Task<WebApplication> StartAsync(string environment = "Development", string? signingKey = JwtOptions.DevelopmentSigningKey)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Jwt:SigningKey"] = signingKey });
        builder.AddServiceDefaults("probe");
        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("secret internal detail"));
        app.MapGet("/count", (int n) => Results.Ok(n));
        app.MapPost("/echo", (EchoRequest body) => Results.Ok(body));
        app.MapPost("/rule", IResult () => throw new DomainRuleException("site Lingen would reach 10500 bp on 2027-01-01"));
        await app.StartAsync();
        return app;
    }

    private sealed record EchoRequest(string Name, int Size);

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
    public async Task a_service_without_any_token_configuration_does_not_start()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", signingKey: null));
        Assert.Contains("Jwt:Authority", failure.Message, StringComparison.Ordinal);
    }
}
