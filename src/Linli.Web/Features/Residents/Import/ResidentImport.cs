using System.Collections.Concurrent;
using System.Security.Claims;
using System.Threading.Channels;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Privacy;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Residents.Import;

public enum ImportStatus { Checked, Queued, Committing, Done, Failed }

/// <summary>
/// One upload: the file on disk (under <c>data/imports</c>), what the check found, and the commit's progress.
/// Jobs live in the process that received the upload and are forgotten after a day or a restart; the file is
/// deleted with them.
/// </summary>
public sealed class ImportJob
{
    public const int ProblemsKept = 2000;

    public Guid Id { get; } = Guid.CreateVersion7();
    public required Guid CommunityId { get; init; }
    public required Guid UserId { get; init; }
    public required string UserName { get; init; }
    public required string FileName { get; init; }
    public required string Path { get; init; }
    /// <summary>The rows as the check read them (<see cref="ImportSpool"/>), for the commit.</summary>
    public string RowsPath => Path + ".rows";
    public required DateTime CreatedAt { get; init; }
    public required IReadOnlyList<Claim> Claims { get; init; }
    /// <summary>The uploader's UI language: the commit's messages are written in it.</summary>
    public required string Culture { get; init; }
    public int Rows { get; set; }
    public int ValidRows { get; set; }
    public int ProblemRows { get; set; }
    /// <summary>The first <see cref="ProblemsKept"/> problems (all of them are in the problems workbook).</summary>
    public List<ImportProblem> Problems { get; } = [];
    public int ProblemCount { get; set; }
    // Fields, not properties: the runner moves them with Interlocked and volatile writes while pages read them.
#pragma warning disable CA1051
    public volatile ImportStatus Status;
    public int Processed;
    public int Created;
    public int Updated;
    public int Skipped;
#pragma warning restore CA1051
    public string? Error { get; set; }
}

public sealed record ImportJobView(Guid Id, string FileName, ImportStatus Status, int Rows, int ValidRows, int ProblemRows, int ProblemCount,
    IReadOnlyList<ImportProblem> Problems, int Processed, int Created, int Updated, int Skipped, string? Error);

/// <summary>The jobs of this process, and the folder their files wait in (setting <c>Imports:Folder</c>).</summary>
public sealed class ImportJobs(string folder)
{
    public string Folder { get; } = folder;

    private readonly ConcurrentDictionary<Guid, ImportJob> _jobs = new();
    public Channel<Guid> Queue { get; } = Channel.CreateUnbounded<Guid>();

    public void Add(ImportJob job) => _jobs[job.Id] = job;
    public ImportJob? Find(Guid id) => _jobs.GetValueOrDefault(id);

    public void Forget(DateTime olderThan)
    {
        foreach (var job in _jobs.Values.Where(j => j.CreatedAt < olderThan && j.Status is not (ImportStatus.Queued or ImportStatus.Committing)))
        {
            _jobs.TryRemove(job.Id, out _);
            try
            {
                File.Delete(job.Path);
                File.Delete(job.RowsPath);
            }
            catch (IOException)
            {
                // still open somewhere: a later upload tries again
            }
        }
    }
}

/// <summary>
/// Excel import of the registry: upload → check every row (nothing written) → commit the valid rows in batches of
/// <see cref="BatchSize"/>, each in its own transaction. A resident is identified by the ID number's keyed hash, so
/// importing the same file again updates and never duplicates. Tags are added, never removed; empty cells keep what
/// the registry already has.
/// </summary>
public sealed class ResidentImporter(AppDbContext db, ImportJobs jobs, Texts t, IFieldCrypto crypto, AuditLog audit, TimeProvider clock,
    TenantScope scope, IHttpContextAccessor http)
{
    public const long MaxBytes = 20L * 1024 * 1024;
    public const int BatchSize = 1000;

    private string Folder => jobs.Folder;

    /// <summary>Stores the upload, checks it, and returns the job; a file-level problem is a 400 naming "File".</summary>
    public async Task<ImportJob> UploadAsync(Guid communityId, IFormFile? file, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        if (file is null || file.Length == 0) throw DomainException.Invalid("File", "import.file_required");
        if (file.Length > MaxBytes) throw new DomainException("import.file_too_large", status: StatusCodes.Status413PayloadTooLarge, field: "File");
        jobs.Forget(clock.GetUtcNow().UtcDateTime.AddDays(-1));
        Directory.CreateDirectory(Folder);
        var user = http.HttpContext!.User;
        var job = new ImportJob
        {
            CommunityId = communityId,
            UserId = user.UserId() ?? Guid.Empty,
            UserName = user.Identity?.Name ?? "",
            FileName = System.IO.Path.GetFileName(file.FileName),
            Path = System.IO.Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".xlsx"),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Claims = user.Claims.Select(c => new Claim(c.Type, c.Value)).ToList(),
            Culture = System.Globalization.CultureInfo.CurrentUICulture.Name,
        };
        await using (var target = File.Create(job.Path))
            await file.CopyToAsync(target, ct);
        try
        {
            await CheckAsync(job, ct);
        }
        catch
        {
            File.Delete(job.Path);
            File.Delete(job.RowsPath);
            throw;
        }
        jobs.Add(job);
        return job;
    }

    private async Task CheckAsync(ImportJob job, CancellationToken ct)
    {
        var kind = ImportSheet.Sniff(job.Path);
        if (kind != ImportSheet.Kind.Xlsx)
            throw DomainException.Invalid("File", kind switch
            {
                ImportSheet.Kind.Encrypted => "import.password_protected",
                ImportSheet.Kind.LegacyXls => "import.old_xls",
                _ => "import.not_xlsx",
            });
        var checker = new ImportRowChecker(t, await PlaceIndex.LoadAsync(db, job.CommunityId, ct), clock.Today());
        var scratch = new List<ImportProblem>();
        using var spool = new ImportSpool.Writer(job.RowsPath);
        foreach (var (row, cells) in Read(job.Path))
        {
            ct.ThrowIfCancellationRequested();
            spool.Add(row, cells);
            job.Rows++;
            scratch.Clear();
            if (checker.Check(row, cells, scratch) is null)
            {
                job.ProblemRows++;
                job.ProblemCount += scratch.Count;
                foreach (var p in scratch) if (job.Problems.Count < ImportJob.ProblemsKept) job.Problems.Add(p);
            }
            else job.ValidRows++;
        }
        if (job.Rows == 0) throw DomainException.Invalid("File", "import.empty");
    }

    /// <summary>The rows of the file; a file that is not a readable workbook, or lacks a required column, is a 400.</summary>
    private static IEnumerable<(int Row, IReadOnlyDictionary<string, string?> Cells)> Read(string path)
    {
        using var rows = ImportSheet.Rows(path, header =>
        {
            var missing = ImportColumns.Required.FirstOrDefault(c => !header.Columns.Values.Contains(c));
            if (missing is not null) throw DomainException.Invalid("File", "import.missing_header", missing);
        }).GetEnumerator();
        while (true)
        {
            try
            {
                if (!rows.MoveNext()) yield break;
            }
            catch (Exception e) when (e is not DomainException and not OperationCanceledException)
            {
                throw DomainException.Invalid("File", "import.unreadable");
            }
            yield return rows.Current;
        }
    }

    public ImportJob Get(Guid id)
    {
        var job = jobs.Find(id);
        if (job is null || !scope.CanSee(job.CommunityId)) throw new NotFoundException();
        return job;
    }

    public static ImportJobView View(ImportJob j, int problems = 200) => new(j.Id, j.FileName, j.Status, j.Rows, j.ValidRows, j.ProblemRows, j.ProblemCount,
        j.Problems.Take(problems).ToList(), Volatile.Read(ref j.Processed), Volatile.Read(ref j.Created), Volatile.Read(ref j.Updated), Volatile.Read(ref j.Skipped), j.Error);

    /// <summary>Queues the commit; it runs in the background and reports its progress on the job.</summary>
    public void Commit(Guid id)
    {
        var job = Get(id);
        lock (job)
        {
            if (job.Status != ImportStatus.Checked) throw new DomainException("import.already_committed", status: StatusCodes.Status409Conflict);
            if (job.ValidRows == 0) throw new DomainException("import.nothing_to_commit", status: StatusCodes.Status409Conflict);
            job.Status = ImportStatus.Queued;
        }
        jobs.Queue.Writer.TryWrite(job.Id);
    }

    /// <summary>All problems of the check as a workbook (row, column, reason).</summary>
    public async Task WriteProblemsAsync(Guid id, Stream output, CancellationToken ct)
    {
        var job = Get(id);
        var checker = new ImportRowChecker(t, await PlaceIndex.LoadAsync(db, job.CommunityId, ct), clock.Today());
        var scratch = new List<ImportProblem>();
        IEnumerable<Dictionary<string, object?>> All()
        {
            foreach (var (row, cells) in Read(job.Path))
            {
                scratch.Clear();
                checker.Check(row, cells, scratch);
                foreach (var p in scratch)
                    yield return new Dictionary<string, object?> { [t.Get("import.row")] = p.Row, [t.Get("import.column")] = p.Column, [t.Get("import.reason")] = p.Reason };
            }
        }
        await MiniExcelLibs.MiniExcel.SaveAsAsync(output, All(), cancellationToken: ct);
    }

    /// <summary>Checked rows for one transaction, and how many rows of the file they stand for (with the skipped ones).</summary>
    private sealed record CheckedBatch(List<ImportRow> Rows, int Skipped, int Read);

    /// <summary>
    /// Runs a queued commit (called by <see cref="ImportRunner"/> in a scope of its own). Every row is checked again
    /// (the registry may have changed since the upload), from the rows the check spooled rather than by parsing the
    /// workbook a second time, on a thread of its own one batch ahead of the writing, so that it overlaps the database's
    /// work instead of adding to it.
    /// </summary>
    public async Task RunAsync(ImportJob job, CancellationToken ct)
    {
        scope.UsePrincipal(new ClaimsPrincipal(new ClaimsIdentity(job.Claims, "import")));
        var culture = System.Globalization.CultureInfo.GetCultureInfo(job.Culture);
        System.Globalization.CultureInfo.CurrentUICulture = culture;
        job.Status = ImportStatus.Committing;
        var places = await PlaceIndex.LoadAsync(db, job.CommunityId, ct);
        var batches = Channel.CreateBounded<CheckedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(() => ReadBatchesAsync(job, places, culture, batches.Writer, stopReading.Token), CancellationToken.None);
        var batchNumber = 0;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                if (batch.Rows.Count > 0)
                {
                    batchNumber++;
                    await WriteBatchAsync(job, batch.Rows, ct);
                    await RefreshStatisticsAsync(ct);
                }
                Interlocked.Add(ref job.Skipped, batch.Skipped);
                Interlocked.Add(ref job.Processed, batch.Read);
            }
            job.Status = ImportStatus.Done;
            await audit.WriteAsync(AuditEvents.ResidentsImported, "ImportJob", job.Id.ToString(),
                $"created {job.Created}, updated {job.Updated}, skipped {job.Skipped}", userId: job.UserId, userName: job.UserName, communityId: job.CommunityId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            job.Error = t.Get("import.failed", batchNumber, e is DomainException d ? Infrastructure.Errors.ApiExceptionHandler.Localize(d, t) : e.GetType().Name);
            job.Status = ImportStatus.Failed;
            db.ChangeTracker.Clear();
            await audit.WriteAsync(AuditEvents.ResidentsImported, "ImportJob", job.Id.ToString(), $"failed in batch {batchNumber}; created {job.Created}, updated {job.Updated}",
                succeeded: false, userId: job.UserId, userName: job.UserName, communityId: job.CommunityId);
            throw;
        }
        finally
        {
            // The reader uses this scope's services: it has ended before the scope does.
            await stopReading.CancelAsync();
            await reading;
        }
    }

    /// <summary>Reads and checks the spooled rows into batches of <see cref="BatchSize"/> valid rows; a failure ends the channel with it.</summary>
    private async Task ReadBatchesAsync(ImportJob job, PlaceIndex places, System.Globalization.CultureInfo culture, ChannelWriter<CheckedBatch> output, CancellationToken ct)
    {
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
            var checker = new ImportRowChecker(t, places, clock.Today());
            var scratch = new List<ImportProblem>();
            var rows = new List<ImportRow>(BatchSize);
            int skipped = 0, read = 0;
            foreach (var (row, cells) in ImportSpool.Read(job.RowsPath))
            {
                ct.ThrowIfCancellationRequested();
                scratch.Clear();
                read++;
                if (checker.Check(row, cells, scratch) is { } valid) rows.Add(valid);
                else skipped++;
                if (rows.Count == BatchSize)
                {
                    await output.WriteAsync(new CheckedBatch(rows, skipped, read), ct);
                    (rows, skipped, read) = (new List<ImportRow>(BatchSize), 0, 0);
                }
            }
            if (read > 0) await output.WriteAsync(new CheckedBatch(rows, skipped, read), ct);
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
        }
    }

    /// <summary>
    /// PostgreSQL: when more rows of the registry changed since its last ANALYZE than it held then (an import that
    /// doubled it), the planner's statistics are renewed now, not when autovacuum comes round a minute later. With the
    /// statistics of a small table PostgreSQL looked each batch's ID numbers up by reading the whole table (measured
    /// at 100,000 residents: 100–200 ms a batch, ~10 ms through the index), and one import makes the table large well
    /// within that minute. It happens about log2(rows / 1,000) times in an import into a new registry, at most once
    /// when the registry is already as large as what the import adds.
    /// </summary>
    private async Task RefreshStatisticsAsync(CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return;
        var stale = await db.Database.SqlQueryRaw<bool>("""
            SELECT s.n_mod_since_analyze > GREATEST(c.reltuples, 0) AS "Value"
            FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relid = '"Residents"'::regclass
            """).SingleOrDefaultAsync(ct);
        if (stale) await db.Database.ExecuteSqlRawAsync("""ANALYZE "Residents", "Residences", "ResidentTags" """, ct);
    }

    /// <summary>One batch in one transaction: all of its rows are written, or none.</summary>
    private async Task WriteBatchAsync(ImportJob job, List<ImportRow> rows, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = clock.Today();
        var hashes = rows.Select(r => crypto.LookupHash(r.Id.Value)).ToList();
        List<string?> lookup = [.. hashes];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.Residents
            .Where(r => r.CommunityId == job.CommunityId && lookup.Contains(r.IdNumberHash))
            .ToDictionaryAsync(r => r.IdNumberHash!, ct);
        if (existing.Count > 0)
        {
            // The current residences and the tags of those residents, looked up by their ids (an index each); EF fixes up
            // the navigations. As Includes they were joined in one query, which PostgreSQL answered by reading every
            // residence and tag of the community for each batch: an import into a large community slowed with its size.
            List<Guid> ids = [.. existing.Values.Select(r => r.Id)];
            await db.Residences.Where(x => x.CommunityId == job.CommunityId && ids.Contains(x.ResidentId) && x.To == null).LoadAsync(ct);
            await db.ResidentTags.Where(x => x.CommunityId == job.CommunityId && ids.Contains(x.ResidentId)).LoadAsync(ct);
        }
        int created = 0, updated = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (existing.TryGetValue(hashes[i], out var resident))
            {
                resident.Update(row.Name, null, null, row.Phone ?? resident.Phone, row.EmergencyName ?? resident.EmergencyContactName,
                    row.EmergencyPhone ?? resident.EmergencyContactPhone, row.Skills ?? resident.Skills, row.Notes ?? resident.Notes, now);
                updated++;
            }
            else
            {
                resident = new Resident(job.CommunityId, row.Name, now);
                resident.Update(row.Name, null, null, row.Phone, row.EmergencyName, row.EmergencyPhone, row.Skills, row.Notes, now);
                resident.SetIdNumber(row.Id, crypto.Encrypt(row.Id.Value), hashes[i]);
                db.Residents.Add(resident);
                existing[hashes[i]] = resident;
                created++;
            }
            if (row.Home is { } home && resident.Current?.HomeId != home.Id)
                resident.MoveTo(home, row.Occupancy, row.Relation, resident.Current is { } c && c.From > today ? c.From : today);
            if (row.Tags.Count > 0 || row.CustomTags.Count > 0)
                resident.SetTags(resident.Tags.Where(x => x.Kind != TagKind.Custom).Select(x => x.Kind).Concat(row.Tags),
                    resident.Tags.Where(x => x.Kind == TagKind.Custom).Select(x => x.CustomName!).Concat(row.CustomTags));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        Interlocked.Add(ref job.Created, created);
        Interlocked.Add(ref job.Updated, updated);
    }
}

/// <summary>Runs queued import commits one at a time, each in its own DI scope.</summary>
public sealed class ImportRunner(ImportJobs jobs, IServiceScopeFactory scopes, ILogger<ImportRunner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var id in jobs.Queue.Reader.ReadAllAsync(stoppingToken))
        {
            if (jobs.Find(id) is not { } job) continue;
            using var s = scopes.CreateScope();
            try
            {
                await s.ServiceProvider.GetRequiredService<ResidentImporter>().RunAsync(job, stoppingToken);
                log.LogInformation("Import {Job} done: {Created} created, {Updated} updated, {Skipped} skipped", job.Id, job.Created, job.Updated, job.Skipped);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Types and stack traces, not messages: a message may quote cell values (personal data).
                log.LogWarning("Import {Job} failed: {Error}", job.Id, Infrastructure.Operations.ExceptionSummary.Of(e));
            }
        }
    }
}
