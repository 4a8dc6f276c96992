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

/// <summary>
/// The work-order metrics, computed in the database in one pass: the orders of the period grouped by the group and by
/// the minutes to done. A group's counts are the sums of its cells and its median is read from its cells in minute
/// order, so a community with a million orders costs one index-only scan (the index on CommunityId, CreatedAt carries
/// the columns read here) instead of a sort per group. Measured in bench/README.md (metrics scenario).
/// </summary>
public sealed class WorkOrderMetrics(AppDbContext db, TenantScope scope, Texts t)
{
    public async Task<MetricsReport> ForAsync(IReadOnlyList<Guid> communities, DateOnly from, DateOnly to, MetricsBy by, CancellationToken ct = default)
    {
        if (to < from) throw DomainException.Invalid("To", "metrics.range");
        if (communities.Any(c => !scope.CanSee(c))) throw new NotFoundException();
        var start = from.ToDateTime(TimeOnly.MinValue).AddHours(-8);           // China days, stored UTC
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue).AddHours(-8);
        var orders = db.WorkOrders.AsNoTracking().Where(o => communities.Contains(o.CommunityId) && o.CreatedAt >= start && o.CreatedAt < end && o.DuplicateOfId == null);

        // The group of each order: an id (category, community) or a name (handler).
        var keyed = by switch
        {
            MetricsBy.Handler => orders.Select(o => new Keyed { Id = null, Name = o.HandlerName ?? "", Minutes = o.DoneAt != null ? o.MinutesToDone : null,
                Responded = o.RespondedOnTime == true, Done = o.DoneAt != null, Rated = o.Rating != null, Satisfied = o.Rating >= 4, OnTime = o.DoneOnTime == true }),
            MetricsBy.Community => orders.Select(o => new Keyed { Id = o.CommunityId, Name = null, Minutes = o.DoneAt != null ? o.MinutesToDone : null,
                Responded = o.RespondedOnTime == true, Done = o.DoneAt != null, Rated = o.Rating != null, Satisfied = o.Rating >= 4, OnTime = o.DoneOnTime == true }),
            _ => orders.Select(o => new Keyed { Id = o.TopCategoryId, Name = null, Minutes = o.DoneAt != null ? o.MinutesToDone : null,
                Responded = o.RespondedOnTime == true, Done = o.DoneAt != null, Rated = o.Rating != null, Satisfied = o.Rating >= 4, OnTime = o.DoneOnTime == true }),
        };
        var cells = await keyed.GroupBy(k => new { k.Id, k.Name, k.Minutes }).Select(g => new Cell(g.Key.Id, g.Key.Name, g.Key.Minutes, g.Count(),
            g.Count(k => k.Responded), g.Count(k => k.Done), g.Count(k => k.Rated), g.Count(k => k.Satisfied), g.Count(k => k.OnTime))).ToListAsync(ct);

        var names = by switch
        {
            MetricsBy.Handler => new Dictionary<Guid, string>(),
            MetricsBy.Community => await db.Communities.AsNoTracking().Where(c => communities.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ShortName, ct),
            _ => await db.WorkOrderCategories.AsNoTracking().Where(c => communities.Contains(c.CommunityId) && c.ParentId == null).ToDictionaryAsync(c => c.Id, c => c.Name, ct),
        };
        var rows = cells.GroupBy(c => (c.Id, c.Name))
            .Select(g => Row(c => c.Name is { } n ? n.Length == 0 ? t.Get("metrics.no_handler") : n : names.GetValueOrDefault(c.Id!.Value) ?? c.Id.ToString()!, g.ToList()))
            .OrderByDescending(r => r.Reported).ToList();
        var total = Row(_ => t.Get("metrics.total"), cells);
        return new MetricsReport(from, to, by, total, rows);
    }

    /// <summary>What the grouping reads of one order (a class with init setters, every member set in each projection, so that EF groups by its members).</summary>
    private sealed class Keyed
    {
        public Guid? Id { get; init; }
        public string? Name { get; init; }
        public int? Minutes { get; init; }
        public bool Responded { get; init; }
        public bool Done { get; init; }
        public bool Rated { get; init; }
        public bool Satisfied { get; init; }
        public bool OnTime { get; init; }
    }

    /// <summary>The orders of one group that were done in the same number of minutes (null: not done).</summary>
    private sealed record Cell(Guid? Id, string? Name, int? Minutes, int Reported, int Responded, int Done, int Rated, int Satisfied, int OnTime);

    private static MetricsRow Row(Func<Cell, string> label, List<Cell> cells)
    {
        int Sum(Func<Cell, int> f) => cells.Sum(f);
        var done = cells.Where(c => c.Minutes != null).GroupBy(c => c.Minutes!.Value).Select(g => (Minutes: g.Key, Count: g.Sum(c => c.Reported))).OrderBy(x => x.Minutes).ToList();
        return Row(cells.Count == 0 ? "" : label(cells[0]), Sum(c => c.Reported), Sum(c => c.Responded), Sum(c => c.Done), Sum(c => c.Rated), Sum(c => c.Satisfied),
            Sum(c => c.OnTime), Median(done));
    }

    /// <summary>The median of the minutes to done, in hours (one decimal): the middle one, or the mean of the middle two.</summary>
    private static double? Median(List<(int Minutes, int Count)> sorted)
    {
        var n = sorted.Sum(x => x.Count);
        if (n == 0) return null;
        int At(int index)
        {
            foreach (var (minutes, count) in sorted)
            {
                if (index < count) return minutes;
                index -= count;
            }
            throw new InvalidOperationException("median index past the end");
        }
        var middle = n % 2 == 1 ? At(n / 2) : (At(n / 2 - 1) + At(n / 2)) / 2.0;
        return Math.Round(middle / 60.0, 1);
    }

    private static MetricsRow Row(string group, int reported, int responded, int done, int rated, int satisfied, int onTime, double? median) =>
        new(group, reported, responded, done, rated, satisfied, onTime, Rate(responded, reported), Rate(done, reported), Rate(satisfied, rated), Rate(onTime, done), median);

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);
}
