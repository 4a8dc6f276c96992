using System.Collections.Concurrent;
using System.Diagnostics;

namespace Linli.Bench;

/// <summary>
/// A private PostgreSQL cluster in the work folder, started as test.sh does (initdb + pg_ctl, loopback only, a free
/// port, scram password "postgres"), run as the postgres OS user when we are root. Stopped at the end unless kept.
/// Settings are those of a small dedicated server (1 GB shared buffers, large WAL between checkpoints), with fsync
/// on: what the figures describe is a normal durable server, not a tuned-for-benchmark one.
/// </summary>
public sealed class PrivatePostgres
{
    private static readonly ConcurrentDictionary<string, PrivatePostgres> Running = new();

    private readonly string _bin;
    private readonly string _root;
    private readonly string _osUser;

    public int Port { get; }
    public bool Keep { get; set; }
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres";
    public string ConnectionString(string database) => $"{ServerConnectionString};Database={database}";
    public string StopCommand => OsCommand($"{_bin}/pg_ctl -D {_root}/data -m fast stop");

    private PrivatePostgres(string bin, string root, string osUser, int port)
    {
        _bin = bin;
        _root = root;
        _osUser = osUser;
        Port = port;
    }

    public static async Task<PrivatePostgres> StartAsync(string work, CancellationToken ct)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        if (bin is null) throw new BenchException("no PostgreSQL server found in /usr/lib/postgresql: apt-get install postgresql postgresql-contrib (./test.sh does)");
        var root = Path.Combine(work, "pg");
        Directory.CreateDirectory(root);
        var osUser = Environment.UserName == "root" ? "postgres" : Environment.UserName;
        var port = ServerProcess.FreeLoopbackPort();
        var pg = new PrivatePostgres(bin, root, osUser, port);
        await File.WriteAllTextAsync(Path.Combine(root, "pw"), "postgres\n", ct);
        if (osUser != Environment.UserName) await RunAsync("chown", ["-R", osUser, root], ct);
        var sw = Stopwatch.StartNew();
        await RunAsync("bash", ["-c", pg.OsCommand($"{bin}/initdb -D {root}/data -U postgres --pwfile={root}/pw -A scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync")], ct);
        var settings = string.Join(' ', new[]
        {
            $"-p {port}", "-c listen_addresses=127.0.0.1", $"-k {root}", "-c shared_buffers=1GB", "-c max_wal_size=8GB",
            "-c checkpoint_timeout=30min", "-c maintenance_work_mem=512MB", "-c effective_cache_size=8GB",
        });
        await RunAsync("bash", ["-c", pg.OsCommand($"{bin}/pg_ctl -D {root}/data -l {root}/pg.log -w -o '{settings}' start")], ct);
        Running[root] = pg;
        Log.Line($"private PostgreSQL ({Path.GetFileName(Path.GetDirectoryName(bin))}) on 127.0.0.1:{port}, data in {root}/data, started in {sw.Elapsed.TotalSeconds:F1} s");
        return pg;
    }

    /// <summary>Stops the server unless <see cref="Keep"/>; a kept one is left running and said so.</summary>
    public async Task StopAsync()
    {
        if (!Running.TryRemove(_root, out _)) return;
        if (Keep)
        {
            Log.Line($"kept the private PostgreSQL running: {ServerConnectionString}; stop it with: {StopCommand}");
            return;
        }
        await RunAsync("bash", ["-c", StopCommand], CancellationToken.None);
    }

    /// <summary>Last resort (failure, Ctrl+C, process exit): stop every server that is not to be kept.</summary>
    public static void StopAllUnkept()
    {
        foreach (var pg in Running.Values.Where(p => !p.Keep))
        {
            try
            {
                pg.StopAsync().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is BenchException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Log.Line($"could not stop the private PostgreSQL: {e.Message}");
            }
        }
    }

    /// <summary>
    /// CPU time of the whole cluster so far: the postmaster, its live processes (backends, checkpointer, WAL writer,
    /// autovacuum) and those that have exited (their time is in the postmaster's cutime/cstime). Linux /proc only.
    /// </summary>
    public TimeSpan CpuTime()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_root, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        var ticks = Ticks(postmaster, out _, withChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == postmaster) continue;
            var t = Ticks(pid, out var parent, withChildren: false);
            if (parent == postmaster) ticks += t;
        }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    private static long Ticks(int pid, out int parent, bool withChildren)
    {
        parent = 0;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // gone
        }
        // pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17): fields after the command's closing parenthesis.
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        parent = int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture);
        long Field(int n) => long.Parse(f[n - 3], System.Globalization.CultureInfo.InvariantCulture);
        return Field(14) + Field(15) + (withChildren ? Field(16) + Field(17) : 0);
    }

    private string OsCommand(string command) => _osUser == Environment.UserName ? command : $"su {_osUser} -s /bin/bash -c \"{command.Replace("\"", "\\\"")}\"";

    private static async Task RunAsync(string file, IEnumerable<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new BenchException($"cannot start {file}");
        var output = p.StandardOutput.ReadToEndAsync(ct);
        var errors = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new BenchException($"{file} {string.Join(' ', psi.ArgumentList)} failed ({p.ExitCode}): {await errors}{await output}");
    }
}
