using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

public enum MetricsBy { Category = 1, Handler = 2, Community = 3 }

/// <summary>
/// The figures of one group of orders reported in the period. Rates are null when nothing could be counted.
/// Response: taken within the response limit, of all reported. Resolution: done, of all reported. Satisfaction:
/// rated 4–5, of the rated. On time: done within the resolution limit, of the done. Median: report to done.
/// </summary>
public sealed record MetricsRow(string Group, int Reported, int Responded, int Done, int Rated, int Satisfied, int OnTime,
    double? ResponseRate, double? ResolutionRate, double? SatisfactionRate, double? OnTimeRate, double? MedianHoursToDone);

public sealed record MetricsReport(DateOnly From, DateOnly To, MetricsBy By, MetricsRow Total, IReadOnlyList<MetricsRow> Rows);

/// <summary>The work-order metrics, computed in the database with one grouped query plus one median per group.</summary>
public sealed class WorkOrderMetrics(AppDbContext db, TenantScope scope, Texts t)
{
    public async Task<MetricsReport> ForAsync(IReadOnlyList<Guid> communities, DateOnly from, DateOnly to, MetricsBy by, CancellationToken ct = default)
    {
        if (to < from) throw DomainException.Invalid("To", "metrics.range");
        if (communities.Any(c => !scope.CanSee(c))) throw new NotFoundException();
        var start = from.ToDateTime(TimeOnly.MinValue).AddHours(-8);           // China days, stored UTC
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue).AddHours(-8);
        var orders = db.WorkOrders.AsNoTracking().Where(o => communities.Contains(o.CommunityId) && o.CreatedAt >= start && o.CreatedAt < end && o.DuplicateOfId == null);

        var rows = by switch
        {
            MetricsBy.Handler => await RowsAsync(orders, o => o.HandlerName ?? "", new Dictionary<string, string>(), ct),
            MetricsBy.Community => await RowsAsync(orders, o => o.CommunityId,
                await db.Communities.AsNoTracking().Where(c => communities.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ShortName, ct), ct),
            _ => await RowsAsync(orders, o => o.TopCategoryId,
                await db.WorkOrderCategories.AsNoTracking().Where(c => communities.Contains(c.CommunityId) && c.ParentId == null).ToDictionaryAsync(c => c.Id, c => c.Name, ct), ct),
        };
        var total = Row(t.Get("metrics.total"), rows.Sum(r => r.Reported), rows.Sum(r => r.Responded), rows.Sum(r => r.Done), rows.Sum(r => r.Rated),
            rows.Sum(r => r.Satisfied), rows.Sum(r => r.OnTime), await MedianAsync(orders, rows.Sum(r => r.Done), ct));
        return new MetricsReport(from, to, by, total, rows);
    }

    /// <summary>One grouped count query, then one median query per group (groups are few: categories, handlers, communities).</summary>
    private async Task<List<MetricsRow>> RowsAsync<TKey>(IQueryable<WorkOrder> orders, System.Linq.Expressions.Expression<Func<WorkOrder, TKey>> key,
        Dictionary<TKey, string> names, CancellationToken ct) where TKey : notnull
    {
        var counts = await orders.GroupBy(key).Select(g => new
        {
            g.Key,
            Reported = g.Count(),
            Responded = g.Count(o => o.RespondedOnTime == true),
            Done = g.Count(o => o.DoneAt != null),
            Rated = g.Count(o => o.Rating != null),
            Satisfied = g.Count(o => o.Rating >= 4),
            OnTime = g.Count(o => o.DoneOnTime == true),
        }).ToListAsync(ct);
        var rows = new List<MetricsRow>();
        foreach (var c in counts.OrderByDescending(c => c.Reported))
        {
            var equals = System.Linq.Expressions.Expression.Lambda<Func<WorkOrder, bool>>(
                System.Linq.Expressions.Expression.Equal(key.Body, System.Linq.Expressions.Expression.Constant(c.Key, typeof(TKey))), key.Parameters);
            var median = await MedianAsync(orders.Where(equals), c.Done, ct);
            var label = names.GetValueOrDefault(c.Key) ?? (c.Key is string { Length: 0 } ? t.Get("metrics.no_handler") : c.Key.ToString() ?? "");
            rows.Add(Row(label, c.Reported, c.Responded, c.Done, c.Rated, c.Satisfied, c.OnTime, median));
        }
        return rows;
    }

    private static async Task<double?> MedianAsync(IQueryable<WorkOrder> orders, int done, CancellationToken ct)
    {
        if (done == 0) return null;
        var minutes = await orders.Where(o => o.MinutesToDone != null).OrderBy(o => o.MinutesToDone).Skip((done - 1) / 2).Select(o => o.MinutesToDone!.Value)
            .Take(2 - done % 2).ToListAsync(ct);
        return minutes.Count == 0 ? null : Math.Round(minutes.Average() / 60.0, 1);
    }

    private static MetricsRow Row(string group, int reported, int responded, int done, int rated, int satisfied, int onTime, double? median) =>
        new(group, reported, responded, done, rated, satisfied, onTime, Rate(responded, reported), Rate(done, reported), Rate(satisfied, rated), Rate(onTime, done), median);

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);
}
