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
        double ServerMsPerRequest, double DbMsPerRequest, double ServerCores, double DbCores, double BenchCores, double MachineBusy, string LoadAverage)
    {
        public double P(double percentile) => Hist.Percentile(percentile) / 1000.0;
    }

    public static async Task<Result> RunAsync(HttpClient client, Phase phase, int connections, TimeSpan warmup, TimeSpan duration, long maxRequests,
        ServerProcess? server, PrivatePostgres? pg, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var shared = new Shared(start + (long)(warmup.TotalSeconds * Stopwatch.Frequency), maxRequests);
        shared.End = shared.MeasureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        Log.Line($"phase {phase.Name}: {connections} connections, {warmup.TotalSeconds:F0} s warm-up + {duration.TotalSeconds:F0} s measured; load average {Import.LoadAverage()}");
        var workers = Enumerable.Range(0, connections).Select(i => new Worker(i)).ToArray();
        var all = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(client, phase, shared, ct), CancellationToken.None)));

        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), shared.MeasureFrom);
        if (wait > TimeSpan.Zero) await Task.WhenAny(all, Task.Delay(wait, ct));
        ct.ThrowIfCancellationRequested();
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
            serverCpu / 1000 / wall, dbCpu / 1000 / wall, (cpu1.Bench - cpu0.Bench).TotalSeconds / wall, cpu1.MachineBusy(cpu0), Import.LoadAverage());
        Log.Line($"phase {phase.Name}: {ok2} ok in {seconds:F1} s = {rps:F1} rps; latency ms p50 {F(result.P(50))} p90 {F(result.P(90))} p99 {F(result.P(99))} " +
                 $"max {F(hist.Max / 1000.0)}; errors {errors}" + (kinds.Count > 0 ? " (" + string.Join(", ", kinds.Select(kv => $"{kv.Key}: {kv.Value}")) + ")" : ""));
        Log.Line($"phase {phase.Name}: CPU server {F(result.ServerCores)} cores ({F(result.ServerMsPerRequest)} ms/request), PostgreSQL {F(result.DbCores)} cores " +
                 $"({F(result.DbMsPerRequest)} ms/request), bench {result.BenchCores:F2} cores, machine busy {F(result.MachineBusy)} % of {Environment.ProcessorCount} cores; " +
                 $"load average {result.LoadAverage}");
        return result;
    }

    public static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F2", CultureInfo.InvariantCulture);

    private sealed class Shared(long measureFrom, long maxRequests)
    {
        public long MeasureFrom { get; } = measureFrom;
        public long End { get; set; }
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
