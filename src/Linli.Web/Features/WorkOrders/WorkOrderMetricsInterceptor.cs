using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// Puts the metrics' change rows of the orders a save changes into that same save (<see cref="WorkOrderMetricsRollup.Record"/>),
/// so the rollup never misses a change and never counts one that was rolled back: a failed save takes its rows back
/// (a retry records them again from the orders as they are then).
/// </summary>
public sealed class WorkOrderMetricsInterceptor : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<WorkOrderMetricsChange>> _recorded = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } c) _recorded.Remove(c);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } c) _recorded.Remove(c);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Record(DbContext? context)
    {
        if (context is null) return;
        var changes = WorkOrderMetricsRollup.Record(context);
        if (changes.Count > 0) _recorded.AddOrUpdate(context, changes);
    }

    private void Forget(DbContext? context)
    {
        if (context is null || !_recorded.TryGetValue(context, out var changes)) return;
        _recorded.Remove(context);
        foreach (var c in changes) context.Entry(c).State = EntityState.Detached;
    }
}
