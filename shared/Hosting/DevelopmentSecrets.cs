using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmsAchse.Platform.Hosting;

/// <summary>
/// The repository's development secrets (the signing key, the API key's hash) are public, so a process that accepts
/// them must be reachable from this machine only: they work in the Development environment alone, and there only
/// while every address the process listens on is a loopback address. Anything else refuses to start, naming why.
/// </summary>
public static class DevelopmentSecrets
{
    /// <summary>SHA-256 of the development API key <c>emsachse-dev-integrator-key</c> (gateway/appsettings.Development.json).</summary>
    public const string ApiKeySha256 = "43121a9549e1b90a1265c6ef49fce9c07bdacf4aff63f4d79bf340250f72cb3c";

    /// <summary>Which development secrets this configuration accepts; empty when it has only real ones.</summary>
    public static IReadOnlyList<string> InUse(IConfiguration configuration, JwtOptions jwt)
    {
        var found = new List<string>();
        if (jwt.SigningKey == JwtOptions.DevelopmentSigningKey)
        {
            found.Add("Jwt:SigningKey is the development key");
        }
        foreach (var key in configuration.GetSection("ApiKeys:Keys").GetChildren())
        {
            if (string.Equals(key["Sha256"]?.Trim(), ApiKeySha256, StringComparison.OrdinalIgnoreCase) && !key.GetValue<bool>("Revoked"))
            {
                found.Add($"ApiKeys:Keys:{key.Key} is the development API key");
            }
        }
        return found;
    }

    /// <summary>Addresses from configuration (urls, http_ports, Kestrel:Endpoints) that are not loopback.</summary>
    public static IReadOnlyList<string> ConfiguredBeyondLoopback(IConfiguration configuration)
    {
        var urls = new List<string>();
        urls.AddRange(Split(configuration["urls"]));
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        var beyond = urls.Where(u => !IsLoopback(u)).ToList();
        // Bare ports bind every interface.
        beyond.AddRange(Split(configuration["http_ports"]).Concat(Split(configuration["https_ports"])).Select(p => $"port {p} on every interface"));
        return beyond;
    }

    public static bool IsLoopback(string url)
    {
        var host = BindingAddress.Parse(url).Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Enforces <see cref="DevelopmentSecrets"/>: before the server binds (configured addresses) and after (actual ones).</summary>
internal sealed class DevelopmentSecretsGuard(IConfiguration configuration, IOptions<JwtOptions> jwt, IHostEnvironment environment, IServer server) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var secrets = DevelopmentSecrets.InUse(configuration, jwt.Value);
        if (secrets.Count == 0)
        {
            return Task.CompletedTask;
        }
        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException($"Development secrets outside the Development environment ({environment.EnvironmentName}): {string.Join("; ", secrets)}. Configure real ones (README, \"Running with real secrets\").");
        }
        Refuse(DevelopmentSecrets.ConfiguredBeyondLoopback(configuration), secrets);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var secrets = DevelopmentSecrets.InUse(configuration, jwt.Value);
        if (secrets.Count > 0)
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Refuse(addresses.Where(a => !DevelopmentSecrets.IsLoopback(a)).ToList(), secrets);
        }
        return Task.CompletedTask;
    }

    private static void Refuse(IReadOnlyList<string> beyondLoopback, IReadOnlyList<string> secrets)
    {
        if (beyondLoopback.Count > 0)
        {
            throw new InvalidOperationException(
                $"Development never listens beyond loopback while it accepts development secrets ({string.Join("; ", secrets)}), "
                + $"but it would listen on {string.Join(", ", beyondLoopback)}. Configure real secrets (README, \"Running with real secrets\") or bind to 127.0.0.1.");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
