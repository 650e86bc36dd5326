extern alias portal;

using System.Net;
using System.Text.Json;
using portal::EmsAchse.Portal;
using portal::EmsAchse.Portal.Components.Pages.Apply;
using portal::EmsAchse.Portal.Display;
using portal::EmsAchse.Portal.Map;
using portal::EmsAchse.Portal.Services;
using Polly;
using Xunit;

namespace EmsAchse.Portal.Tests;

public sealed class NetworkTownsTests
{
    private static Site SiteIn(string town, string status = "active") =>
        new(Guid.NewGuid(), "it-achse", "Standort " + town, town, "emsland", null, status, new DateOnly(2020, 1, 1), null, 10_000);

    [Fact]
    public void a_network_names_each_town_of_its_open_sites_once()
    {
        var network = new Network("it-achse", "IT-Achse", "", [], null, "active",
            [SiteIn("Lingen (Ems)"), SiteIn("Leer (Ostfriesland)"), SiteIn("Lingen (Ems)"), SiteIn("Emden", "closed")], 28, null);

        Assert.Equal("Lingen (Ems), Leer (Ostfriesland)", network.Towns);
        Assert.Equal(3, network.OpenSites.Count());
    }
}

public sealed class GermanFormatTests
{
    [Fact]
    public void money_is_written_as_in_germany() =>
        Assert.Equal(["1.234,56\u00a0€", "0,05\u00a0€", "1.000.000,00\u00a0€"], new[] { GermanFormat.Euro(123456), GermanFormat.Euro(5), GermanFormat.Euro(100_000_000) });

    [Fact]
    public void dates_are_day_month_year_with_dots() =>
        Assert.Equal("31.12.2026", GermanFormat.Date(new DateOnly(2026, 12, 31)));

    [Fact]
    public void a_moment_is_dated_in_berlin() =>
        Assert.Equal("01.01.2027", GermanFormat.Date(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)));

    [Fact]
    public void shares_in_basis_points_become_percentages() =>
        Assert.Equal(["100\u00a0%", "50\u00a0%", "70,5\u00a0%", "33,33\u00a0%", "0\u00a0%"], new[] { 10000, 5000, 7050, 3333, 0 }.Select(GermanFormat.Percent));

    [Fact]
    public void counts_have_thousands_separators_and_the_fitting_noun() =>
        Assert.Equal(["1 Mitglied", "120.000 Mitglieder", "0 Mitglieder"], new long[] { 1, 120000, 0 }.Select(n => GermanFormat.Count(n, "Mitglied", "Mitglieder")));
}

public sealed class MapProjectionTests
{
    private static readonly MapProjection Map = RegionGeography.Projection(600);

    [Fact]
    public void the_bounding_box_fills_the_map_inside_its_margin()
    {
        var northWest = Map.Project(new GeoPoint(RegionGeography.West, RegionGeography.North));
        var southEast = Map.Project(new GeoPoint(RegionGeography.East, RegionGeography.South));

        Assert.Equal(new MapPoint(10, 10), northWest);
        Assert.Equal(590, southEast.X, 1);
        Assert.Equal(Map.Height - 10, southEast.Y, 1);
    }

    [Fact]
    public void a_kilometre_east_is_as_long_as_a_kilometre_north()
    {
        // At 53° N a degree of longitude is cos(53°) ≈ 0.60 of a degree of latitude.
        var origin = Map.Project(new GeoPoint(7.0, 53.0));
        var east = Map.Project(new GeoPoint(7.1, 53.0));
        var north = Map.Project(new GeoPoint(7.0, 53.06));

        Assert.Equal(origin.Y - north.Y, east.X - origin.X, 0);
    }

    [Fact]
    public void north_is_up_and_the_towns_lie_where_they_are()
    {
        var aurich = Map.Project(RegionGeography.Towns["Aurich"]);
        var lingen = Map.Project(RegionGeography.Towns["Lingen (Ems)"]);
        var nordhorn = Map.Project(RegionGeography.Towns["Nordhorn"]);
        var wittmund = Map.Project(RegionGeography.Towns["Wittmund"]);

        Assert.True(aurich.Y < lingen.Y, "Aurich lies north of Lingen");
        Assert.True(nordhorn.X < lingen.X, "Nordhorn lies west of Lingen");
        Assert.True(wittmund.X > aurich.X, "Wittmund lies east of Aurich");
    }

    [Fact]
    public void every_site_town_of_the_alliance_is_placed_inside_its_district()
    {
        foreach (var (town, district) in new[] { ("Lingen (Ems)", "emsland"), ("Leer (Ostfriesland)", "leer"), ("Aurich", "aurich"), ("Meppen", "emsland"), ("Nordhorn", "grafschaft-bentheim"), ("Emden", "emden"), ("Wittmund", "wittmund") })
        {
            var point = RegionGeography.Locate(town, district)!.Value;
            var outline = RegionGeography.Districts.Single(d => d.Code == district).Outline;
            Assert.True(Inside(point, outline), $"{town} should lie inside the outline of {district}");
        }
    }

    [Fact]
    public void a_site_in_an_unknown_town_goes_to_its_district_and_a_short_name_to_its_town()
    {
        Assert.Equal(RegionGeography.Districts.Single(d => d.Code == "aurich").Label, RegionGeography.Locate("Großefehn-Ost", "aurich"));
        Assert.Equal(RegionGeography.Towns["Lingen (Ems)"], RegionGeography.Locate("Lingen", "emsland"));
        Assert.Null(RegionGeography.Locate("Atlantis", "nowhere"));
    }

    [Fact]
    public void an_outline_becomes_a_closed_svg_path() =>
        Assert.Equal("M 10 10 L 590 10 Z", Map.Path([new GeoPoint(RegionGeography.West, RegionGeography.North), new GeoPoint(RegionGeography.East, RegionGeography.North)]));

    private static bool Inside(GeoPoint p, IReadOnlyList<GeoPoint> polygon)
    {
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var (a, b) = (polygon[i], polygon[j]);
            if ((a.Latitude > p.Latitude) != (b.Latitude > p.Latitude)
                && p.Longitude < (b.Longitude - a.Longitude) * (p.Latitude - a.Latitude) / (b.Latitude - a.Latitude) + a.Longitude)
            {
                inside = !inside;
            }
        }
        return inside;
    }
}

public sealed class PageLinksTests
{
    private static readonly Dictionary<string, string?> Query = new() { ["q"] = "haselünne", ["kreis"] = "emsland", ["art"] = "" };

    [Fact]
    public void one_page_needs_no_pager() =>
        Assert.Empty(PageLinks.For("/mitglieder", Query, 1, 20, 20));

    [Fact]
    public void the_pager_shows_first_last_and_neighbours_with_gaps()
    {
        var links = PageLinks.For("/mitglieder", Query, 10, 20, 400);

        Assert.Equal("1 … 8 9 [10] 11 12 … 20", string.Join(' ', links.Select(l => l.IsGap ? "…" : l.IsCurrent ? $"[{l.Page}]" : $"{l.Page}")));
    }

    [Fact]
    public void links_keep_the_filters_and_page_one_is_the_plain_list()
    {
        var links = PageLinks.For("/mitglieder", Query, 1, 20, 45);

        Assert.Equal(
            ["/mitglieder?q=haselünne&kreis=emsland", "/mitglieder?q=haselünne&kreis=emsland&seite=2", "/mitglieder?q=haselünne&kreis=emsland&seite=3"],
            links.Select(l => Uri.UnescapeDataString(l.Href)));
    }

    [Fact]
    public void a_page_beyond_the_last_marks_the_last_as_current()
    {
        var links = PageLinks.For("/netzwerke/it-achse", new Dictionary<string, string?>(), 99, 20, 41);

        Assert.Equal(3, links.Single(l => l.IsCurrent).Page);
    }
}

public sealed class ApplicationErrorsTests
{
    [Fact]
    public void the_apis_field_errors_are_read_as_strings_or_as_coded_objects()
    {
        using var problem = JsonDocument.Parse("""
            { "status": 400, "errors": {
                "organization.town": ["town is required (at most 200 characters)."],
                "contact.email": [{ "code": "invalid-email", "message": "email must be an e-mail address" }] } }
            """);

        var errors = MembersClient.FieldErrors(problem.RootElement);

        Assert.Equal([new ApiFieldError("organization.town", "town is required (at most 200 characters).", null), new ApiFieldError("contact.email", "email must be an e-mail address", "invalid-email")], errors);
    }

    [Fact]
    public void the_codes_beside_the_english_errors_are_read_in_their_order()
    {
        using var problem = JsonDocument.Parse("""
            { "status": 400,
              "errors": { "organization.name": ["name is required (at most 200 characters, with at least one letter or digit)."], "contact.email": ["email must be an e-mail address such as name@example.de."] },
              "errorCodes": { "organization.name": ["too-long"], "contact.email": ["invalid-email"] } }
            """);

        var errors = MembersClient.FieldErrors(problem.RootElement);

        Assert.Equal(["too-long", "invalid-email"], errors.Select(e => e.Code));
        Assert.Equal(
            [new FormError("name", "Die Angabe ist zu lang. Bitte geben Sie den Namen der Organisation an (höchstens 200 Zeichen)."), new FormError("contact-email", "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.de.")],
            ApplicationErrors.German(errors));
    }

    [Fact]
    public void each_api_field_error_lands_next_to_its_form_field_in_german()
    {
        var german = ApplicationErrors.German([
            new ApiFieldError("organization.name", "name is required (at most 200 characters, with at least one letter or digit).", null),
            new ApiFieldError("contact.email", "give an e-mail address or a phone number, so the contact can be reached.", "email-or-phone-required"),
            new ApiFieldError("organization.district", "district must be one of: emsland, ...", "unknown-district"),
            new ApiFieldError("contact.phone", "phone ...", "required"),
        ]);

        Assert.Equal(
            [
                new FormError("name", "Bitte geben Sie den Namen der Organisation an (höchstens 200 Zeichen)."),
                new FormError("contact-email", "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an, unter der wir die Ansprechperson erreichen."),
                new FormError("district", "Bitte wählen Sie den Landkreis (oder die Stadt Emden) aus der Liste."),
                new FormError("contact-phone", "Bitte geben Sie eine Telefonnummer an."),
            ],
            german);
    }

    [Fact]
    public void an_unknown_field_becomes_a_general_german_hint() =>
        Assert.Equal(new FormError(ApplicationErrors.FormLevel, "Bitte prüfen Sie Ihre Angaben."), ApplicationErrors.German(new ApiFieldError("organization", "give either organizationId ...", null)));

    [Fact]
    public void a_refused_application_is_explained_in_german() =>
        Assert.Equal(
            "Dieses Netzwerk wurde aufgelöst und nimmt keine Anträge mehr an.",
            ApplicationErrors.Refusal(new ApplicationOutcome.Refused(409, "The network is dissolved.", "'x' is dissolved and takes no applications.")));
}

public sealed class GatewayClientTests
{
    [Fact]
    public void a_429_is_never_retried_but_a_503_and_a_refused_connection_are()
    {
        using var tooMany = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        using var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);

        Assert.False(Extensions.IsTransient(Outcome.FromResult(tooMany)));
        Assert.True(Extensions.IsTransient(Outcome.FromResult(unavailable)));
        Assert.True(Extensions.IsTransient(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"))));
        Assert.False(Extensions.IsTransient(Outcome.FromResult(ok)));
    }

    [Fact]
    public void legal_texts_are_headings_and_paragraphs()
    {
        var blocks = LegalTexts.Parse("# Impressum\n\n## Anschrift\nHauptkanal links 60\n26871 Papenburg\n\nZweiter Absatz\n");

        Assert.Equal([1, 2, 0, 0], blocks.Select(b => b.HeadingLevel));
        Assert.Equal(["Hauptkanal links 60", "26871 Papenburg"], blocks[2].Lines);
    }
}

public sealed class VisitorAddressHandlerTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.9")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public async Task each_api_call_names_the_visitor_the_page_is_for_and_only_that(string visitor, string forwarded)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(visitor);
        var seen = new List<string>();
        using var handler = new portal::EmsAchse.Portal.Hosting.VisitorAddressHandler(new Microsoft.AspNetCore.Http.HttpContextAccessor { HttpContext = http })
        {
            InnerHandler = new Recording(seen),
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://gateway.example/api/networks");
        // Whatever was on the request before (nothing the portal makes up, but never two entries) is replaced.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "192.0.2.1");
        using var response = await client.SendAsync(request);
        Assert.Equal([forwarded], seen);
    }

    [Fact]
    public async Task outside_a_visitors_request_nothing_is_forwarded()
    {
        var seen = new List<string>();
        using var handler = new portal::EmsAchse.Portal.Hosting.VisitorAddressHandler(new Microsoft.AspNetCore.Http.HttpContextAccessor()) { InnerHandler = new Recording(seen) };
        using var client = new HttpClient(handler);
        using var response = await client.GetAsync(new Uri("http://gateway.example/api/networks"));
        Assert.Empty(seen);
    }

    private sealed class Recording(List<string> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("X-Forwarded-For", out var values))
            {
                seen.AddRange(values);
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}

public sealed class NetworkCatalogueTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    // A new list per fetch (an empty [] could be one shared array), so the tests can tell fetches apart.
    private static NetworkCatalogue NewCatalogue() =>
        new(new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions()));

    [Fact]
    public async Task the_list_is_fetched_once_for_callers_within_its_max_age_also_while_in_flight()
    {
        var catalogue = NewCatalogue();
        var fetches = 0;
        var release = new TaskCompletionSource();
        async Task<IReadOnlyList<Network>> Fetch()
        {
            Interlocked.Increment(ref fetches);
            await release.Task;
            return new List<Network>();
        }
        var first = catalogue.GetAsync(MaxAge, Fetch);
        var second = catalogue.GetAsync(MaxAge, Fetch);
        release.SetResult();
        Assert.Same(await first, await second);
        Assert.Same(await first, await catalogue.GetAsync(MaxAge, Fetch));
        Assert.Equal(1, fetches);
    }

    [Fact]
    public async Task a_failed_fetch_is_not_kept_and_forget_drops_the_list()
    {
        var catalogue = NewCatalogue();
        var fetches = 0;
        await Assert.ThrowsAsync<HttpRequestException>(() => catalogue.GetAsync(MaxAge, async () =>
        {
            fetches++;
            await Task.Yield();
            throw new HttpRequestException("networks service unreachable");
        }));
        // The failure is dropped by a continuation on the thread pool: a caller in that moment still gets it.
        IReadOnlyList<Network>? list = null;
        for (var attempt = 0; list is null && attempt < 100; attempt++)
        {
            try
            {
                list = await catalogue.GetAsync(MaxAge, () => { fetches++; return Task.FromResult<IReadOnlyList<Network>>(new List<Network>()); });
            }
            catch (HttpRequestException)
            {
                await Task.Delay(10);
            }
        }
        Assert.NotNull(list);
        var fetched = fetches;
        Assert.Same(list, await catalogue.GetAsync(MaxAge, () => { fetches++; return Task.FromResult<IReadOnlyList<Network>>(new List<Network>()); }));
        catalogue.Forget();
        Assert.NotSame(list, await catalogue.GetAsync(MaxAge, () => { fetches++; return Task.FromResult<IReadOnlyList<Network>>(new List<Network>()); }));
        Assert.Equal(fetched + 1, fetches);
    }

    [Fact]
    public async Task a_max_age_of_zero_keeps_nothing()
    {
        var catalogue = NewCatalogue();
        var fetches = 0;
        Task<IReadOnlyList<Network>> Fetch() { fetches++; return Task.FromResult<IReadOnlyList<Network>>(new List<Network>()); }
        await catalogue.GetAsync(TimeSpan.Zero, Fetch);
        await catalogue.GetAsync(TimeSpan.Zero, Fetch);
        Assert.Equal(2, fetches);
    }

    [Theory]
    [InlineData("POST", "http://gateway.example/api/networks", HttpStatusCode.Created, true)]
    [InlineData("PUT", "http://gateway.example/api/networks/it-achse/sites/00000000-0000-0000-0000-000000000001", HttpStatusCode.OK, true)]
    [InlineData("POST", "http://gateway.example/api/networks", HttpStatusCode.UnprocessableEntity, false)]
    [InlineData("GET", "http://gateway.example/api/networks", HttpStatusCode.OK, false)]
    [InlineData("POST", "http://gateway.example/api/funding/funders", HttpStatusCode.Created, false)]
    public async Task a_successful_console_write_to_the_networks_api_drops_the_kept_list(string method, string url, HttpStatusCode status, bool dropped)
    {
        var catalogue = NewCatalogue();
        var kept = await catalogue.GetAsync(MaxAge, () => Task.FromResult<IReadOnlyList<Network>>(new List<Network>()));
        using var handler = new CatalogueChangeHandler(catalogue) { InnerHandler = new Answering(status) };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        using var response = await client.SendAsync(request);
        var now = await catalogue.GetAsync(MaxAge, () => Task.FromResult<IReadOnlyList<Network>>(new List<Network>()));
        Assert.Equal(dropped, !ReferenceEquals(kept, now));
    }

    private sealed class Answering(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status));
    }
}
