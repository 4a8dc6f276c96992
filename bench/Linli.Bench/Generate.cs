using System.Globalization;
using Linli.Web.Infrastructure.Data;

namespace Linli.Bench;

/// <summary>
/// <c>generate</c>: realistic communities and residents straight into a database (see <see cref="Generator"/>).
/// Without <c>--connection</c> it starts a private PostgreSQL (or makes a SQLite file) in the work folder, kept with
/// <c>--keep</c>. The measured time runs from connecting (migrations included) to the end of VACUUM ANALYZE.
/// </summary>
public static class Generate
{
    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        var provider = (o.Get("provider") ?? "postgres").ToLowerInvariant() switch
        {
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            "sqlite" => DatabaseProvider.Sqlite,
            var other => throw new UsageException($"--provider {other}: postgres or sqlite"),
        };
        var given = o.Get("connection");
        if (given is not null && o.Get("keys") is null)
            throw new UsageException("--connection needs --keys PATH: the field-keys file the app will read, or the ID numbers cannot be read back");
        var keys = o.Get("keys") ?? Path.Combine(work, "field-keys.json");
        PrivatePostgres? pg = null;
        try
        {
            string connection;
            if (given is not null) connection = given;
            else if (provider == DatabaseProvider.Postgres)
            {
                pg = await PrivatePostgres.StartAsync(work, ct);
                connection = pg.ConnectionString("linli");
            }
            else connection = $"Data Source={Path.GetFullPath(o.Get("sqlite") ?? Path.Combine(work, "linli.db"))}";

            var settings = Settings(o, provider, connection, keys, largeDefault: null);
            var result = await Generator.RunAsync(settings, ct);
            if (pg is not null) pg.Keep = o.Flag("keep");
            Log.Line($"database: {Redacted(connection)}; field keys: {Path.GetFullPath(keys)}" + (given is null && !o.Flag("keep") ? " (both deleted at the end: pass --keep to keep them)" : ""));
            return string.Create(CultureInfo.InvariantCulture,
                $"RESULT scenario=generate provider={(provider == DatabaseProvider.Postgres ? "postgres" : "sqlite")} residents={result.Residents} " +
                $"seconds={result.TotalSeconds:F1} rows_per_s={result.Rows / result.LoadSeconds:F0} rows={result.Rows} communities={result.Communities} " +
                $"load_s={result.LoadSeconds:F1} analyze_s={result.AnalyzeSeconds:F1}");
        }
        finally
        {
            if (pg is not null) await pg.StopAsync();
        }
    }

    public static GeneratorSettings Settings(Options o, DatabaseProvider provider, string connection, string keys, string? largeDefault)
    {
        var residents = o.Number("residents", 1_000_000, 1, 20_000_000);
        var large = o.Get("large-community") ?? largeDefault;
        if (large is not null && (large.Length != 12 || !large.All(char.IsAsciiDigit))) throw new UsageException("--large-community wants a 12-digit division code");
        var largeResidents = large is null ? 0 : o.Number("large-residents", 60_000, 1, residents);
        var communities = o.Number("communities", Math.Max(1, (residents - largeResidents) / 10_000), 0, 5_000);
        return new GeneratorSettings(provider, connection, keys, residents, communities, large, largeResidents, o.Number("seed", 42, 0, int.MaxValue));
    }

    public static string Redacted(string connection) =>
        string.Join(';', connection.Split(';').Select(p => p.StartsWith("Password=", StringComparison.OrdinalIgnoreCase) ? "Password=***" : p));
}
