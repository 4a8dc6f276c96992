using System.Threading.Channels;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Infrastructure.Data;

/// <summary>
/// Group commit for the hot insert-only write, a resident's report (the order with its first steps, the office's
/// notifications, the metrics' change row): each request hands over its new rows and waits; a few writers each take
/// whatever has queued up meanwhile and save it with one <c>SaveChanges</c> — on PostgreSQL one round trip and one
/// commit for many reports, on SQLite one transaction (its single writer no longer queues for the file lock per report).
/// Nothing waits for company: a writer that finds one report saves it at once, so a quiet office sees no delay.
/// <para>
/// Each request's rows still stand or fall together and nobody else's fault is theirs: when the database refuses a row of
/// a batch (a constraint: another process took the same order number a moment earlier), the whole batch was rolled back,
/// and its requests are saved again one by one, so each gets its own outcome. Any other failure (the connection lost, a
/// timeout: the batch may or may not have committed) fails every request of the batch with that error, as a save of its
/// own would have, and is never retried, so no report is saved twice. The rows are not tracked by the request's context.
/// See ADR 0007.
/// </para>
/// </summary>
public sealed class InsertBatcher : IAsyncDisposable, IDisposable
{
    /// <summary>A writer takes reports into one save until they bring this many rows (a report hands over about three).</summary>
    public const int MaxRowsPerBatch = 250;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<InsertBatcher> _log;
    private readonly Task[] _writers;

    public InsertBatcher(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<InsertBatcher> log)
    {
        _scopes = scopes;
        _log = log;
        // SQLite has one writer at a time anyway; PostgreSQL runs a few saves side by side (one backend each).
        var writers = configuration.GetValue<int?>("Database:InsertWriters")
            ?? (DataSetup.ProviderOf(configuration) == DatabaseProvider.Sqlite ? 1 : Math.Max(2, Environment.ProcessorCount));
        Writers = Math.Clamp(writers, 1, 64);
        // The writers outlive the request that first needed this singleton: they must not carry its logging scope or activity.
        using (ExecutionContext.SuppressFlow())
            _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public int Writers { get; }

    /// <summary>A request's rows and the communities they were checked against (the writer's save sees only those).</summary>
    internal sealed record Pending(IReadOnlyList<object> Rows, IReadOnlyList<Guid> Communities, TaskCompletionSource Done)
    {
        public Pending(IReadOnlyList<object> rows) : this(rows, rows.OfType<ICommunityOwned>().Select(r => r.CommunityId).Distinct().ToList(),
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
        { }
    }

    /// <summary>
    /// Saves <paramref name="rows"/> (new entities; an entity's new children come with it) as one unit, together with
    /// other requests' rows; completes when they are committed, or fails with the error their own save gives
    /// (e.g. <see cref="Errors.DomainException"/> <c>error.duplicate</c>). The rows must be of communities the caller
    /// may write to, checked here; the writer's save then refuses any row (a child too) of another community, as a save
    /// of the caller's would. When <paramref name="db"/> has a transaction open (an inspection walk's problem: its
    /// order, photos and the walk stand or fall together) the rows join it instead, saved by that context; a failed
    /// save there leaves them untracked again.
    /// </summary>
    public async Task InsertAsync(AppDbContext db, IReadOnlyList<object> rows, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (db.Database.CurrentTransaction is not null)
        {
            var before = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
            db.AddRange(rows);
            var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && !before.Contains(e.Entity)).ToList();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch
            {
                foreach (var e in added) e.State = EntityState.Detached;
                throw;
            }
            return;
        }
        var pending = new Pending(rows);
        if (rows.Any(r => r is not ICommunityOwned) || pending.Communities.Any(c => !db.Scope.CanSee(c)))
            throw new InvalidOperationException("A write outside the caller's tenant scope was refused.");
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        await pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            try
            {
                var rows = 0;
                while (rows < MaxRowsPerBatch && _queue.Reader.TryRead(out var p))
                {
                    batch.Add(p);
                    rows += p.Rows.Count;
                }
                if (batch.Count > 0) await SaveAsync(batch);
            }
            catch (Exception e)
            {
                // Never expected (SaveAsync completes every request); if it happens, no request waits forever and the writer lives on.
                _log.LogError(e, "An insert writer failed outside a save");
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>One batch: all together; if the database refused a row, each on its own with its own outcome.</summary>
    internal async Task SaveAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await SaveTogetherAsync(batch);
            foreach (var p in batch) p.Done.TrySetResult();
            return;
        }
        catch (Exception e) when (batch.Count > 1 && RefusedARow(e))
        {
            _log.LogInformation("The database refused a row of a batch of {Count} reports ({Error}); saving them one by one", batch.Count, e.GetType().Name);
        }
        catch (Exception e)
        {
            if (batch.Count > 1) _log.LogWarning(e, "A batch of {Count} reports failed", batch.Count);
            foreach (var p in batch) p.Done.TrySetException(e);
            return;
        }
        foreach (var p in batch)
        {
            try
            {
                await SaveTogetherAsync([p]);
                p.Done.TrySetResult();
            }
            catch (Exception e)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// The database answered that a row breaks a constraint (unique, foreign key, check): it rolled the batch back, so
    /// saving its reports again one by one saves nothing twice.
    /// </summary>
    internal static bool RefusedARow(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is Errors.DomainException { TextKey: "error.duplicate" }) return true; // a unique index, as AppDbContext reports it
        }
        return DbErrors.Classify(e) != DbRefusal.None;
    }

    private async Task SaveTogetherAsync(IReadOnlyList<Pending> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        // The communities each request's rows were checked against on hand-over: the save's tenant guard refuses any other.
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseCommunities(batch.SelectMany(p => p.Communities).Distinct().ToList());
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var p in batch)
        {
            foreach (var row in p.Rows) db.Add(row);
        }
        await db.SaveChangesInOneBatchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        Task.WaitAll(_writers);
    }
}
