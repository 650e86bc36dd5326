using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using EmsAchse.Benchmarks;
using EmsAchse.Directory.Benchmarks;
using EmsAchse.TestSupport.Containers;
using Microsoft.Data.Sqlite;
using Npgsql;

// Directory benchmark (not a test): p50/p95 of six typical directory queries through the members service's
// HTTP endpoint at ORGANIZATIONS generated organisations (the demo seed's generator and seed number), on
// SQLite and PostgreSQL, against a naive baseline in the same run: the same filters as plain SQL over a
// scan of the organisations (text as LIKE '%term%' over name and town, OFFSET paging), run directly on the
// same database, without HTTP. Goal: p95 <= 5 ms and >= 20x faster than naive.
//   dotnet EmsAchse.Directory.Benchmarks.dll <members dll> [organizations=100000] [samples=200] [rounds=3] [engines=sqlite,postgres]
var dll = Path.GetFullPath(args[0]);
var organizations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var samples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
var engines = (args.Length > 4 ? args[4] : "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries);
const int GeneratorSeed = 2006; // the demo seed's number (SeedOptions.GeneratorSeed)
var naiveSamples = Math.Max(5, samples / 10);
const double GoalP95Ms = 5;
const double GoalRatio = 20;

var work = Directory.CreateTempSubdirectory("emsachse-directory-bench-");
var rabbit = new RabbitMqServer();
var postgres = engines.Contains("postgres") ? new PostgresServer() : null;
await Task.WhenAll(rabbit.InitializeAsync(), postgres?.InitializeAsync() ?? Task.CompletedTask);
var summary = new List<string>();
try
{
    foreach (var engine in engines)
    {
        var connectionString = engine == "postgres"
            ? new NpgsqlConnectionStringBuilder(await postgres!.CreateDatabaseAsync("directory")) { MaxPoolSize = 20 }.ConnectionString
            : $"Data Source={Path.Combine(work.FullName, "members.db")}";
        var logFile = Path.Combine(work.FullName, $"members-{engine}.log");
        Console.Error.WriteLine($"[directory] {engine}: starting the members service, seeding {organizations} organisations (log {logFile}); load {BenchResults.Load()}");
        var seedWatch = Stopwatch.StartNew();
        await using var members = MembersProcess.Start(dll, connectionString, rabbit.AmqpUri, organizations, GeneratorSeed, logFile);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(30) }) { BaseAddress = members.Address, Timeout = TimeSpan.FromMinutes(2) };
        await members.WaitReadyAsync(http, TimeSpan.FromMinutes(40));
        Console.Error.WriteLine($"[directory] {engine}: ready after {seedWatch.Elapsed.TotalSeconds:F0} s (seed included); load {BenchResults.Load()}");
        await using var connection = Open(engine, connectionString);
        await connection.OpenAsync();
        await WaitForOutboxAsync(connection, engine);
        if (engine == "sqlite" && Environment.GetEnvironmentVariable("EMSACHSE_BENCH_KEEP_SQLITE") is { Length: > 0 } keep)
        {
            // A copy of the seeded database, to study query plans by hand (sqlite3) after the run.
            await connection.ExecuteAsync($"VACUUM INTO '{keep.Replace("'", "''", StringComparison.Ordinal)}'");
            Console.Error.WriteLine($"[directory] sqlite: the seeded database is copied to {keep}");
        }
        if (engine == "postgres")
        {
            // The naive baseline scans: no index or bitmap scans on its session.
            await connection.ExecuteAsync("SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off");
        }

        var queries = DirectoryQuery.All;
        var api = queries.ToDictionary(q => q.Name, _ => new List<(double P50, double P95)>());
        var naive = queries.ToDictionary(q => q.Name, _ => new List<(double P50, double P95)>());
        var totals = new Dictionary<string, (long Api, long Naive)>();
        foreach (var query in queries)
        {
            // Warm-up: JIT, plan caches, pages in memory, for both sides.
            for (var i = 0; i < 20; i++)
            {
                await ApiAsync(http, query);
            }
            var apiTotal = await ApiAsync(http, query);
            var naiveTotal = await NaiveAsync(connection, engine, query);
            totals[query.Name] = (apiTotal, naiveTotal);
        }
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate the order so that drift of the machine does not favour one query or side.
            var order = round % 2 == 1 ? queries : [.. queries.Reverse()];
            foreach (var query in order)
            {
                var a = await TimeAsync(samples, () => ApiAsync(http, query));
                var n = await TimeAsync(naiveSamples, () => NaiveAsync(connection, engine, query));
                api[query.Name].Add(a);
                naive[query.Name].Add(n);
                Console.Error.WriteLine(FormattableString.Invariant($"[directory] {engine} round {round} {query.Name,-22} api p50 {a.P50,7:F2} p95 {a.P95,7:F2} ms   naive p50 {n.P50,8:F2} p95 {n.P95,8:F2} ms   load {BenchResults.Load()}"));
            }
        }

        summary.Add(FormattableString.Invariant($"Directory benchmark, {engine}, {organizations} organisations (generator seed {GeneratorSeed}), {samples} API and {naiveSamples} naive calls per query and round, median of {rounds} rounds, {Environment.ProcessorCount} cores, load {BenchResults.Load()}"));
        summary.Add(FormattableString.Invariant($"  {"query",-22} {"api p50",8} {"api p95",8} {"naive p50",10} {"naive p95",10} {"x faster",9}  {"total api/naive",16}  goal p95<=5 ms, >=20x"));
        foreach (var query in queries)
        {
            var p50 = Median(api[query.Name].Select(x => x.P50));
            var p95 = Median(api[query.Name].Select(x => x.P95));
            var n50 = Median(naive[query.Name].Select(x => x.P50));
            var n95 = Median(naive[query.Name].Select(x => x.P95));
            var ratio = n95 / p95;
            var met = p95 <= GoalP95Ms && ratio >= GoalRatio;
            summary.Add(FormattableString.Invariant($"  {query.Name,-22} {p50,8:F2} {p95,8:F2} {n50,10:F2} {n95,10:F2} {ratio,9:F1}  {totals[query.Name].Api,7}/{totals[query.Name].Naive,-8}  {(met ? "met" : "NOT met")}"));
            BenchResults.Row("directory", $"{engine} {query.Name} api p50", p50, "ms", n50, n50 / p50, "-", null);
            BenchResults.Row("directory", $"{engine} {query.Name} api p95", p95, "ms", n95, ratio, "p95<=5ms & >=20x naive", met);
        }
        summary.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, summary.TakeLast(queries.Count + 3)));
    }
}
finally
{
    await rabbit.DisposeAsync();
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }
    SqliteConnection.ClearAllPools();
    work.Delete(recursive: true);
}
Console.WriteLine();
Console.WriteLine(string.Join(Environment.NewLine, summary));
return;

static DbConnection Open(string engine, string connectionString) =>
    engine == "postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);

// The seed's events go out through the outbox after the service is ready; measure once they are sent.
static async Task WaitForOutboxAsync(DbConnection connection, string engine)
{
    var watch = Stopwatch.StartNew();
    long unsent;
    while ((unsent = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL")) > 0 && watch.Elapsed < TimeSpan.FromMinutes(15))
    {
        await Task.Delay(2000);
    }
    Console.Error.WriteLine($"[directory] {engine}: outbox {(unsent == 0 ? "drained" : $"still has {unsent} unsent events")} after {watch.Elapsed.TotalSeconds:F0} s more");
}

static async Task<long> ApiAsync(HttpClient http, DirectoryQuery query)
{
    using var response = await http.GetAsync(new Uri(query.ApiPath, UriKind.Relative));
    response.EnsureSuccessStatusCode();
    await using var body = await response.Content.ReadAsStreamAsync();
    using var json = await JsonDocument.ParseAsync(body);
    return json.RootElement.GetProperty("total").GetInt64();
}

static async Task<long> NaiveAsync(DbConnection connection, string engine, DirectoryQuery query)
{
    var (count, page, parameters) = query.Naive(engine);
    var total = await connection.ExecuteScalarAsync<long>(count, parameters);
    _ = (await connection.QueryAsync(page, parameters)).AsList();
    return total;
}

static async Task<(double P50, double P95)> TimeAsync(int count, Func<Task<long>> call)
{
    var times = new double[count];
    for (var i = 0; i < count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await call();
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    Array.Sort(times);
    return (Percentile(times, 0.50), Percentile(times, 0.95));
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
