using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Linli.Bench;

/// <summary>
/// Every child process the bench starts is registered here, so that a failure, Ctrl+C, SIGTERM or a normal exit
/// never leaves one running.
/// </summary>
public static class Children
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    public static void Add(Process p) => Running[p.Id] = p;
    public static void Remove(Process p) => Running.TryRemove(p.Id, out _);

    /// <summary>Last resort (process exit): kill whatever is still registered, with its children.</summary>
    public static void KillAll()
    {
        foreach (var (_, p) in Running)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }
        }
        Running.Clear();
    }
}

/// <summary>Where the repository is and how to publish Linli.Web into a folder of our own.</summary>
public static class Publisher
{
    public static string FindRepo(string? given)
    {
        if (given is not null)
        {
            var full = Path.GetFullPath(given);
            if (!File.Exists(Path.Combine(full, "Linli.slnx"))) throw new UsageException($"--repo {given}: no Linli.slnx there");
            return full;
        }
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Linli.slnx"))) return d.FullName;
            }
        }
        throw new UsageException("cannot find the repository (Linli.slnx) above the working folder; pass --repo");
    }

    /// <summary>
    /// <c>dotnet publish src/Linli.Web -c Release -r <c>dotnet publish src/Linli.Web -c Release -o {work}/app</c>lt;this platform<c>dotnet publish src/Linli.Web -c Release -o {work}/app</c>gt; -o {work}/app</c> (ReadyToRun, as deployed), with its own artifacts folder so that it never
    /// touches the bin/obj folders other people build in.
    /// </summary>
    public static async Task<string> PublishAsync(string repo, string work, IReadOnlyList<string> extraArgs, CancellationToken ct)
    {
        var app = Path.Combine(work, "app");
        var project = Path.Combine(repo, "src", "Linli.Web", "Linli.Web.csproj");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-o", app, "--artifacts-path", Path.Combine(work, "artifacts"), "-v", "minimal" })
            psi.ArgumentList.Add(a);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        Log.Line($"publish: dotnet {string.Join(' ', psi.ArgumentList)}");
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet publish");
        Children.Add(p);
        try
        {
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(10));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                throw;
            }
            var output = (await stdout) + (await stderr);
            if (p.ExitCode != 0)
            {
                Console.WriteLine(output);
                throw new BenchException($"dotnet publish failed with exit code {p.ExitCode}");
            }
        }
        finally
        {
            Children.Remove(p);
        }
        var dll = Path.Combine(app, "Linli.Web.dll");
        if (!File.Exists(dll)) throw new BenchException($"publish produced no {dll}");
        Log.Line($"publish: done in {sw.Elapsed.TotalSeconds:F1} s -> {app}");
        return app;
    }
}

/// <summary>
/// One run of the published Linli.Web: <c>dotnet Linli.Web.dll</c> with the app folder as working folder (so
/// appsettings.json and wwwroot are found), Production, demo seed on, a SQLite file of ours, a free loopback port.
/// Stopped with SIGTERM (graceful), then killed with its process tree if it does not exit within 10 s.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();
    private readonly Stopwatch _clock;
    private readonly Dictionary<string, double> _marks = new(StringComparer.Ordinal);

    /// <summary>Lines of the server output whose first appearance is timed (ms since process start).</summary>
    private static readonly string[] Markers =
        ["Applying migration", "Demo data loaded", "Now listening on", "Application started"];

    public Uri BaseAddress { get; }
    public long StartTimestamp { get; }
    public int Pid => _process.Id;
    public string LogPath { get; }

    private ServerProcess(Process process, Uri baseAddress, long startTimestamp, Stopwatch clock, StreamWriter log, string logPath)
    {
        _process = process;
        BaseAddress = baseAddress;
        StartTimestamp = startTimestamp;
        _clock = clock;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>
    /// The published app (or <c>--app</c>) started on PostgreSQL in <c>{work}/{name}</c>: the connection string (plus
    /// <c>--pg-options</c>), then <paramref name="settings"/>, then <c>--env</c>; answered once <paramref name="readyPath"/> is 200.
    /// </summary>
    public static async Task<ServerProcess> StartOnPostgresAsync(Options o, string work, string name, string connection,
        IEnumerable<KeyValuePair<string, string>> settings, string readyPath, CancellationToken ct)
    {
        var app = o.Get("app") is { } folder ? ColdStart.AppFolder(folder) : await Publisher.PublishAsync(Publisher.FindRepo(o.Get("repo")), work, o.All("publish-arg"), ct);
        var dir = Path.Combine(work, name);
        Directory.CreateDirectory(dir);
        var env = new List<KeyValuePair<string, string>>
        {
            new("Database__Provider", "Postgres"), new("ConnectionStrings__Postgres", connection + (o.Get("pg-options") is { } extra ? ";" + extra : "")),
        };
        env.AddRange(settings);
        env.AddRange(o.ServerEnvironment());
        var server = Start(app, Path.Combine(dir, "unused.db"), Path.Combine(dir, "server.log"), env);
        try
        {
            using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
            var ready = await server.WaitFor200Async(probe, readyPath, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(o.Seconds("start-timeout", 120, 5, 600)), ct);
            Log.Line($"started Linli.Web (pid {server.Pid}) at {server.BaseAddress} on PostgreSQL; {readyPath} after {ready.TotalMilliseconds:F0} ms" +
                     (server.Mark("Demo data loaded") is not null ? " (it loaded the demo)" : ""));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public static int FreeLoopbackPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static ServerProcess Start(string appDir, string dbFile, string logPath, IReadOnlyList<KeyValuePair<string, string>> extraEnv)
    {
        var port = FreeLoopbackPort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(appDir, "Linli.Web.dll"));
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["Database__Provider"] = "Sqlite";
        psi.Environment["ConnectionStrings__Sqlite"] = $"Data Source={dbFile}";
        psi.Environment["Demo__Seed"] = "true";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in extraEnv) psi.Environment[k] = v;

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var clock = new Stopwatch();
        var start = Stopwatch.GetTimestamp();
        clock.Start();
        var p = Process.Start(psi) ?? throw new BenchException("cannot start dotnet Linli.Web.dll");
        Children.Add(p);
        var server = new ServerProcess(p, url, start, clock, log, logPath);
        p.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        var ms = _clock.Elapsed.TotalMilliseconds;
        lock (_gate)
        {
            _log.WriteLine($"{ms,9:F0} ms | {line}");
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
            foreach (var m in Markers)
            {
                if (!_marks.ContainsKey(m) && line.Contains(m, StringComparison.Ordinal)) _marks[m] = ms;
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>When a marker line first appeared in the server output, in ms since the process was started.</summary>
    public double? Mark(string marker)
    {
        lock (_gate) return _marks.TryGetValue(marker, out var v) ? v : null;
    }

    public string Tail()
    {
        lock (_gate) return string.Join(Environment.NewLine, _tail);
    }

    public TimeSpan CpuTime()
    {
        try
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>
    /// CPU time of the runtime's tier-up thread (".NET Tiered Com", which recompiles hot methods with full optimisation
    /// and profile data): while it is busy the app is still warming up. Null when /proc does not tell (not Linux, exited).
    /// </summary>
    public TimeSpan? TierUpCpuTime()
    {
        try
        {
            var ticks = 0L;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal)) continue;
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": state is field 3, utime 14, stime 15
                ticks += long.Parse(f[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(f[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Polls <paramref name="path"/> every <paramref name="interval"/> until it answers 200; returns the time from the
    /// process start to that response. Fails when the process exits or the timeout passes.
    /// </summary>
    public async Task<TimeSpan> WaitFor200Async(HttpClient client, string path, TimeSpan interval, TimeSpan timeout, CancellationToken ct)
    {
        var uri = new Uri(BaseAddress, path);
        var maxAttempts = (int)Math.Ceiling(timeout / interval) + 1;
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new BenchException($"the app exited with code {_process.ExitCode} before answering; last output:{Environment.NewLine}{Tail()}");
            var before = Stopwatch.GetTimestamp();
            try
            {
                using var resp = await client.GetAsync(uri, HttpCompletionOption.ResponseContentRead, ct);
                if (resp.StatusCode == HttpStatusCode.OK) return Stopwatch.GetElapsedTime(StartTimestamp);
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // one slow attempt (client timeout): poll again
            }
            if (Stopwatch.GetElapsedTime(StartTimestamp) > timeout)
                throw new BenchException($"no 200 from {uri} within {timeout.TotalSeconds:F0} s; last output:{Environment.NewLine}{Tail()}");
            var wait = interval - Stopwatch.GetElapsedTime(before);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        }
        throw new BenchException($"no 200 from {uri} after {maxAttempts} attempts");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (!OperatingSystem.IsWindows()) _ = Posix.kill(_process.Id, Posix.SIGTERM);
                else _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    Log.Line($"server {_process.Id} did not stop within 10 s of SIGTERM: killing it");
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
            else
            {
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        finally
        {
            Children.Remove(_process);
            lock (_gate) _log.Dispose();
            _process.Dispose();
        }
    }
}

internal static partial class Posix
{
    public const int SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a plain int signature needs no generated marshalling
    public static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}

public sealed class BenchException(string message) : Exception(message);

public static class Teardown
{
    /// <summary>The end of a scenario that ran the app on a private PostgreSQL: the app stopped, the server stopped unless --keep.</summary>
    public static async Task StopAsync(ServerProcess? server, PrivatePostgres? pg, Options o)
    {
        if (server is not null)
        {
            Log.Line($"stopping the app (pid {server.Pid})");
            await server.DisposeAsync();
        }
        if (pg is not null)
        {
            pg.Keep = o.Flag("keep");
            await pg.StopAsync();
        }
    }
}

public static class Log
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static readonly Lock Gate = new();

    public static void Line(string text)
    {
        lock (Gate) Console.WriteLine($"[{Clock.Elapsed.TotalSeconds,7:F1}s] {text}");
    }
}
