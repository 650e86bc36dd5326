using System.Text;

// A stand-in for the networks service's GET /api/networks/{slug}: a fixed network document of realistic size,
// so the benchmark measures what the proxy adds and not the database.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var network = Encoding.UTF8.GetBytes("""
{"slug":"it-achse","name":"IT-Achse","description":"Das IT-Netzwerk der Wachstumsregion Ems-Achse: IT-Unternehmen, Institutionen, Forschung und Bildung.","topics":["it","digitalisierung","fachkräfte"],"founded":"2010-01-01","status":"active","sites":[{"id":"5a1e0000-0000-4000-8000-000000000001","networkSlug":"it-achse","name":"Lingen","town":"Lingen (Ems)","district":"emsland","address":"Kaiserstraße 10a, 49809 Lingen (Ems)","status":"open","opened":"2010-01-01","closed":null,"fundingCoverageBasisPoints":10000},{"id":"5a1e0000-0000-4000-8000-000000000002","networkSlug":"it-achse","name":"Leer","town":"Leer (Ostfriesland)","district":"leer","address":"Bergmannstraße 36, 26789 Leer","status":"open","opened":"2015-01-01","closed":null,"fundingCoverageBasisPoints":10000}],"activeMemberCount":112}
""".Trim());
app.MapGet("/api/networks/{slug}", (HttpContext context) =>
{
    context.Response.ContentType = "application/json; charset=utf-8";
    context.Response.ContentLength = network.Length;
    return context.Response.Body.WriteAsync(network).AsTask();
});
app.MapGet("/health/ready", () => "ready");
app.Run();
