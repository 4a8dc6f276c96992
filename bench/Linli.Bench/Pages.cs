using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Linli.Bench;

/// <summary>
/// Closed-loop load: C workers, each sending its next request when the previous one is answered, over one
/// SocketsHttpHandler with C connections. Phases run one after the other (home, then health), each with its own
/// warm-up that is not counted. Only 200 responses with the expected content count as successes.
/// </summary>
public static partial class Pages
{
    private sealed record PhaseSpec(string Name, string Path, bool SignedIn, string Marker);

    private static readonly Dictionary<string, PhaseSpec> Known = new(StringComparer.Ordinal)
    {
        // The signed-in layout has the tab bar; the anonymous welcome has none.
        ["home"] = new("home", "/", true, "class=\"tabbar\""),
        ["health"] = new("health", "/health/live", false, "Healthy"),
        ["anon"] = new("anon", "/", false, "href=\"/account/login\""),
        ["me"] = new("me", "/me", true, "class=\"tabbar\""),
    };

    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        var connections = o.Number("connections", 32, 1, 1024);
        var duration = TimeSpan.FromSeconds(o.Seconds("duration", 15, 1, 600));
        var warmup = TimeSpan.FromSeconds(o.Seconds("warmup", 3, 0, 120));
        var maxRequests = o.Number("max-requests", 20_000_000, 1, int.MaxValue);
        var phone = o.Get("phone") ?? "13900000001";
        var password = o.Get("password") ?? "Linli@2026";
        var phases = (o.Get("phases") ?? "home,health").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Known.TryGetValue(p, out var spec) ? spec : throw new UsageException($"--phases: unknown phase '{p}' (home, health, anon, me)"))
            .ToList();
        if (phases.Count == 0) throw new UsageException("--phases is empty");
        if (phases.DistinctBy(p => p.Name).Count() != phases.Count) throw new UsageException("--phases: a phase is named twice");

        ServerProcess? server = null;
        try
        {
            Uri baseAddress;
            if (o.Get("url") is { } url)
            {
                baseAddress = LoopbackOnly(url);
                Log.Line($"target: the app already running at {baseAddress} (server CPU is not measured)");
            }
            else
            {
                var app = o.Get("app") is { } given ? ColdStart.AppFolder(given) : await Publisher.PublishAsync(Publisher.FindRepo(o.Get("repo")), work, o.All("publish-arg"), ct);
                var dir = Path.Combine(work, "pages");
                Directory.CreateDirectory(dir);
                server = ServerProcess.Start(app, Path.Combine(dir, "linli.db"), Path.Combine(dir, "server.log"), o.ServerEnvironment());
                using var probe = new HttpClient(new SocketsHttpHandler { UseCookies = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
                var ready = await server.WaitFor200Async(probe, "/health/live", TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(o.Seconds("start-timeout", 120, 5, 600)), ct);
                baseAddress = server.BaseAddress;
                Log.Line($"started Linli.Web (pid {server.Pid}) at {baseAddress} on a fresh demo DB; live after {ready.TotalMilliseconds:F0} ms");
            }

            var cookies = await SignInAsync(baseAddress, phone, password, ct);
            Log.Line($"signed in {phone}: cookies {string.Join(", ", cookies.Names)}");

            using var handler = new SocketsHttpHandler
            {
                UseCookies = false,            // the resident's cookies are sent by hand, like one browser would
                AllowAutoRedirect = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = connections,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

            await CheckHomeAsync(client, baseAddress, cookies, ct);

            var results = new List<PhaseResult>();
            foreach (var spec in phases)
            {
                ct.ThrowIfCancellationRequested();
                results.Add(await RunPhaseAsync(client, baseAddress, spec, cookies, connections, warmup, duration, maxRequests, server, ct));
            }

            // The agreed keys first, in the agreed order; everything else after them.
            var sb = new StringBuilder("RESULT scenario=pages");
            var byName = results.ToDictionary(r => r.Name);
            var home = byName.GetValueOrDefault("home");
            var health = byName.GetValueOrDefault("health");
            if (home is not null) sb.Append(CultureInfo.InvariantCulture, $" home_rps={home.Rps:F1} home_p50_ms={Ms(home.Hist.Percentile(50))} home_p99_ms={Ms(home.Hist.Percentile(99))}");
            if (health is not null) sb.Append(CultureInfo.InvariantCulture, $" health_rps={health.Rps:F1} health_p99_ms={Ms(health.Hist.Percentile(99))}");
            if (home is not null && health is not null) sb.Append(CultureInfo.InvariantCulture, $" ratio={(health.Rps > 0 ? home.Rps / health.Rps : 0):F3}");
            sb.Append(CultureInfo.InvariantCulture, $" errors={results.Sum(r => r.Errors)}");
            if (health is not null) sb.Append(CultureInfo.InvariantCulture, $" health_p50_ms={Ms(health.Hist.Percentile(50))}");
            foreach (var r in results.Where(r => r.Name is not ("home" or "health")))
            {
                sb.Append(CultureInfo.InvariantCulture, $" {r.Name}_rps={r.Rps:F1} {r.Name}_p50_ms={Ms(r.Hist.Percentile(50))} {r.Name}_p99_ms={Ms(r.Hist.Percentile(99))}");
            }
            sb.Append(CultureInfo.InvariantCulture, $" connections={connections} duration_s={duration.TotalSeconds:F0} mode=sequential");
            return sb.ToString();
        }
        finally
        {
            if (server is not null)
            {
                Log.Line($"stopping the app (pid {server.Pid})");
                await server.DisposeAsync();
            }
        }
    }

    private static Uri LoopbackOnly(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url {url}: not an http(s) URL");
        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        if (!loopback) throw new UsageException($"--url {url}: only loopback addresses (127.0.0.1, ::1, localhost) are allowed");
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ValueAttribute();

    /// <summary>GET /account/login (antiforgery cookie + hidden token), POST the form, expect 302 and linli.auth.</summary>
    private static async Task<CookieState> SignInAsync(Uri baseAddress, string phone, string password, CancellationToken ct)
    {
        var jar = new CookieContainer();
        using var handler = new SocketsHttpHandler { CookieContainer = jar, UseCookies = true, AllowAutoRedirect = false, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var form = await client.GetAsync("/account/login", ct);
        var html = await form.Content.ReadAsStringAsync(ct);
        if (form.StatusCode != HttpStatusCode.OK) throw new BenchException($"GET /account/login answered {(int)form.StatusCode}");
        var input = TokenInput().Match(html);
        var value = input.Success ? ValueAttribute().Match(input.Value) : Match.Empty;
        if (!value.Success) throw new BenchException("no __RequestVerificationToken in the login form");
        var token = WebUtility.HtmlDecode(value.Groups[1].Value);

        using var post = await client.PostAsync("/account/login", new FormUrlEncodedContent(
        [
            new("Phone", phone), new("Password", password), new("__RequestVerificationToken", token),
        ]), ct);
        if (post.StatusCode != HttpStatusCode.Redirect && post.StatusCode != HttpStatusCode.Found)
            throw new BenchException($"sign-in of {phone} answered {(int)post.StatusCode}, not 302 (wrong password, lockout, or staff needing TOTP?)");
        var all = jar.GetCookies(baseAddress);
        if (!all.Any(c => c.Name.StartsWith("linli.auth", StringComparison.Ordinal)))
            throw new BenchException("sign-in answered 302 but set no linli.auth cookie");
        var state = new CookieState();
        foreach (Cookie c in all) state.Set(c.Name, c.Value);
        return state;
    }

    private static async Task CheckHomeAsync(HttpClient client, Uri baseAddress, CookieState cookies, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "/"));
        req.Headers.TryAddWithoutValidation("Cookie", cookies.Header);
        using var resp = await client.SendAsync(req, ct);
        var body = await resp.Content.ReadAsStringAsync(ct);
        if (resp.StatusCode != HttpStatusCode.OK) throw new BenchException($"signed-in GET / answered {(int)resp.StatusCode}");
        if (!body.Contains(Known["home"].Marker, StringComparison.Ordinal)) throw new BenchException("signed-in GET / shows the anonymous page");
        var community = body.Contains("class=\"facts\"", StringComparison.Ordinal);
        Log.Line($"signed-in GET / is {body.Length} chars, community card shown: {(community ? "yes" : "no (the resident has no community: the page skips the DB query)")}");
    }

    private sealed record PhaseResult(string Name, long Ok, long Errors, Histogram Hist, double Rps);

    private static async Task<PhaseResult> RunPhaseAsync(HttpClient client, Uri baseAddress, PhaseSpec spec, CookieState cookies, int connections,
        TimeSpan warmup, TimeSpan duration, int maxRequests, ServerProcess? server, CancellationToken ct)
    {
        var uri = new Uri(baseAddress, spec.Path);
        var marker = Encoding.UTF8.GetBytes(spec.Marker);
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var shared = new PhaseShared(uri, spec.SignedIn ? cookies : null, marker, measureFrom, end, maxRequests);
        Log.Line($"phase {spec.Name}: GET {spec.Path}{(spec.SignedIn ? " (signed in)" : " (anonymous)")}, {connections} connections, " +
                 $"{warmup.TotalSeconds:F0} s warm-up + {duration.TotalSeconds:F0} s measured");
        var refreshesBefore = cookies.AuthRefreshes;

        var workers = Enumerable.Range(0, connections).Select(_ => new Worker()).ToArray();
        var tasks = workers.Select(w => Task.Run(() => w.RunAsync(client, shared, ct), CancellationToken.None)).ToArray();
        var all = Task.WhenAll(tasks);

        // CPU snapshots at the start and end of the measured window.
        await DelayUntil(measureFrom, all, ct);
        var cpu0 = CpuSnapshot.Take(server);
        var lastReport = Stopwatch.GetTimestamp();
        var lastOk = 0L;
        while (!all.IsCompleted && Stopwatch.GetTimestamp() < end)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(250), ct));
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(lastReport, now) >= TimeSpan.FromSeconds(5) && now < end)
            {
                var ok = Interlocked.Read(ref shared.OkCount);
                Log.Line($"  {spec.Name}: {Stopwatch.GetElapsedTime(measureFrom, now).TotalSeconds:F0} s, {(ok - lastOk) / Stopwatch.GetElapsedTime(lastReport, now).TotalSeconds:F0} rps, errors {Interlocked.Read(ref shared.ErrorCount)}");
                lastReport = now;
                lastOk = ok;
            }
        }
        var cpu1 = CpuSnapshot.Take(server);
        await all;
        ct.ThrowIfCancellationRequested(); // a cancelled phase reports nothing

        var hist = new Histogram();
        long ok2 = 0, errors = 0, bytes = 0, lastEnd = measureFrom;
        var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var w in workers)
        {
            hist.Add(w.Hist);
            ok2 += w.Ok;
            errors += w.Errors;
            bytes += w.Bytes;
            lastEnd = Math.Max(lastEnd, w.LastEnd);
            foreach (var (k, v) in w.ErrorKinds) kinds[k] = kinds.GetValueOrDefault(k) + v;
        }
        var seconds = Math.Max(Stopwatch.GetElapsedTime(measureFrom, lastEnd).TotalSeconds, duration.TotalSeconds);
        var rps = ok2 / seconds;
        var wall = (cpu1.At - cpu0.At) / (double)Stopwatch.Frequency;
        var serverCores = server is null ? double.NaN : (cpu1.Server - cpu0.Server).TotalSeconds / wall;
        var benchCores = (cpu1.Bench - cpu0.Bench).TotalSeconds / wall;
        var serverMsPerReq = server is null || ok2 == 0 ? double.NaN : (cpu1.Server - cpu0.Server).TotalMilliseconds / (rps * wall);
        var busy = cpu1.MachineBusy(cpu0);
        Log.Line($"phase {spec.Name}: {ok2} ok in {seconds:F1} s = {rps:F1} rps; latency ms p50 {Ms(hist.Percentile(50))} p90 {Ms(hist.Percentile(90))} " +
                 $"p99 {Ms(hist.Percentile(99))} max {Ms(hist.Max)} mean {Ms(hist.MeanMicros)}; {(ok2 == 0 ? 0 : bytes / ok2)} bytes/response; errors {errors}" +
                 (kinds.Count > 0 ? " (" + string.Join(", ", kinds.Select(kv => $"{kv.Key}: {kv.Value}")) + ")" : ""));
        Log.Line($"phase {spec.Name}: CPU server {F(serverCores)} cores ({F(serverMsPerReq)} ms CPU/request), bench {benchCores:F2} cores, " +
                 $"machine busy {F(busy)} % of {Environment.ProcessorCount} cores; auth cookie re-issued {cookies.AuthRefreshes - refreshesBefore} times");
        return new PhaseResult(spec.Name, ok2, errors, hist, rps);
    }

    private static async Task DelayUntil(long timestamp, Task orEnd, CancellationToken ct)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero) await Task.WhenAny(orEnd, Task.Delay(wait, ct));
        ct.ThrowIfCancellationRequested();
    }

    private static string Ms(double micros) => double.IsNaN(micros) ? "NaN" : (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F2", CultureInfo.InvariantCulture);

    private sealed class PhaseShared(Uri uri, CookieState? cookies, byte[] marker, long measureFrom, long end, int maxRequests)
    {
        public Uri Uri { get; } = uri;
        public CookieState? Cookies { get; } = cookies;
        public byte[] Marker { get; } = marker;
        public long MeasureFrom { get; } = measureFrom;
        public long End { get; } = end;
        public int MaxRequests { get; } = maxRequests;
        public long Issued;
        public long OkCount;
        public long ErrorCount;
    }

    private sealed class Worker
    {
        private const int MaxBody = 16 * 1024 * 1024;
        private byte[] _buffer = new byte[64 * 1024];

        public Histogram Hist { get; } = new();
        public long Ok { get; private set; }
        public long Errors { get; private set; }
        public long Bytes { get; private set; }
        public long LastEnd { get; private set; }
        public Dictionary<string, long> ErrorKinds { get; } = new(StringComparer.Ordinal);

        public async Task RunAsync(HttpClient client, PhaseShared s, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= s.End || Interlocked.Increment(ref s.Issued) > s.MaxRequests) break;
                string? error = null;
                var length = 0;
                try
                {
                    using var req = new HttpRequestMessage(HttpMethod.Get, s.Uri);
                    if (s.Cookies is not null) req.Headers.TryAddWithoutValidation("Cookie", s.Cookies.Header);
                    using var resp = await client.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct);
                    if (s.Cookies is not null && resp.Headers.TryGetValues("Set-Cookie", out var setCookies)) s.Cookies.Apply(setCookies);
                    await using (var body = await resp.Content.ReadAsStreamAsync(ct))
                    {
                        int n;
                        while ((n = await body.ReadAsync(_buffer.AsMemory(length), ct)) > 0)
                        {
                            length += n;
                            if (length == _buffer.Length)
                            {
                                if (_buffer.Length >= MaxBody) throw new IOException("response body over 16 MB");
                                Array.Resize(ref _buffer, _buffer.Length * 2);
                            }
                        }
                    }
                    if (resp.StatusCode != HttpStatusCode.OK) error = $"http_{(int)resp.StatusCode}";
                    else if (_buffer.AsSpan(0, length).IndexOf(s.Marker) < 0) error = "unexpected_content";
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (TaskCanceledException)
                {
                    error = "timeout";
                }
                catch (HttpRequestException e)
                {
                    error = $"request_{e.HttpRequestError}";
                }
                catch (IOException)
                {
                    error = "io";
                }
                var t1 = Stopwatch.GetTimestamp();
                if (t0 < s.MeasureFrom) continue; // warm-up: not counted
                LastEnd = t1;
                if (error is null)
                {
                    Hist.Record((t1 - t0) * 1_000_000 / Stopwatch.Frequency);
                    Ok++;
                    Bytes += length;
                    Interlocked.Increment(ref s.OkCount);
                }
                else
                {
                    Errors++;
                    ErrorKinds[error] = ErrorKinds.GetValueOrDefault(error) + 1;
                    Interlocked.Increment(ref s.ErrorCount);
                }
            }
        }
    }

    /// <summary>
    /// The resident's cookies, sent as one Cookie header. A re-issued cookie (Set-Cookie: sliding expiration or a
    /// security-stamp refresh) replaces the old one, as a browser would do.
    /// </summary>
    private sealed class CookieState
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
        private volatile string _header = "";
        private int _authRefreshes;

        public string Header => _header;
        public int AuthRefreshes => Volatile.Read(ref _authRefreshes);
        public IReadOnlyList<string> Names { get { lock (_gate) return [.. _cookies.Keys]; } }

        public void Set(string name, string value)
        {
            lock (_gate)
            {
                _cookies[name] = value;
                _header = string.Join("; ", _cookies.Select(kv => $"{kv.Key}={kv.Value}"));
            }
        }

        public void Apply(IEnumerable<string> setCookies)
        {
            foreach (var sc in setCookies)
            {
                var semi = sc.IndexOf(';');
                var pair = semi < 0 ? sc : sc[..semi];
                var eq = pair.IndexOf('=');
                if (eq <= 0) continue;
                var name = pair[..eq].Trim();
                var value = pair[(eq + 1)..].Trim();
                var deleted = value.Length == 0 || sc.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                lock (_gate)
                {
                    if (deleted)
                    {
                        if (!_cookies.Remove(name)) continue;
                    }
                    else
                    {
                        if (_cookies.TryGetValue(name, out var old) && old == value) continue;
                        _cookies[name] = value;
                        if (name.StartsWith("linli.auth", StringComparison.Ordinal)) _authRefreshes++;
                    }
                    _header = string.Join("; ", _cookies.Select(kv => $"{kv.Key}={kv.Value}"));
                }
            }
        }
    }

    internal readonly record struct CpuSnapshot(long At, TimeSpan Server, TimeSpan Bench, long Busy, long Total)
    {
        public static CpuSnapshot Take(ServerProcess? server)
        {
            var (busy, total) = ReadProcStat();
            using var me = Process.GetCurrentProcess();
            return new CpuSnapshot(Stopwatch.GetTimestamp(), server?.CpuTime() ?? TimeSpan.Zero, me.TotalProcessorTime, busy, total);
        }

        public double MachineBusy(CpuSnapshot before) =>
            Total - before.Total > 0 ? 100.0 * (Busy - before.Busy) / (Total - before.Total) : double.NaN;

        /// <summary>Linux /proc/stat: all CPUs' busy and total jiffies (idle + iowait are not busy).</summary>
        private static (long Busy, long Total) ReadProcStat()
        {
            try
            {
                var line = File.ReadLines("/proc/stat").First();
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                var total = f.Sum();
                return (total - f[3] - f[4], total);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
            {
                return (0, 0);
            }
        }
    }
}
