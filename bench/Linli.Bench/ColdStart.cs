using System.Globalization;
using System.Net;

namespace Linli.Bench;

/// <summary>
/// Publish once (not timed); then per run: start on a fresh empty SQLite file (migrations + demo seed: the first start
/// of a new install) and restart on that same file (an existing install); time from process start to the first 200 of
/// GET / (anonymous), polled every 20 ms.
/// </summary>
public static class ColdStart
{
    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        if (o.Get("url") is not null) throw new UsageException("coldstart starts the app itself; --url is for pages");
        var runs = o.Number("runs", 5, 1, 100);
        var poll = TimeSpan.FromMilliseconds(o.Number("poll-ms", 20, 1, 1000));
        var timeout = TimeSpan.FromSeconds(o.Seconds("start-timeout", 120, 5, 600));
        var env = o.ServerEnvironment();
        var app = o.Get("app") is { } given ? AppFolder(given) : await Publisher.PublishAsync(Publisher.FindRepo(o.Get("repo")), work, o.All("publish-arg"), ct);

        var fresh = new List<double>();
        var warm = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var dir = Path.Combine(work, $"run{run}");
            Directory.CreateDirectory(dir);
            var db = Path.Combine(dir, "linli.db");
            foreach (var kind in new[] { "fresh", "warm" })
            {
                ct.ThrowIfCancellationRequested();
                if (kind == "fresh" && File.Exists(db)) throw new BenchException($"{db} should not exist before a fresh start");
                var ms = await OneStartAsync(app, db, Path.Combine(dir, $"{kind}.log"), env, poll, timeout, $"run {run}/{runs} {kind}", kind == "fresh", ct);
                (kind == "fresh" ? fresh : warm).Add(ms);
            }
        }
        Log.Line($"fresh (new DB: migrations + demo seed): {string.Join(", ", fresh.Select(F0))} ms");
        Log.Line($"warm  (existing DB, restart):         {string.Join(", ", warm.Select(F0))} ms");
        return $"RESULT scenario=coldstart fresh_median_ms={F0(Median(fresh))} fresh_max_ms={F0(fresh.Max())} " +
               $"warm_median_ms={F0(Median(warm))} warm_max_ms={F0(warm.Max())} runs={runs}";
    }

    public static string AppFolder(string given)
    {
        var full = Path.GetFullPath(given);
        if (!File.Exists(Path.Combine(full, "Linli.Web.dll"))) throw new UsageException($"--app {given}: no Linli.Web.dll there (publish it first)");
        return full;
    }

    private static async Task<double> OneStartAsync(string app, string db, string logPath, IReadOnlyList<KeyValuePair<string, string>> env,
        TimeSpan poll, TimeSpan timeout, string label, bool expectSeed, CancellationToken ct)
    {
        // A new client per start: no pooled connection survives from the previous process.
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        await using var server = ServerProcess.Start(app, db, logPath, env);
        var elapsed = await server.WaitFor200Async(client, "/", poll, timeout, ct);
        var ms = elapsed.TotalMilliseconds;

        // Check what was measured: the anonymous home page of a real (seeded) database.
        using var check = await client.GetAsync(new Uri(server.BaseAddress, "/"), ct);
        var body = await check.Content.ReadAsStringAsync(ct);
        if (check.StatusCode != HttpStatusCode.OK || !body.Contains("/account/login", StringComparison.Ordinal))
            throw new BenchException($"{label}: GET / is not the welcome page");
        var seeded = server.Mark("Demo data loaded");
        if (expectSeed && seeded is null) throw new BenchException($"{label}: the demo seed did not run on a fresh DB (see {logPath})");
        if (!expectSeed && seeded is not null) throw new BenchException($"{label}: the demo seed ran again on an existing DB");

        Log.Line($"{label}: first 200 of GET / after {ms:F0} ms" +
                 $" (server log: migration {Mark(server, "Applying migration")}, seed done {Mark(server, "Demo data loaded")}," +
                 $" listening {Mark(server, "Now listening on")})");
        return ms;
    }

    private static string Mark(ServerProcess s, string marker) => s.Mark(marker) is { } v ? $"{v:F0} ms" : "-";

    public static double Median(List<double> values)
    {
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string F0(double v) => v.ToString("F0", CultureInfo.InvariantCulture);
}
