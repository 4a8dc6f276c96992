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
/// Each request's rows still stand or fall together and nobody else's failure is theirs: when a batch fails (another
/// process took the same order number a moment earlier), its requests are saved again one by one, so each gets its own
/// outcome. The rows are not tracked by the request's context; the tenant guard of a save is applied on hand-over. See
/// ADR 0007.
/// </para>
/// </summary>
public sealed class InsertBatcher : IAsyncDisposable
{
    /// <summary>A writer takes at most this many rows into one save (a report is about five).</summary>
    public const int MaxRowsPerBatch = 250;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { AllowSynchronousContinuations = false });
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
        _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public int Writers { get; }

    internal sealed record Pending(IReadOnlyList<object> Rows, TaskCompletionSource Done);

    /// <summary>
    /// Saves <paramref name="rows"/> (new entities; an entity's new children come with it) as one unit, together with
    /// other requests' rows; completes when they are committed, or fails with the error their own save gives
    /// (e.g. <see cref="Errors.DomainException"/> <c>error.duplicate</c>). A row of a community outside the caller's
    /// scope is refused before anything is queued, as a save refuses it. When <paramref name="db"/> has a transaction
    /// open (an inspection walk's problem: its order, photos and the walk stand or fall together) the rows join it
    /// instead, saved by that context; a failed save there leaves them untracked again.
    /// </summary>
    public async Task InsertAsync(AppDbContext db, IReadOnlyList<object> rows, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            db.AddRange(rows);
            var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList();
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
        foreach (var row in rows)
        {
            if (row is ICommunityOwned owned && !db.Scope.CanSee(owned.CommunityId))
                throw new InvalidOperationException("A write outside the caller's tenant scope was refused.");
        }
        var pending = new Pending(rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(InsertBatcher));
        await pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < MaxRowsPerBatch && _queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
                rows += p.Rows.Count;
            }
            if (batch.Count > 0) await SaveAsync(batch);
        }
    }

    /// <summary>One batch: all together; if that fails, each on its own with its own outcome.</summary>
    internal async Task SaveAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await SaveTogetherAsync(batch);
            foreach (var p in batch) p.Done.TrySetResult();
            return;
        }
        catch (Exception e) when (batch.Count == 1)
        {
            batch[0].Done.TrySetException(e);
            return;
        }
        catch (Exception e)
        {
            _log.LogInformation("A batch of {Count} inserts failed ({Error}); saving them one by one", batch.Count, e.GetType().Name);
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

    private async Task SaveTogetherAsync(IReadOnlyList<Pending> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem(); // checked on hand-over, against the caller's scope
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
}
