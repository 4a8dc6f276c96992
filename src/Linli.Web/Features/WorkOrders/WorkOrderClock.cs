using Linli.Web.Features.Notifications;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Operations;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// The time limits' clock: every minute (<c>WorkOrders:ClockSeconds</c>) it looks at the open orders whose next warning
/// or limit has come (<see cref="WorkOrder.NextCheckAt"/>, indexed), lets each order <see cref="WorkOrder.Tick"/> and
/// saves it with its notifications. Several app processes may run it on one database: each order is saved with its
/// <see cref="WorkOrder.Version"/> as the condition, so of two processes that ticked the same order only one commits;
/// the other's steps and notifications roll back with its failed save. A warning, overdue mark or escalation
/// therefore happens exactly once.
/// </summary>
public sealed class WorkOrderClock(IServiceScopeFactory scopes, TimeProvider time, StartupGate gate, IConfiguration config, ILogger<WorkOrderClock> log)
    : PeriodicJob(scopes, time, gate, log)
{
    public const int Batch = 200;

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(Math.Clamp(config.GetValue("WorkOrders:ClockSeconds", 60), 1, 3600));

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var changed = await RunOnceAsync(services, ct);
        if (changed > 0) log.LogInformation("Work-order clock: {Orders} orders warned, overdue or escalated", changed);
    }

    /// <summary>One look at every order that is due; returns how many orders this process changed.</summary>
    public static async Task<int> RunOnceAsync(IServiceProvider services, CancellationToken ct = default)
    {
        services.GetRequiredService<TenantScope>().UseSystem();
        var db = services.GetRequiredService<AppDbContext>();
        var notifier = services.GetRequiredService<WorkOrderNotifier>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var changed = 0;
        var seen = new HashSet<Guid>();
        while (true)
        {
            var due = await db.WorkOrders.AsNoTracking().Where(o => o.NextCheckAt != null && o.NextCheckAt <= now)
                .OrderBy(o => o.NextCheckAt).Select(o => o.Id).Take(Batch).ToListAsync(ct);
            due.RemoveAll(id => !seen.Add(id)); // an order another process holds up is not retried in this round
            if (due.Count == 0) return changed;
            foreach (var id in due)
            {
                db.ChangeTracker.Clear();
                var order = await db.WorkOrders.Include(o => o.Events.Where(e => false)).FirstOrDefaultAsync(o => o.Id == id, ct);
                if (order is null) continue;
                var happened = order.Tick(now);
                if (happened) await notifier.AddForNewStepsAsync(order, ct);
                try
                {
                    await db.SaveChangesAsync(ct);
                    if (happened) changed++;
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Another process (or a person) changed it first; it is looked at again next round.
                }
            }
            db.ChangeTracker.Clear();
        }
    }
}
