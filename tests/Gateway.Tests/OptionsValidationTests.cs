extern alias gateway;

using EmsAchse.TestSupport;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmsAchse.Gateway.Tests;

/// <summary>A wrong setting stops the gateway at start, naming the key, instead of failing requests later.</summary>
public sealed class OptionsValidationTests
{
    private const string GoodHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("ApiKeys:Keys:erp:Sha256", "not-a-hash", "ApiKeys:Keys:erp:Roles:0", "integrator", "ApiKeys:Keys:erp:Sha256 must be the SHA-256")]
    [InlineData("ApiKeys:Keys:erp:Sha256", GoodHash, "ApiKeys:Keys:erp:Roles:0", "superuser", "ApiKeys:Keys:erp:Roles has 'superuser'")]
    [InlineData("ApiDocs:CacheFor", "-00:01:00", "ApiDocs:ServicePath", "openapi/v1.json", "ApiDocs:CacheFor must be positive")]
    [InlineData("ApiDocs:ServicePath", " ", "ApiDocs:CacheFor", "00:01:00", "ApiDocs:ServicePath must be a relative path")]
    [InlineData("Cors:PortalOrigins:0", "https://portal.example/", "Cors:PortalOrigins:1", "https://portal.example", "Cors:PortalOrigins has 'https://portal.example/'")]
    [InlineData("RequestLimits:MaxBodyBytes", "0", "ApiDocs:CacheFor", "00:01:00", "MaxBodyBytes")]
    public void a_bad_setting_stops_the_start_with_its_key_named(string key, string value, string otherKey, string otherValue, string message)
    {
        var settings = new Dictionary<string, string?> { [key] = value, [otherKey] = otherValue };

        var failure = Assert.ThrowsAny<Exception>(() => new KestrelHost<gateway::Program>(settings).Dispose());

        var validation = Flatten(failure).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(validation is not null, $"expected an options validation failure, got {failure}");
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void good_settings_start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ApiKeys:Keys:erp:Sha256"] = GoodHash.ToUpperInvariant(),
            ["ApiKeys:Keys:erp:Roles:0"] = "integrator",
            ["Cors:PortalOrigins:0"] = "https://portal.example:8443",
        };

        using var host = new KestrelHost<gateway::Program>(settings);

        Assert.NotEqual(0, host.Port);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var e in inner.SelectMany(Flatten))
        {
            yield return e;
        }
    }
}
