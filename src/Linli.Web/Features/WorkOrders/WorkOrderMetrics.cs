using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

/// <summary>How the metrics group the orders. Grid: the grid (not a micro-grid) of the order's building or entrance when reported.</summary>
public enum MetricsBy { Category = 1, Handler = 2, Community = 3, Grid = 4 }

/// <summary>
/// The figures of one group of orders reported in the period. Rates are null when nothing could be counted.
/// Response: taken within the response limit, of all reported. Resolution: done, of all reported. Satisfaction:
/// rated 4–5, of the rated. On time: done within the resolution limit, of the done. Median: report to done.
/// </summary>
public sealed record MetricsRow(string Group, int Reported, int Responded, int Done, int Rated, int Satisfied, int OnTime,
    double? ResponseRate, double? ResolutionRate, double? SatisfactionRate, double? OnTimeRate, double? MedianHoursToDone);

public sealed record MetricsReport(DateOnly From, DateOnly To, MetricsBy By, MetricsRow Total, IReadOnlyList<MetricsRow> Rows);

/// <summary>
/// The work-order metrics. Whole months come from the monthly rollup (<see cref="WorkOrderMetricsRollup"/>, brought up
/// to date first), the parts of months at the ends of the period from the orders themselves (or the month's cells less
/// the part outside the period, whichever reads fewer orders). Counts are sums; the exact median is found by narrowing:
/// the 4-hour bucket that holds the middle order(s), then the 10-minute bucket in it, then the minute, one query per
/// level for every group at once. Measured in bench/README.md (metrics scenario).
/// </summary>
public sealed class WorkOrderMetrics(AppDbContext db, TenantScope scope, Texts t, WorkOrderMetricsRollup rollup, TimeProvider clock)
{
    public async Task<MetricsReport> ForAsync(IReadOnlyList<Guid> communities, DateOnly from, DateOnly to, MetricsBy by, CancellationToken ct = default)
    {
        if (to < from) throw DomainException.Invalid("To", "metrics.range");
        if (!Enum.IsDefined(by)) throw DomainException.Invalid("By", "metrics.by_unknown");
        if (communities.Any(c => !scope.CanSee(c))) throw new NotFoundException();
        var start = from.ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset;           // China days, stored UTC
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset;
        var plan = Plan.For(start, end, clock.GetUtcNow().UtcDateTime);

        var groups = new Dictionary<GroupKey, Tally>();
        Tally Of(GroupKey k) => groups.TryGetValue(k, out var x) ? x : groups[k] = new Tally();
        if (plan.Months is (var first, var last))
        {
            await rollup.EnsureAsync(communities, first, last, ct);
            var cells = await db.WorkOrderMetricsCells.AsNoTracking()
                .Where(c => communities.Contains(c.CommunityId) && c.By == by && c.Level <= 1 && c.Month >= first && c.Month <= last)
                .GroupBy(c => new { c.GroupId, c.GroupName, c.Level, c.Bucket })
                .Select(g => new
                {
                    g.Key.GroupId, g.Key.GroupName, g.Key.Level, g.Key.Bucket, Reported = g.Sum(c => c.Reported), Responded = g.Sum(c => c.Responded),
                    Done = g.Sum(c => c.Done), Rated = g.Sum(c => c.Rated), Satisfied = g.Sum(c => c.Satisfied), OnTime = g.Sum(c => c.OnTime)
                })
                .ToListAsync(ct);
            foreach (var c in cells)
            {
                var tally = Of(new GroupKey(c.GroupId, c.GroupName));
                if (c.Level == 0) tally.Add(c.Reported, c.Responded, c.Done, c.Rated, c.Satisfied, c.OnTime);
                else tally.AddCoarse(c.Bucket, c.Done);
            }
        }
        foreach (var (liveFrom, liveTo, sign) in plan.Live)
        {
            foreach (var c in await LiveAsync(communities, liveFrom, liveTo, by, ct))
            {
                var tally = Of(new GroupKey(c.Id ?? Guid.Empty, c.Name ?? ""));
                tally.Add(sign * c.Reported, sign * c.Responded, sign * c.Done, sign * c.Rated, sign * c.Satisfied, sign * c.OnTime);
                if (c.Minutes is { } m) tally.AddMinutes(m, sign * c.Done);
            }
        }
        // The total first, of every group: one that reported nothing in the period (its month's cells less the days outside
        // it) still carries the minutes taken away, and the total's finer buckets are read from the by-community cells.
        var total = new Tally();
        foreach (var g in groups.Values) total.Add(g);
        foreach (var k in groups.Where(g => g.Value.Reported == 0).Select(g => g.Key).ToList()) groups.Remove(k);

        var medians = await MediansAsync(communities, by, plan, groups, total, ct);
        var names = by switch
        {
            MetricsBy.Handler => new Dictionary<Guid, string>(),
            MetricsBy.Community => await db.Communities.AsNoTracking().Where(c => communities.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ShortName, ct),
            MetricsBy.Grid => await db.Grids.AsNoTracking().Where(g => communities.Contains(g.CommunityId) && g.ParentId == null).ToDictionaryAsync(g => g.Id, g => g.Name, ct),
            _ => await db.WorkOrderCategories.AsNoTracking().Where(c => communities.Contains(c.CommunityId) && c.ParentId == null).ToDictionaryAsync(c => c.Id, c => c.Name, ct),
        };
        string Label(GroupKey k) => by switch
        {
            MetricsBy.Handler => k.Name.Length == 0 ? t.Get("metrics.no_handler") : k.Name,
            MetricsBy.Grid when k.Id == Guid.Empty => t.Get("metrics.no_grid"),
            _ => names.GetValueOrDefault(k.Id) ?? k.Id.ToString(),
        };
        var rows = groups.Select(g => Row(Label(g.Key), g.Value, medians.GetValueOrDefault(g.Key))).OrderByDescending(r => r.Reported).ThenBy(r => r.Group, StringComparer.Ordinal).ToList();
        return new MetricsReport(from, to, by, Row(t.Get("metrics.total"), total, medians.GetValueOrDefault(TotalKey)), rows);
    }

    /// <summary>The orders reported in [from, to), grouped by the group and by the minutes to done (null: not done).</summary>
    private async Task<List<LiveCell>> LiveAsync(IReadOnlyList<Guid> communities, DateTime from, DateTime to, MetricsBy by, CancellationToken ct)
    {
        var orders = db.WorkOrders.AsNoTracking().Where(o => communities.Contains(o.CommunityId) && o.CreatedAt >= from && o.CreatedAt < to && o.DuplicateOfId == null);
        // The group of each order: an id (category, community, grid) or a name (handler).
        var keyed = by switch
        {
            MetricsBy.Handler => orders.Select(o => new Keyed
            {
                Id = null, Name = o.HandlerName ?? "", Minutes = o.DoneAt != null ? o.MinutesToDone : null,
                Responded = o.RespondedOnTime == true, Done = o.DoneAt != null, Rated = o.Rating != null, Satisfied = o.Rating >= 4, OnTime = o.DoneAt != null && o.DoneOnTime == true
            }),
            MetricsBy.Community => orders.Select(o => new Keyed
            {
                Id = o.CommunityId, Name = null, Minutes = o.DoneAt != null ? o.MinutesToDone : null,
                Responded = o.RespondedOnTime == true, Done = o.DoneAt != null, Rated = o.Rating != null, Satisfied = o.Rating >= 4, OnTime = o.DoneAt != null && o.DoneOnTime == true
            }),
            MetricsBy.Grid => orders.Select(o => new Keyed
            {
                Id = o.GridId, Name = null, Minutes = o.DoneAt != null ? o.MinutesToDone : null,
                Responded = o.RespondedOnTime == true, Done = o.DoneAt != null, Rated = o.Rating != null, Satisfied = o.Rating >= 4, OnTime = o.DoneAt != null && o.DoneOnTime == true
            }),
            _ => orders.Select(o => new Keyed
            {
                Id = o.TopCategoryId, Name = null, Minutes = o.DoneAt != null ? o.MinutesToDone : null,
                Responded = o.RespondedOnTime == true, Done = o.DoneAt != null, Rated = o.Rating != null, Satisfied = o.Rating >= 4, OnTime = o.DoneAt != null && o.DoneOnTime == true
            }),
        };
        return await keyed.GroupBy(k => new { k.Id, k.Name, k.Minutes }).Select(g => new LiveCell(g.Key.Id, g.Key.Name, g.Key.Minutes, g.Count(),
            g.Count(k => k.Responded), g.Count(k => k.Done), g.Count(k => k.Rated), g.Count(k => k.Satisfied), g.Count(k => k.OnTime))).ToListAsync(ct);
    }

    /// <summary>
    /// The exact median of each group and of the total: the ranks of the middle order(s) located in the 4-hour buckets,
    /// then within the 10-minute buckets of that one, then within its minutes. Each finer level is one query for every
    /// group still being narrowed (the total reads the by-community cells: one group per community).
    /// </summary>
    private async Task<Dictionary<GroupKey, double?>> MediansAsync(IReadOnlyList<Guid> communities, MetricsBy by, Plan plan, Dictionary<GroupKey, Tally> groups, Tally total, CancellationToken ct)
    {
        var all = groups.Append(new KeyValuePair<GroupKey, Tally>(TotalKey, total)).ToList();
        var targets = new List<Target>();
        foreach (var (key, tally) in all)
        {
            var n = tally.Coarse.Values.Sum();
            if (n <= 0) continue;
            foreach (var rank in new[] { (n - 1) / 2, n / 2 }.Distinct())
            {
                var (bucket, within) = Locate(tally.Coarse, rank);
                targets.Add(new Target(key, rank) { From = bucket * WorkOrderMetricsRollup.Widths[0], Width = WorkOrderMetricsRollup.Widths[0], Rank = within });
            }
        }
        for (var level = 2; level <= WorkOrderMetricsRollup.Widths.Length; level++)
        {
            var width = WorkOrderMetricsRollup.Widths[level - 1];
            var ranges = targets.Select(x => (x.Group, x.From, x.Width)).Distinct().ToList();
            var counts = ranges.ToDictionary(r => r, _ => new Dictionary<int, long>());
            if (plan.Months is (var first, var last) && ranges.Count > 0)
            {
                // One probe per range (the total: one per community, in the by-community cells), each one stretch of the
                // cells' key, sent as one UNION ALL.
                var probes = ranges.SelectMany((r, i) => (r.Group == TotalKey ? communities.Select(c => (By: MetricsBy.Community, Id: c, Name: "")) : [(By: by, r.Group.Id, r.Group.Name)])
                    .Select(g => new Probe
                    {
                        Range = i, By = g.By, GroupId = g.Id, GroupName = g.Name, From = WorkOrderMetricsRollup.FloorDiv(r.From, width),
                        To = WorkOrderMetricsRollup.FloorDiv(r.From + r.Width, width)
                    })).ToList();
                IQueryable<ProbeRow>? query = null;
                var lvl = level;
                foreach (var p in probes)
                {
                    var cells = db.WorkOrderMetricsCells.AsNoTracking();
                    // A community's own cells by community; a category, grid or handler within the communities asked for.
                    cells = p.By == MetricsBy.Community ? cells.Where(c => c.CommunityId == p.GroupId) : cells.Where(c => communities.Contains(c.CommunityId));
                    var one = cells.Where(c => c.By == p.By && c.Level == lvl && c.GroupId == p.GroupId && c.GroupName == p.GroupName
                            && c.Bucket >= p.From && c.Bucket < p.To && c.Month >= first && c.Month <= last)
                        .GroupBy(c => c.Bucket).Select(g => new ProbeRow { Range = p.Range, Bucket = g.Key, Done = g.Sum(c => c.Done) });
                    query = query is null ? one : query.Concat(one);
                }
                foreach (var row in await query!.ToListAsync(ct))
                {
                    var count = counts[ranges[row.Range]];
                    count[row.Bucket] = count.GetValueOrDefault(row.Bucket) + row.Done;
                }
            }
            foreach (var r in ranges)
            {
                var tally = r.Group == TotalKey ? total : groups[r.Group];
                foreach (var (minutes, count) in tally.Minutes.Where(m => m.Key >= r.From && m.Key < r.From + r.Width))
                {
                    var bucket = WorkOrderMetricsRollup.FloorDiv(minutes, width);
                    counts[r][bucket] = counts[r].GetValueOrDefault(bucket) + count;
                }
            }
            foreach (var x in targets)
            {
                var (bucket, within) = Locate(counts[(x.Group, x.From, x.Width)], x.Rank);
                x.From = bucket * width;
                x.Width = width;
                x.Rank = within;
            }
        }
        return all.ToDictionary(g => g.Key, g =>
        {
            var at = targets.Where(x => x.Group == g.Key).OrderBy(x => x.Of).Select(x => x.From).ToList();
            if (at.Count == 0) return (double?)null;
            var middle = at.Count == 1 ? at[0] : (at[0] + at[1]) / 2.0;   // the middle one, or the mean of the middle two
            return Math.Round(middle / 60.0, 1);
        });
    }

    /// <summary>The bucket that holds the order of the given rank (0-based, in minute order), and its rank within the bucket.</summary>
    private static (int Bucket, long Within) Locate(Dictionary<int, long> counts, long rank)
    {
        foreach (var (bucket, count) in counts.Where(c => c.Value != 0).OrderBy(c => c.Key))
        {
            if (rank < count) return (bucket, rank);
            rank -= count;
        }
        throw new InvalidOperationException("the metrics' buckets hold fewer done orders than their total");
    }

    private static MetricsRow Row(string group, Tally x, double? median) =>
        new(group, (int)x.Reported, (int)x.Responded, (int)x.Done, (int)x.Rated, (int)x.Satisfied, (int)x.OnTime,
            Rate(x.Responded, x.Reported), Rate(x.Done, x.Reported), Rate(x.Satisfied, x.Rated), Rate(x.OnTime, x.Done), median);

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);

    /// <summary>A group: an id (category, community, grid; <see cref="Guid.Empty"/> for no grid) or a handler's name ("" when not dispatched).</summary>
    private readonly record struct GroupKey(Guid Id, string Name, bool Total = false);

    private static readonly GroupKey TotalKey = new(Guid.Empty, "", Total: true);

    /// <summary>One group's counts, its done orders by 4-hour bucket, and the exact minutes of those read from the orders (signed).</summary>
    private sealed class Tally
    {
        public long Reported, Responded, Done, Rated, Satisfied, OnTime;
        public readonly Dictionary<int, long> Coarse = [];
        public readonly Dictionary<int, long> Minutes = [];

        public void Add(long reported, long responded, long done, long rated, long satisfied, long onTime)
        {
            Reported += reported; Responded += responded; Done += done; Rated += rated; Satisfied += satisfied; OnTime += onTime;
        }

        public void AddCoarse(int bucket, long count) => Coarse[bucket] = Coarse.GetValueOrDefault(bucket) + count;

        public void AddMinutes(int minutes, long count)
        {
            AddCoarse(WorkOrderMetricsRollup.FloorDiv(minutes, WorkOrderMetricsRollup.Widths[0]), count);
            Minutes[minutes] = Minutes.GetValueOrDefault(minutes) + count;
        }

        public void Add(Tally other)
        {
            Add(other.Reported, other.Responded, other.Done, other.Rated, other.Satisfied, other.OnTime);
            foreach (var (b, n) in other.Coarse) AddCoarse(b, n);
            foreach (var (m, n) in other.Minutes) Minutes[m] = Minutes.GetValueOrDefault(m) + n;
        }
    }

    /// <summary>Where the order of one rank (<see cref="Of"/>, in minute order over the group) is: in [From, From + Width) minutes, at <see cref="Rank"/> within.</summary>
    private sealed class Target(GroupKey group, long of)
    {
        public GroupKey Group { get; } = group;
        public long Of { get; } = of;
        public int From { get; set; }
        public int Width { get; set; }
        public long Rank { get; set; }
    }

    /// <summary>The cells of one range of buckets (<see cref="Range"/>: its index) of one group.</summary>
    private sealed class Probe
    {
        public int Range { get; init; }
        public MetricsBy By { get; init; }
        public Guid GroupId { get; init; }
        public string GroupName { get; init; } = "";
        public int From { get; init; }
        public int To { get; init; }
    }

    private sealed class ProbeRow
    {
        public int Range { get; init; }
        public int Bucket { get; init; }
        public int Done { get; init; }
    }

    /// <summary>
    /// The period as whole months read from the rollup (<see cref="Months"/>, yyyyMM, first and last) and ranges read
    /// from the orders, added or (a month's part outside the period) taken away.
    /// </summary>
    private sealed record Plan((int First, int Last)? Months, List<(DateTime From, DateTime To, int Sign)> Live)
    {
        public static Plan For(DateTime start, DateTime end, DateTime now)
        {
            var live = new List<(DateTime, DateTime, int)>();
            int? first = null, last = null;
            // Orders are reported up to now: a range in the future reads nothing.
            static double Cost(DateTime from, DateTime to, DateTime now) => Math.Max(0, ((to < now ? to : now) - from).TotalMinutes);
            for (var month = WorkOrderMetricsRollup.MonthOf(start); WorkOrderMetricsRollup.MonthStart(month) < end; month = WorkOrderMetricsRollup.NextMonth(month))
            {
                var (ms, me) = (WorkOrderMetricsRollup.MonthStart(month), WorkOrderMetricsRollup.MonthStart(WorkOrderMetricsRollup.NextMonth(month)));
                var (from, to) = (start > ms ? start : ms, end < me ? end : me);
                var whole = from == ms && to == me;
                if (!whole && Cost(from, to, now) <= Cost(ms, from, now) + Cost(to, me, now))
                {
                    live.Add((from, to, +1));
                    continue;
                }
                first ??= month;
                last = month;
                if (from > ms) live.Add((ms, from, -1));
                if (to < me) live.Add((to, me, -1));
            }
            return new Plan(first is { } f && last is { } l ? (f, l) : null, live);
        }
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
    private sealed record LiveCell(Guid? Id, string? Name, int? Minutes, int Reported, int Responded, int Done, int Rated, int Satisfied, int OnTime);
}
