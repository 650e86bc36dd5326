extern alias identity;
using identity::EmsAchse.Identity.Accounts;
using Xunit;

namespace EmsAchse.Identity.Tests;

public sealed class PasskeyOriginTests
{
    [Theory]
    [InlineData("http://localhost:5000", false, "http", "localhost:5000", null, true)]
    [InlineData("https://portal.ems-achse.de", false, "https", "portal.ems-achse.de", "portal.ems-achse.de", true)]
    [InlineData("https://portal.ems-achse.de", false, "https", "portal.ems-achse.de", "ems-achse.de", true)]
    // A phishing proxy that forwards its own host still names a host outside the configured domain.
    [InlineData("https://ems-achse.example", false, "https", "ems-achse.example", "ems-achse.de", false)]
    [InlineData("https://evil-ems-achse.de", false, "https", "evil-ems-achse.de", "ems-achse.de", false)]
    [InlineData("http://portal.ems-achse.de", false, "https", "portal.ems-achse.de", null, false)]
    [InlineData("https://portal.ems-achse.de:8443", false, "https", "portal.ems-achse.de", null, false)]
    [InlineData("https://portal.ems-achse.de", true, "https", "portal.ems-achse.de", null, false)]
    [InlineData("https://portal.ems-achse.de/", false, "https", "portal.ems-achse.de", null, false)]
    [InlineData("null", false, "https", "portal.ems-achse.de", null, false)]
    [InlineData("", false, "https", "portal.ems-achse.de", null, false)]
    public void only_the_origin_the_visitor_sees_on_the_passkey_domain_passes(string origin, bool crossOrigin, string scheme, string host, string? domain, bool expected) =>
        Assert.Equal(expected, PasskeyOrigin.IsExpected(origin, crossOrigin, scheme, host, domain));
}
