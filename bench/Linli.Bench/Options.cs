using System.Globalization;

namespace Linli.Bench;

/// <summary>Command line: <c>&lt;scenario&gt; [--name value | --flag] ...</c>. Unknown options are an error.</summary>
public sealed class Options
{
    private static readonly HashSet<string> Flags = ["keep", "help"];
    private static readonly HashSet<string> Repeatable = ["env", "publish-arg"];
    private static readonly HashSet<string> Known =
    [
        "runs", "connections", "duration", "warmup", "settle", "url", "app", "repo", "start-timeout", "keep", "help",
        "env", "publish-arg", "phases", "phone", "password", "poll-ms", "max-requests",
        "provider", "residents", "communities", "connection", "seed", "keys", "large-community", "large-residents",
        "sqlite", "requests", "totp-key", "rows", "strings", "reporters", "orders", "orders-community", "years", "pg-options",
    ];

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public string Scenario { get; private init; } = "";

    public static Options Parse(string[] args)
    {
        var o = new Options { Scenario = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "" };
        for (var i = o.Scenario.Length > 0 ? 1 : 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unexpected argument '{a}'");
            var name = a[2..];
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq > 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            if (!Known.Contains(name)) throw new UsageException($"unknown option --{name}");
            if (Flags.Contains(name))
            {
                value ??= "true";
            }
            else if (value is null)
            {
                if (i + 1 >= args.Length) throw new UsageException($"--{name} needs a value");
                value = args[++i];
            }
            if (!o._values.TryGetValue(name, out var list)) o._values[name] = list = [];
            if (list.Count > 0 && !Repeatable.Contains(name)) throw new UsageException($"--{name} given twice");
            list.Add(value);
        }
        return o;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;
    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];
    public bool Flag(string name) => Get(name) is "true" or "1" or "yes";

    public int Number(string name, int fallback, int min, int max)
    {
        var s = Get(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new UsageException($"--{name} must be an integer from {min} to {max}");
        return v;
    }

    public double Seconds(string name, double fallback, double min, double max)
    {
        var s = Get(name);
        if (s is null) return fallback;
        if (!double.TryParse(s.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new UsageException($"--{name} must be a number of seconds from {min} to {max}");
        return v;
    }

    /// <summary><c>--env KEY=VALUE</c> (repeatable): extra environment for the started app.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServerEnvironment()
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var kv in All("env"))
        {
            var eq = kv.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--env wants KEY=VALUE, got '{kv}'");
            result.Add(new(kv[..eq], kv[(eq + 1)..]));
        }
        return result;
    }

    public const string Usage = """
        usage: dotnet run --project bench/Linli.Bench -c Release -- <scenario> [options]

        scenarios:
          coldstart   publish once (not timed), then --runs times: start on a fresh empty SQLite DB (migrations +
                      demo seed) and restart on that existing DB; time from process start to the first 200 of GET /
          pages       start the app (demo DB), sign in a resident, closed-loop load on / (signed in) then on
                      /health/live (two phases one after the other), each with a warm-up that is not counted

          generate    make communities, estates, buildings, homes, households, residents (valid GB 11643 ID numbers,
                      encrypted as the app does), tags and grids, and load them straight into the database:
                      PostgreSQL by binary COPY (a private server unless --connection), SQLite in one transaction
          search      PostgreSQL with generated residents (generated here unless --connection), the published app on
                      it, a staff member signed in through the JSON API; p50/p95 of each kind of residents search
          import      the published app on a fresh demo DB (SQLite, or a private PostgreSQL with --provider postgres); a
                      workbook of --rows residents in the demo staff's community, written row by row; upload + check,
                      commit, then the same file again (all updates, none added); times and the app's RSS (base, peak)

        options:
          --runs N              coldstart: runs (default 5)
          --connections C       pages: concurrent workers = connections (default 32)
          --duration S          pages: measured seconds per phase (default 15)
          --warmup S            pages: warm-up seconds per phase, not counted (default 3)
          --settle S            intake: each phase's warm-up goes on until the app's JIT has settled (its tier-up thread under
                                2 % of a core for 5 s), at most S seconds in all (default 120; 0: just --warmup)
          --phases LIST         pages: comma list of home,health,anon,me (default home,health);
                                anon = GET / without cookie, me = GET /me signed in
          --url URL             pages: use an app already running at this loopback URL (nothing is started)
          --phone P --password P  pages: the resident to sign in (default the demo resident 13900000001)
          --max-requests N      pages: upper bound on requests per phase (default 20000000)
          --app DIR             use this published app folder instead of publishing (no build)
          --repo DIR            repository root (default: found upwards from the working folder)
          --publish-arg ARG     extra argument for dotnet publish (repeatable), e.g. -p:PublishReadyToRun=true
          --env KEY=VALUE       extra environment for the started app (repeatable)
          --start-timeout S     give up on a start after S seconds (default 120)
          --poll-ms MS          coldstart: poll interval (default 20)
          --keep                keep the temporary folder (published app, databases, server logs); generate and
                                search: also keep the private PostgreSQL running (its connection string is printed)
          --provider P          generate: postgres (default) or sqlite; import: sqlite (default) or postgres
          --rows N              import: rows of the workbook (default 100000)
          --strings S           import: shared (default: text in a shared-strings table, as Excel and WPS save a
                                workbook) or inline (in each cell, as MiniExcel writes it)
          --residents N         generate/search: residents to make (default 1000000)
          --communities N       generate/search: new communities besides the large one (default residents / 10000)
          --large-community C   generate/search: the 12-digit division code of one community that gets
                                --large-residents (search default 130108007024, the demo's 融华府社区; generate: none)
          --large-residents N   generate/search: residents of that community (default 60000)
          --connection CS       generate/search: an existing database (search: one that is already generated)
          --sqlite FILE         generate --provider sqlite: the database file (default in the work folder)
          --keys PATH           the field-keys file the app reads too (Crypto:KeyFile); required with --connection
          --seed N              generate, import: random seed (default 42)
          --requests N          search: measured requests per kind (default 200, after 20 warm-up requests)
          --phone P --password P --totp-key K  search, import: the staff member (default the demo staff 13800000002)
        """;
}

public sealed class UsageException(string message) : Exception(message);
