using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Linli.Bench;

/// <summary>
/// A closed-loop load of any request: C workers, each sending its next request when the previous one is answered,
/// over one shared HttpClient; a warm-up that is not measured, then a measured window. Bounded by time and by count.
/// Latencies go into a histogram per worker. Besides the measured figures it counts every success, warm-up included,
/// so a scenario can check what the server wrote against what it answered.
/// </summary>
public static class ClosedLoop
{
    /// <summary>
    /// What one phase sends and accepts. <paramref name="Request"/> makes the n-th request of worker w;
    /// <paramref name="Check"/> says why a response is not a success (null: it is).
    /// </summary>
    public sealed record Phase(string Name, Func<int, long, HttpRequestMessage> Request, Func<HttpStatusCode, ReadOnlyMemory<byte>, string?> Check);

    public sealed record Result(string Name, long Ok, long OkAll, long Errors, long Unsure, IReadOnlyDictionary<string, long> ErrorKinds, Histogram Hist, double Rps,
        double ServerMsPerRequest, double DbMsPerRequest, double ServerCores, double DbCores, double BenchCores, double MachineBusy, string LoadAverage,
        double WarmupSeconds = double.NaN, double TierUpMs = double.NaN)
    {
        public double P(double percentile) => Hist.Percentile(percentile) / 1000.0;
    }

    /// <summary>
    /// Runs one phase. The warm-up lasts <paramref name="warmup"/>; with <paramref name="settleMax"/> above zero (and a
    /// server started here) it goes on until the server's JIT has settled, at most that long in all: until its tier-up
    /// thread used under <see cref="SettledTierUpShare"/> of a core over the last <see cref="SettleWindow"/>. On two
    /// cores under full load the runtime takes 30–40 s to recompile the hot paths; a window measured before that measures
    /// the JIT, not the app, and a phase that runs later (in an app the earlier phase has warmed) would be favoured.
    /// </summary>
    public static async Task<Result> RunAsync(HttpClient client, Phase phase, int connections, TimeSpan warmup, TimeSpan duration, long maxRequests,
        ServerProcess? server, PrivatePostgres? pg, CancellationToken ct, TimeSpan settleMax = default)
    {
        var start = Stopwatch.GetTimestamp();
        var shared = new Shared(maxRequests);
        var settle = settleMax > warmup && server?.TierUpCpuTime() is not null;
        Log.Line($"phase {phase.Name}: {connections} connections, {warmup.TotalSeconds:F0} s warm-up" +
                 (settle ? $" (longer until the server's JIT has settled, at most {settleMax.TotalSeconds:F0} s)" : "") +
                 $" + {duration.TotalSeconds:F0} s measured; load average {Import.LoadAverage()}");
        var workers = Enumerable.Range(0, connections).Select(i => new Worker(i)).ToArray();
        var all = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(client, phase, shared, ct), CancellationToken.None)));

        // The tier-up thread's CPU, sampled each second from the start: the JIT has settled when the last window's share is small.
        var tierUp = new List<(long At, TimeSpan Cpu)>();
        var tierUpShare = double.NaN;
        while (!all.IsCompleted)
        {
            var now = Stopwatch.GetTimestamp();
            var elapsed = Stopwatch.GetElapsedTime(start, now);
            if (settle && server!.TierUpCpuTime() is { } cpu)
            {
                tierUp.Add((now, cpu));
                var from = tierUp.FindIndex(x => Stopwatch.GetElapsedTime(x.At, now) <= SettleWindow + TimeSpan.FromMilliseconds(100));
                if (from >= 0 && Stopwatch.GetElapsedTime(tierUp[from].At, now) >= SettleWindow - TimeSpan.FromMilliseconds(100))
                    tierUpShare = (cpu - tierUp[from].Cpu) / Stopwatch.GetElapsedTime(tierUp[from].At, now);
            }
            if (elapsed >= warmup && (!settle || tierUpShare < SettledTierUpShare || elapsed >= settleMax)) break;
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(settle ? 1 : 0.05), ct));
            ct.ThrowIfCancellationRequested();
        }
        ct.ThrowIfCancellationRequested();
        var measureFrom = Stopwatch.GetTimestamp();
        var warmupSeconds = Stopwatch.GetElapsedTime(start, measureFrom).TotalSeconds;
        var tierUpMs = tierUp.Count > 0 ? (tierUp[^1].Cpu - tierUp[0].Cpu).TotalMilliseconds : double.NaN;
        if (settle)
            Log.Line($"phase {phase.Name}: warm-up {warmupSeconds:F0} s; the server's tier-up thread used {tierUpMs:F0} ms of CPU in it, " +
                     $"{tierUpShare * 100:F1} % of a core over the last {SettleWindow.TotalSeconds:F0} s" +
                     (tierUpShare < SettledTierUpShare ? ": settled" : ": NOT settled, measuring anyway"));
        shared.Start(measureFrom, measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        var cpu0 = Pages.CpuSnapshot.Take(server);
        var db0 = pg?.CpuTime() ?? TimeSpan.Zero;
        var lastReport = Stopwatch.GetTimestamp();
        var lastOk = 0L;
        while (!all.IsCompleted && Stopwatch.GetTimestamp() < shared.End)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(250), ct));
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(lastReport, now) >= TimeSpan.FromSeconds(5) && now < shared.End)
            {
                var ok = Interlocked.Read(ref shared.OkCount);
                Log.Line($"  {phase.Name}: {Stopwatch.GetElapsedTime(shared.MeasureFrom, now).TotalSeconds:F0} s, {(ok - lastOk) / Stopwatch.GetElapsedTime(lastReport, now).TotalSeconds:F0} rps, errors {Interlocked.Read(ref shared.ErrorCount)}");
                lastReport = now;
                lastOk = ok;
            }
        }
        var cpu1 = Pages.CpuSnapshot.Take(server);
        var db1 = pg?.CpuTime() ?? TimeSpan.Zero;
        await all;
        ct.ThrowIfCancellationRequested();

        var hist = new Histogram();
        long ok2 = 0, okAll = 0, errors = 0, unsure = 0, lastEnd = shared.MeasureFrom;
        var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var w in workers)
        {
            hist.Add(w.Hist);
            ok2 += w.Ok;
            okAll += w.OkAll;
            errors += w.Errors;
            unsure += w.Unsure;
            lastEnd = Math.Max(lastEnd, w.LastEnd);
            foreach (var (k, v) in w.ErrorKinds) kinds[k] = kinds.GetValueOrDefault(k) + v;
        }
        var seconds = Math.Max(Stopwatch.GetElapsedTime(shared.MeasureFrom, lastEnd).TotalSeconds, duration.TotalSeconds);
        var rps = ok2 / seconds;
        var wall = (cpu1.At - cpu0.At) / (double)Stopwatch.Frequency;
        var served = rps * wall;
        var serverCpu = server is null ? double.NaN : (cpu1.Server - cpu0.Server).TotalMilliseconds;
        var dbCpu = pg is null ? double.NaN : (db1 - db0).TotalMilliseconds;
        var result = new Result(phase.Name, ok2, okAll, errors, unsure, kinds, hist, rps,
            served > 0 ? serverCpu / served : double.NaN, served > 0 ? dbCpu / served : double.NaN,
            serverCpu / 1000 / wall, dbCpu / 1000 / wall, (cpu1.Bench - cpu0.Bench).TotalSeconds / wall, cpu1.MachineBusy(cpu0), Import.LoadAverage(),
            warmupSeconds, tierUpMs);
        Log.Line($"phase {phase.Name}: {ok2} ok in {seconds:F1} s = {rps:F1} rps; latency ms p50 {F(result.P(50))} p90 {F(result.P(90))} p99 {F(result.P(99))} " +
                 $"max {F(hist.Max / 1000.0)}; errors {errors}" + (kinds.Count > 0 ? " (" + string.Join(", ", kinds.Select(kv => $"{kv.Key}: {kv.Value}")) + ")" : ""));
        Log.Line($"phase {phase.Name}: CPU server {F(result.ServerCores)} cores ({F(result.ServerMsPerRequest)} ms/request), PostgreSQL {F(result.DbCores)} cores " +
                 $"({F(result.DbMsPerRequest)} ms/request), bench {result.BenchCores:F2} cores, machine busy {F(result.MachineBusy)} % of {Environment.ProcessorCount} cores; " +
                 $"load average {result.LoadAverage}");
        return result;
    }

    public static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>The tier-up thread's window and the share of a core under which the JIT counts as settled.</summary>
    public static readonly TimeSpan SettleWindow = TimeSpan.FromSeconds(5);
    public const double SettledTierUpShare = 0.02;

    private sealed class Shared(long maxRequests)
    {
        private long _measureFrom = long.MaxValue, _end = long.MaxValue;
        /// <summary>Until <see cref="Start"/> everything is warm-up.</summary>
        public long MeasureFrom => Volatile.Read(ref _measureFrom);
        public long End => Volatile.Read(ref _end);
        public void Start(long measureFrom, long end)
        {
            Volatile.Write(ref _end, end);
            Volatile.Write(ref _measureFrom, measureFrom);
        }
        public long MaxRequests { get; } = maxRequests;
        public long Issued;
        public long OkCount;
        public long ErrorCount;
    }

    private sealed class Worker(int index)
    {
        public Histogram Hist { get; } = new();
        public long Ok { get; private set; }
        public long OkAll { get; private set; }
        public long Errors { get; private set; }
        /// <summary>Requests whose outcome the bench cannot know (timed out, connection lost): the server may have written them.</summary>
        public long Unsure { get; private set; }
        public long LastEnd { get; private set; }
        public Dictionary<string, long> ErrorKinds { get; } = new(StringComparer.Ordinal);

        public async Task RunAsync(HttpClient client, Phase phase, Shared s, CancellationToken ct)
        {
            for (long n = 0; !ct.IsCancellationRequested; n++)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= s.End || Interlocked.Increment(ref s.Issued) > s.MaxRequests) break;
                string? error;
                var unsure = false;
                try
                {
                    using var req = phase.Request(index, n);
                    using var resp = await client.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct);
                    var body = await resp.Content.ReadAsByteArrayAsync(ct);
                    error = phase.Check(resp.StatusCode, body);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (TaskCanceledException)
                {
                    error = "timeout";
                    unsure = true;
                }
                catch (HttpRequestException e)
                {
                    error = $"request_{e.HttpRequestError}";
                    unsure = true;
                }
                catch (IOException)
                {
                    error = "io";
                    unsure = true;
                }
                var t1 = Stopwatch.GetTimestamp();
                if (error is null) OkAll++;
                if (unsure) Unsure++;
                if (t0 < s.MeasureFrom) continue; // warm-up: not measured
                LastEnd = t1;
                if (error is null)
                {
                    Hist.Record((t1 - t0) * 1_000_000 / Stopwatch.Frequency);
                    Ok++;
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
}
