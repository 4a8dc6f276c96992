using System.Globalization;
using System.Net;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>
/// The metrics from the monthly rollup are exactly the figures computed straight from the orders: random orders of
/// 2021–2023 in 阳光社区 (no other test reports there then), every grouping, periods of whole months, parts of months at
/// either end and within one month; then orders of old months change (dispatched, done late, rated late, reopened,
/// transferred, linked, removed, new ones added) after their months were built, twice, and the figures follow. June 2020
/// holds a case made by hand.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WorkOrderMetricsRollupTests(LinliFactory app)
{
    private static readonly (string From, string To)[] Periods =
    [
        ("2021-01-01", "2023-12-31"), // whole months only
        ("2020-12-15", "2024-01-10"), // beyond the orders at both ends
        ("2022-01-01", "2022-12-31"),
        ("2021-03-17", "2022-08-05"), // the parts at the ends read from the orders
        ("2021-03-05", "2022-08-28"), // the end months' cells less the days outside
        ("2022-05-03", "2022-05-20"), // within one month
        ("2021-02-28", "2021-03-01"), // two days across a month's end
        ("2022-07-14", "2022-07-14"),
    ];

    private readonly Random _random = new(20261123);
    private int _number;

    [Fact]
    public async Task The_rollup_gives_the_figures_of_the_orders_and_follows_changes_to_old_months()
    {
        var secretary = await app.ApiAsAsync(Clients.OtherSecretary);
        (await secretary.GetAsync("/api/work-order-categories")).StatusCode.ShouldBe(HttpStatusCode.OK); // the community's categories exist
        var meJson = await (await secretary.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        var me = meJson.GetProperty("id").GetGuid();
        var communityId = meJson.GetProperty("communities")[0].GetGuid();
        var actor = new Actor(me, "蒋晓红");
        Handler[] handlers =
        [
            new(HandlerKind.Staff, me, "蒋晓红"), new(HandlerKind.PropertyCompany, Guid.NewGuid(), "阳光物业"),
            new(HandlerKind.Team, Guid.NewGuid(), "志愿服务队"), new(HandlerKind.PartnerUnit, Guid.NewGuid(), "供水维修站"),
        ];

        var ids = new List<Guid>();
        await WithDbAsync(async db =>
        {
            var categories = await db.WorkOrderCategories.Where(c => c.CommunityId == communityId && !c.IsRetired).OrderBy(c => c.Name).ToListAsync();
            var grids = await db.Grids.Where(g => g.CommunityId == communityId && g.ParentId == null).OrderBy(g => g.Name).Select(g => (Guid?)g.Id).ToListAsync();
            grids.Count.ShouldBeGreaterThan(0);
            var made = new List<WorkOrder>();
            for (var i = 0; i < 700; i++)
            {
                var o = NewOrder(communityId, categories, [.. grids, null], handlers, actor, RandomTime(new DateTime(2021, 1, 1), new DateTime(2024, 1, 1)));
                if (made.Count > 0 && _random.NextDouble() < 0.05) o.LinkDuplicateOf(made[_random.Next(made.Count)]);
                made.Add(o);
                db.WorkOrders.Add(o);
                if (made.Count % 200 == 0) await db.SaveChangesAsync();
            }
            await db.SaveChangesAsync();
            ids.AddRange(made.Select(o => o.Id));
        });
        await CompareAllAsync(secretary, communityId, "as made");

        for (var round = 0; round < 2; round++)
        {
            // Changes to orders whose months are built: every step that moves a figure, and orders added and removed.
            await WithDbAsync(async db =>
            {
                var categories = await db.WorkOrderCategories.Where(c => c.CommunityId == communityId && !c.IsRetired).OrderBy(c => c.Name).ToListAsync();
                var grids = await db.Grids.Where(g => g.CommunityId == communityId && g.ParentId == null).OrderBy(g => g.Name).Select(g => (Guid?)g.Id).ToListAsync();
                var picked = ids.OrderBy(_ => _random.Next()).Take(150).ToList();
                var orders = (await db.WorkOrders.Where(o => picked.Contains(o.Id)).ToListAsync()).OrderBy(o => picked.IndexOf(o.Id)).ToList();
                var later = new DateTime(2024, 3, 1, 2, 0, 0, DateTimeKind.Utc).AddDays(round * 30);
                foreach (var o in orders)
                {
                    var at = later.AddMinutes(_random.Next(0, 20_000));
                    switch (o.Status)
                    {
                        case WorkOrderStatus.Accepted: o.Dispatch(handlers[_random.Next(handlers.Length)], actor, at); break;
                        case WorkOrderStatus.Dispatched when _random.NextDouble() < 0.3:
                            o.Transfer(handlers.First(h => h.Id != o.HandlerId), actor, at, "转交"); break;
                        case WorkOrderStatus.Dispatched:
                            o.Take(actor, at);
                            o.Complete(actor, at.AddMinutes(_random.Next(0, 600)), "已处理");   // done late
                            break;
                        case WorkOrderStatus.Taken or WorkOrderStatus.InProgress: o.Complete(actor, at, "已处理"); break;
                        case WorkOrderStatus.Done: o.RecordReturnVisit(actor, at, _random.Next(1, 6), null); break; // rated late
                        case WorkOrderStatus.Visited when _random.NextDouble() < 0.5: o.Close(actor, at); break;
                        case WorkOrderStatus.Visited or WorkOrderStatus.Closed: o.Reopen(actor, at, "居民反映问题没有解决"); break;
                    }
                }
                var removed = orders.First(o => o.DuplicateOfId is null);
                db.WorkOrders.Remove(removed);
                ids.Remove(removed.Id);
                for (var i = 0; i < 30; i++)
                {
                    var o = NewOrder(communityId, categories, [.. grids, null], handlers, actor, RandomTime(new DateTime(2021, 1, 1), new DateTime(2024, 1, 1)));
                    db.WorkOrders.Add(o);
                    ids.Add(o.Id);
                }
                await db.SaveChangesAsync();
            });
            await CompareAllAsync(secretary, communityId, $"after changes {round + 1}");
            await WithDbAsync(async db => (await db.WorkOrderMetricsChanges.CountAsync(c => c.CommunityId == communityId && c.Month < 202401)).ShouldBe(0));
        }
    }

    /// <summary>
    /// June 2020: the period is the month's cells less its days outside, and 公共设施's only order (done in 80 minutes, on
    /// the 1st) lies outside, in the 4-hour bucket of the total's middle: the total's median is (239 + 6200) / 2 minutes.
    /// </summary>
    [Fact]
    public async Task A_group_with_orders_only_outside_the_period_leaves_the_totals_median_alone()
    {
        var secretary = await app.ApiAsAsync(Clients.OtherSecretary);
        (await secretary.GetAsync("/api/work-order-categories")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var meJson = await (await secretary.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        var (me, communityId) = (meJson.GetProperty("id").GetGuid(), meJson.GetProperty("communities")[0].GetGuid());
        var actor = new Actor(me, "蒋晓红");
        await WithDbAsync(async db =>
        {
            var categories = await db.WorkOrderCategories.Where(c => c.CommunityId == communityId).ToListAsync();
            WorkOrder Done(string category, DateTime at, int minutes)
            {
                var o = WorkOrder.Create(communityId, $"RJ{++_number:00000}", Channel.Phone, categories.Single(c => c.Name == category), "测试",
                    new Place(null, null, null, null, "南门"), null, null, actor, at);
                o.Dispatch(new Handler(HandlerKind.Staff, me, "蒋晓红"), actor, at);
                o.Take(actor, at);
                o.Complete(actor, at.AddMinutes(minutes), "已处理");
                return o;
            }
            var first = new DateTime(2020, 6, 1, 2, 0, 0, DateTimeKind.Utc);
            db.WorkOrders.Add(Done("公共设施", first, 80));
            foreach (var (day, minutes) in new[] { (5, 0), (6, 239), (8, 6200), (12, 29347) }) db.WorkOrders.Add(Done("环境卫生", first.AddDays(day - 1), minutes));
            await db.SaveChangesAsync();
        });
        var report = await (await secretary.GetAsync("/api/work-orders/metrics?from=2020-06-03&to=2020-06-20&by=Category")).JsonAsync(HttpStatusCode.OK);
        report.GetProperty("total").GetProperty("medianHoursToDone").GetDouble().ShouldBe(53.7);
        await CompareAllAsync(secretary, communityId, "June 2020", [("2020-06-03", "2020-06-20"), ("2020-06-01", "2020-06-30"), ("2020-06-02", "2020-06-02")]);
    }

    private async Task CompareAllAsync(HttpClient secretary, Guid communityId, string phase, (string From, string To)[]? only = null)
    {
        // And short periods anywhere: a group with orders only in the days of its month outside the period is the case to get right.
        var periods = only ?? Periods.Concat(Enumerable.Range(0, 8).Select(_ =>
        {
            var from = new DateOnly(2021, 1, 1).AddDays(_random.Next(0, 1080));
            return (from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), from.AddDays(_random.Next(0, 45)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        })).ToArray();
        foreach (var by in Enum.GetValues<MetricsBy>())
        {
            foreach (var (from, to) in periods)
            {
                var report = await (await secretary.GetAsync($"/api/work-orders/metrics?from={from}&to={to}&by={by}")).JsonAsync(HttpStatusCode.OK);
                var expected = await ExpectedAsync(communityId, DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture), by);
                var actual = report.GetProperty("rows").EnumerateArray().Select(FiguresOf).ToList();
                var context = $"{phase}: by {by}, {from} – {to}";
                actual.Select(r => r.Group).ShouldBe(expected.Rows.Select(r => r.Group), ignoreOrder: true, context);
                foreach (var row in expected.Rows) actual.Single(r => r.Group == row.Group).ShouldBe(row, context);
                FiguresOf(report.GetProperty("total")).ShouldBe(expected.Total, context);
                // Most reported first.
                actual.Select(r => r.Reported).ShouldBe(actual.Select(r => r.Reported).OrderDescending(), context);
            }
        }
    }

    private sealed record Figures(string Group, int Reported, int Responded, int Done, int Rated, int Satisfied, int OnTime, double? Median);

    private static Figures FiguresOf(JsonElement r) => new(r.GetProperty("group").GetString()!, r.GetProperty("reported").GetInt32(), r.GetProperty("responded").GetInt32(),
        r.GetProperty("done").GetInt32(), r.GetProperty("rated").GetInt32(), r.GetProperty("satisfied").GetInt32(), r.GetProperty("onTime").GetInt32(),
        r.GetProperty("medianHoursToDone").ValueKind == JsonValueKind.Null ? null : r.GetProperty("medianHoursToDone").GetDouble());

    /// <summary>The figures straight from the orders, as the metrics define them, without the app's metrics code.</summary>
    private async Task<(List<Figures> Rows, Figures Total)> ExpectedAsync(Guid communityId, DateOnly from, DateOnly to, MetricsBy by)
    {
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-8);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-8);
        var texts = Texts.For(Texts.Chinese);
        List<WorkOrder> orders = [];
        Dictionary<Guid, string> names = [];
        await WithDbAsync(async db =>
        {
            orders = await db.WorkOrders.AsNoTracking().Where(o => o.CommunityId == communityId && o.CreatedAt >= start && o.CreatedAt < end && o.DuplicateOfId == null).ToListAsync();
            names = by switch
            {
                MetricsBy.Category => await db.WorkOrderCategories.Where(c => c.CommunityId == communityId && c.ParentId == null).ToDictionaryAsync(c => c.Id, c => c.Name),
                MetricsBy.Grid => await db.Grids.Where(g => g.CommunityId == communityId).ToDictionaryAsync(g => g.Id, g => g.Name),
                MetricsBy.Community => await db.Communities.Where(c => c.Id == communityId).ToDictionaryAsync(c => c.Id, c => c.ShortName),
                _ => [],
            };
        });
        string GroupOf(WorkOrder o) => by switch
        {
            MetricsBy.Category => names[o.TopCategoryId],
            MetricsBy.Grid => o.GridId is { } g ? names[g] : texts["metrics.no_grid"],
            MetricsBy.Community => names[o.CommunityId],
            _ => o.HandlerName ?? texts["metrics.no_handler"],
        };
        static Figures Of(string group, IReadOnlyCollection<WorkOrder> os)
        {
            var minutes = os.Where(o => o.DoneAt != null).Select(o => o.MinutesToDone!.Value).Order().ToList();
            double? median = minutes.Count == 0 ? null
                : Math.Round((minutes.Count % 2 == 1 ? minutes[minutes.Count / 2] : (minutes[minutes.Count / 2 - 1] + minutes[minutes.Count / 2]) / 2.0) / 60.0, 1);
            return new(group, os.Count, os.Count(o => o.RespondedOnTime == true), os.Count(o => o.DoneAt != null), os.Count(o => o.Rating != null),
                os.Count(o => o.Rating >= 4), os.Count(o => o.DoneAt != null && o.DoneOnTime == true), median);
        }
        return (orders.GroupBy(GroupOf).Select(g => Of(g.Key, g.ToList())).ToList(), Of(texts["metrics.total"], orders));
    }

    private async Task WithDbAsync(Func<AppDbContext, Task> work)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>A time between the two (China dates), now and then exactly at a China month's start or a second before it.</summary>
    private DateTime RandomTime(DateTime from, DateTime to)
    {
        var r = _random.NextDouble();
        if (r < 0.04)
        {
            var monthStart = new DateTime(_random.Next(from.Year, to.Year), _random.Next(1, 13), 1, 0, 0, 0, DateTimeKind.Utc).AddHours(-8);
            return r < 0.02 ? monthStart : monthStart.AddSeconds(-1);
        }
        var seconds = (long)((to - from).TotalSeconds * _random.NextDouble());
        return DateTime.SpecifyKind(from.AddHours(-8).AddSeconds(seconds), DateTimeKind.Utc);
    }

    /// <summary>Minutes to done: short and long, with ties and values on the buckets' and the hours' edges.</summary>
    private int RandomMinutes() => _random.NextDouble() switch
    {
        < 0.25 => _random.Next(0, 90),
        < 0.45 => new[] { 0, 3, 9, 57, 63, 183, 237, 239, 240, 241, 479, 480, 1439 }[_random.Next(13)],
        < 0.9 => _random.Next(0, 3000),
        _ => _random.Next(3000, 60_000),
    };

    private WorkOrder NewOrder(Guid communityId, List<WorkOrderCategory> categories, Guid?[] grids, Handler[] handlers, Actor actor, DateTime t0)
    {
        var o = WorkOrder.Create(communityId, $"RT{++_number:00000}", Channel.Phone, categories[_random.Next(categories.Count)], "测试",
            new Place(null, null, null, null, "南门"), null, null, actor, t0, gridId: grids[_random.Next(grids.Length)]);
        var r = _random.NextDouble();
        if (r < 0.08) return o;
        o.Dispatch(handlers[_random.Next(handlers.Length)], actor, t0.AddMinutes(1));
        if (r < 0.16) return o;
        o.Take(actor, t0.AddMinutes(_random.Next(1, 300)));
        if (r < 0.24) return o;
        o.Complete(actor, t0.AddMinutes(RandomMinutes()), "已处理");
        if (_random.NextDouble() < 0.3) return o;
        o.RecordReturnVisit(actor, t0.AddDays(3), _random.Next(1, 6), null);
        if (_random.NextDouble() < 0.15)
        {
            o.Reopen(actor, t0.AddDays(4), "没修好");
            if (_random.NextDouble() < 0.5) return o;
            o.Dispatch(handlers[_random.Next(handlers.Length)], actor, t0.AddDays(4));
            o.Take(actor, t0.AddDays(4).AddMinutes(5));
            o.Complete(actor, t0.AddMinutes(RandomMinutes() + 6000), "已处理");
        }
        else if (_random.NextDouble() < 0.5) o.Close(actor, t0.AddDays(5));
        return o;
    }
}
