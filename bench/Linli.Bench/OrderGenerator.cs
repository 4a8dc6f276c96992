using System.Diagnostics;
using System.Globalization;
using Linli.Web.Features.Partners;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Queue = System.Threading.Channels;

namespace Linli.Bench;

public sealed record OrderSettings(DatabaseProvider Provider, string ConnectionString, string CommunityCode, int Orders, double Years, int Seed);

public sealed record OrderResult(Guid CommunityId, long Orders, long Events, double LoadSeconds, double AnalyzeSeconds, DateTime From, DateTime To);

/// <summary>
/// Years of one community's work orders, made through the app's own <see cref="WorkOrder"/> and its steps (create,
/// accept, dispatch, transfer, return, take, start, pause/resume, urge, complete, return visit, close, reopen), so the
/// facts the metrics read (taken/done on time, minutes to done, top category, handler name) and the timeline are
/// exactly what the app would have kept; then written with <see cref="BulkWriter"/> (binary COPY on PostgreSQL).
/// The mix: residents' categories by frequency, channels (app, phone, visit, grid patrol, inspection walk), the
/// handlers the community has (its staff and grid members with accounts, property companies, partner units, teams,
/// craftsmen), routing by category, more reports on weekdays, in summer and in the daytime, most orders taken and done
/// within their limits, three in four rated (mostly 4–5 stars), the newest ones still open. Residents who reported
/// from the app are a pool of account ids (accounts are no part of the metrics).
/// </summary>
public static class OrderGenerator
{
    private const int BatchSize = 20_000;

    private sealed record Batch(List<WorkOrder> Orders, List<WorkOrderEvent> Events);

    private sealed record Target(Guid Id, Guid? EstateId, Guid? BuildingId, int? Entrance, Guid? HomeId);

    public static async Task<OrderResult> RunAsync(OrderSettings s, CancellationToken ct)
    {
        await using var db = Generator.Context(s.Provider, s.ConnectionString);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var community = await db.Communities.FirstOrDefaultAsync(c => c.DivisionCode == s.CommunityCode, ct)
            ?? throw new UsageException($"--orders-community {s.CommunityCode}: no such community in the database (the demo's are 130108007024 and 130105013019)");
        if (!await db.WorkOrderCategories.AnyAsync(c => c.CommunityId == community.Id, ct))
        {
            db.WorkOrderCategories.AddRange(WorkOrderCategory.Defaults(community.Id));
            await db.SaveChangesAsync(ct);
        }
        var categories = await db.WorkOrderCategories.AsNoTracking().Where(c => c.CommunityId == community.Id && !c.IsRetired).ToListAsync(ct);
        var world = await WorldAsync(db, community.Id, ct);
        var now = DateTime.UtcNow;
        var from = now.AddDays(-365.25 * s.Years);
        Log.Line($"orders: {s.Orders:N0} for {community.ShortName} ({s.CommunityCode}) from {from:yyyy-MM-dd} to {now:yyyy-MM-dd}; {categories.Count} categories, " +
                 $"{world.Buildings.Count} buildings, {world.Homes.Count} homes; handlers: {string.Join(", ", world.All.Select(h => $"{h.Name} ({h.Kind})"))}");

        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        var writer = new BulkWriter(db, connection);
        var load = Stopwatch.StartNew();
        long orders = 0, events = 0;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            writer.UseTransaction(tx);
            var batches = Queue.Channel.CreateBounded<Batch>(new Queue.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var producer = Task.Run(async () =>
            {
                try
                {
                    var factory = new Factory(community.Id, categories, world, new Random(s.Seed), now);
                    foreach (var b in factory.Make(from, now, s.Orders)) await batches.Writer.WriteAsync(b, ct);
                    batches.Writer.Complete();
                }
                catch (Exception e)
                {
                    batches.Writer.Complete(e);
                }
            }, ct);
            var lastLog = Stopwatch.StartNew();
            await foreach (var b in batches.Reader.ReadAllAsync(ct))
            {
                await writer.WriteAsync(b.Orders, ct);
                await writer.WriteAsync(b.Events, ct);
                orders += b.Orders.Count;
                events += b.Events.Count;
                if (lastLog.Elapsed.TotalSeconds >= 10)
                {
                    Log.Line($"orders: {orders:N0} orders, {events:N0} events in {load.Elapsed.TotalSeconds:F0} s ({writer.Rows / load.Elapsed.TotalSeconds:N0} rows/s)");
                    lastLog.Restart();
                }
            }
            await producer;
            // The orders were written past the app's unit of work, so the metrics' monthly rollup of the community knows
            // nothing of them: forget it, and the app builds each month from the orders when it is first read.
            foreach (var table in new[] { "WorkOrderMetricsCells", "WorkOrderMetricsChanges", "WorkOrderMetricsMonths" })
            {
                await using var forget = connection.CreateCommand();
                forget.Transaction = tx;
                forget.CommandText = $"DELETE FROM \"{table}\" WHERE \"CommunityId\" = @c";
                var p = forget.CreateParameter();
                p.ParameterName = "c";
                p.Value = s.Provider == DatabaseProvider.Postgres ? community.Id : community.Id.ToString().ToUpperInvariant();
                forget.Parameters.Add(p);
                await forget.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        var loadSeconds = load.Elapsed.TotalSeconds;
        Log.Line($"orders: committed {orders:N0} orders and {events:N0} events in {loadSeconds:F1} s");
        var analyze = Stopwatch.StartNew();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandTimeout = 1800;
            // As autovacuum would leave the tables: statistics, and on PostgreSQL the visibility map for index-only scans.
            cmd.CommandText = s.Provider == DatabaseProvider.Postgres ? "VACUUM (ANALYZE) \"WorkOrders\", \"WorkOrderEvents\"" : "ANALYZE";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        Log.Line($"orders: {(s.Provider == DatabaseProvider.Postgres ? "VACUUM (ANALYZE)" : "ANALYZE")} took {analyze.Elapsed.TotalSeconds:F1} s");
        await connection.CloseAsync();
        return new OrderResult(community.Id, orders, events, loadSeconds, analyze.Elapsed.TotalSeconds, from, now);
    }

    private sealed record World(List<(Guid Id, Guid EstateId, int Entrances)> Buildings, List<(Guid Id, Guid BuildingId, Guid EstateId, int Entrance)> Homes,
        List<Guid> Estates, List<Handler> Staff, List<Handler> GridMembers, List<Handler> Property, List<Handler> Partners, List<Handler> Teams, List<Handler> Craftsmen,
        Dictionary<Guid, Guid?> AccountOf, Dictionary<(Guid Building, int Entrance), Guid> GridAreas)
    {
        public IEnumerable<Handler> All => Staff.Concat(GridMembers).Concat(Property).Concat(Partners).Concat(Teams).Concat(Craftsmen);

        /// <summary>The grid (not a micro-grid) of a place, as the app finds it when an order is reported: the entrance's area, else the whole building's.</summary>
        public Guid? GridOf(Place place) => place.BuildingId is not { } b ? null
            : place.EntranceNumber is { } e && e != 0 && GridAreas.TryGetValue((b, e), out var g) ? g
            : GridAreas.TryGetValue((b, 0), out var whole) ? whole : null;
    }

    /// <summary>The community's places and everyone an order can be dispatched to, with the account that acts for each.</summary>
    private static async Task<World> WorldAsync(AppDbContext db, Guid communityId, CancellationToken ct)
    {
        var buildings = (await db.Buildings.AsNoTracking().Where(b => b.CommunityId == communityId).OrderBy(b => b.Id).Select(b => new { b.Id, b.EstateId, b.EntranceCount }).ToListAsync(ct))
            .Select(b => (b.Id, b.EstateId, b.EntranceCount)).ToList();
        var estateOf = buildings.ToDictionary(b => b.Id, b => b.EstateId);
        var homes = (await db.Homes.AsNoTracking().Where(h => h.CommunityId == communityId).OrderBy(h => h.Id).Select(h => new { h.Id, h.BuildingId, h.EntranceNumber }).ToListAsync(ct))
            .Select(h => (h.Id, h.BuildingId, estateOf[h.BuildingId], h.EntranceNumber)).ToList();
        if (buildings.Count == 0 || homes.Count == 0) throw new BenchException("the community has no buildings or homes to report from");
        var accounts = await (
            from sc in db.UserScopes
            where sc.CommunityId == communityId
            join u in db.Users on sc.UserId equals u.Id
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            select new { u.Id, u.DisplayName, Role = r.Name, sc.Kind, sc.TargetId }).ToListAsync(ct);
        var staff = accounts.Where(a => a.Role is Roles.Staff or Roles.Secretary).DistinctBy(a => a.Id).Select(a => new Handler(HandlerKind.Staff, a.Id, a.DisplayName)).ToList();
        var grid = accounts.Where(a => a.Role == Roles.GridMember).DistinctBy(a => a.Id).Select(a => new Handler(HandlerKind.GridMember, a.Id, a.DisplayName)).ToList();
        if (staff.Count == 0) throw new BenchException("the community has no staff account to accept and dispatch orders");
        var units = await db.PartnerUnits.AsNoTracking().Where(u => u.CommunityId == communityId && !u.IsRetired).OrderBy(u => u.Name).ToListAsync(ct);
        var teams = await db.Teams.AsNoTracking().Where(x => x.CommunityId == communityId && !x.IsRetired).OrderBy(x => x.Name)
            .Select(x => new Handler(HandlerKind.Team, x.Id, x.Name)).ToListAsync(ct);
        var craftsmen = await db.Residents.AsNoTracking().Where(r => r.CommunityId == communityId && r.Skills != null).OrderBy(r => r.Name).Take(20)
            .Select(r => new Handler(HandlerKind.Craftsman, r.Id, r.Name)).ToListAsync(ct);
        // Who acts for a unit or team: an account scoped to it, if there is one.
        var accountOf = accounts.Where(a => a.TargetId != null && a.Kind is Web.Infrastructure.Auth.ScopeKind.PartnerUnit or Web.Infrastructure.Auth.ScopeKind.Team)
            .GroupBy(a => a.TargetId!.Value).ToDictionary(g => g.Key, g => (Guid?)g.First().Id);
        foreach (var h in staff.Concat(grid)) accountOf[h.Id] = h.Id;
        var areas = await db.GridAreas.AsNoTracking().Where(a => a.CommunityId == communityId)
            .Join(db.Grids.Where(g => g.ParentId == null), a => a.GridId, g => g.Id, (a, g) => new { a.BuildingId, a.EntranceNumber, a.GridId }).ToListAsync(ct);
        var gridAreas = areas.GroupBy(a => (a.BuildingId, a.EntranceNumber)).ToDictionary(g => g.Key, g => g.First().GridId);
        return new World(buildings, homes, buildings.Select(b => b.EstateId).Distinct().ToList(), staff, grid,
            units.Where(u => u.Kind == PartnerKind.PropertyCompany).Select(u => new Handler(HandlerKind.PropertyCompany, u.Id, u.Name)).ToList(),
            units.Where(u => u.Kind != PartnerKind.PropertyCompany).Select(u => new Handler(HandlerKind.PartnerUnit, u.Id, u.Name)).ToList(),
            teams, craftsmen, accountOf, gridAreas);
    }

    private sealed class Factory(Guid communityId, List<WorkOrderCategory> categories, World world, Random random, DateTime now)
    {
        // Relative frequency of the categories residents and staff report in (leaves and top-level alike).
        private static readonly Dictionary<string, int> Weights = new()
        {
            ["管道堵塞"] = 14, ["漏水"] = 12, ["停电跳闸"] = 6, ["水电维修"] = 6, ["环境卫生"] = 16, ["邻里纠纷"] = 8, ["公共设施"] = 8, ["路灯"] = 7,
            ["电梯"] = 10, ["安全隐患"] = 7, ["政策咨询"] = 6,
        };

        private readonly List<WorkOrderCategory> _pool = categories.Where(c => Weights.ContainsKey(c.Name)).SelectMany(c => Enumerable.Repeat(c, Weights[c.Name])).ToList();
        private readonly Dictionary<Guid, string> _topName = categories.ToDictionary(c => c.Id, c => categories.FirstOrDefault(p => p.Id == c.ParentId)?.Name ?? c.Name);
        private readonly Guid[] _reporters = Enumerable.Range(0, 3000).Select(_ => Guid.CreateVersion7()).ToArray();
        private readonly Dictionary<Guid, WorkOrder> _lastOpenAt = [];

        public IEnumerable<Batch> Make(DateTime from, DateTime to, int total)
        {
            if (_pool.Count == 0) throw new BenchException("the community's categories are not the seeded ones");
            // Reports per China day: weekdays 1.0, weekends 0.7; July–August 1.3 (leaks, storms), winter 1.1 (heating); ±15 % noise.
            var firstDay = DateOnly.FromDateTime(from + ChinaTime.Offset);
            var lastDay = DateOnly.FromDateTime(to + ChinaTime.Offset);
            var days = new List<(DateOnly Day, double Weight)>();
            for (var d = firstDay; d <= lastDay; d = d.AddDays(1))
            {
                var w = (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.7 : 1.0) * (d.Month is 7 or 8 ? 1.3 : d.Month is 12 or 1 ? 1.1 : 1.0) * (0.85 + 0.3 * random.NextDouble());
                if (d == lastDay) w *= Math.Clamp(((to + ChinaTime.Offset) - d.ToDateTime(TimeOnly.MinValue)).TotalHours / 24, 0, 1);
                days.Add((d, w));
            }
            var sum = days.Sum(d => d.Weight);
            var counts = days.Select(d => (int)(total * d.Weight / sum)).ToArray();
            for (var left = total - counts.Sum(); left > 0; left--) counts[random.Next(counts.Length - 1)]++;

            var batch = new Batch([], []);
            for (var i = 0; i < days.Count; i++)
            {
                var dayStart = days[i].Day.ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset; // UTC of China midnight
                // Today's reports all lie before now: the times of the day are squeezed into the part that has passed.
                var part = Math.Clamp((to - dayStart).TotalDays, 0, 1);
                var times = Enumerable.Range(0, counts[i]).Select(_ => dayStart + TimeSpan.FromMinutes(MinuteOfDay() * part)).Order().ToList();
                var number = 0;
                foreach (var at in times)
                {
                    number++;
                    var o = One(days[i].Day.ToString("yyMMdd", CultureInfo.InvariantCulture) + number.ToString("0000", CultureInfo.InvariantCulture), at);
                    batch.Orders.Add(o);
                    batch.Events.AddRange(o.Events);
                    o.Events.Clear(); // written once, with the batch; the order object may still be linked to as a duplicate
                    if (batch.Orders.Count == BatchSize)
                    {
                        yield return batch;
                        batch = new Batch([], []);
                    }
                }
            }
            if (batch.Orders.Count > 0) yield return batch;
        }

        /// <summary>Minutes after midnight: few at night, a morning and an evening peak.</summary>
        private double MinuteOfDay()
        {
            var r = random.NextDouble();
            var hour = r < 0.04 ? random.NextDouble() * 7                      // 0–7 h
                : r < 0.50 ? 7 + random.NextDouble() * 5                           // 7–12 h
                : r < 0.60 ? 12 + random.NextDouble() * 2                          // lunch
                : r < 0.88 ? 14 + random.NextDouble() * 5                          // afternoon
                : 19 + random.NextDouble() * 5;                                    // evening
            return hour * 60;
        }

        private double Exp(double meanHours) => -Math.Log(1 - random.NextDouble()) * meanHours;
        private T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];

        private Handler Route(string top, Handler? categoryDefault)
        {
            var r = random.NextDouble();
            List<Handler> Or(params List<Handler>[] lists) => lists.FirstOrDefault(l => l.Count > 0) ?? world.Staff;
            return top switch
            {
                "水电维修" => categoryDefault is not null && r < 0.8 ? categoryDefault : r < 0.6 ? Pick(Or(world.Property)) : r < 0.85 ? Pick(Or(world.Partners, world.Property)) : Pick(Or(world.Craftsmen, world.Property)),
                "环境卫生" or "邻里纠纷" => r < 0.6 ? Pick(Or(world.GridMembers)) : r < 0.9 ? Pick(world.Staff) : Pick(Or(world.Teams, world.Staff)),
                "公共设施" => r < 0.8 ? Pick(Or(world.Property)) : Pick(world.Staff),
                "安全隐患" => r < 0.5 ? Pick(world.Staff) : r < 0.8 ? Pick(Or(world.GridMembers)) : Pick(Or(world.Property)),
                _ => Pick(world.Staff),
            };
        }

        private Web.Features.WorkOrders.Actor ActorFor(Handler h) => new(world.AccountOf.GetValueOrDefault(h.Id), h.Name);

        private WorkOrder One(string number, DateTime created)
        {
            var category = Pick(_pool);
            var top = _topName[category.Id];
            var r = random.NextDouble();
            var channel = r < 0.55 ? Channel.ResidentApp : r < 0.75 ? Channel.Phone : r < 0.85 ? Channel.Visit : r < 0.97 ? Channel.GridPatrol : Channel.InspectionWalk;
            var office = Pick(world.Staff);
            var officeActor = ActorFor(office);
            var reporter = channel == Channel.ResidentApp ? _reporters[random.Next(_reporters.Length)] : (Guid?)null;
            var by = channel switch
            {
                Channel.ResidentApp => new Web.Features.WorkOrders.Actor(reporter, "居民"),
                Channel.GridPatrol when world.GridMembers.Count > 0 => ActorFor(Pick(world.GridMembers)),
                _ => officeActor,
            };
            var place = PlaceFor(top);
            var text = Intake.Reports.Texts[category.Name];
            var o = WorkOrder.Create(communityId, number, channel, category, Pick(text), place, reporter, null, by, created, gridId: world.GridOf(place));
            if (place.BuildingId is { } building)
            {
                // 重复提示: now and then the same problem at the same building is reported again and linked to the open order.
                if (_lastOpenAt.TryGetValue(building, out var open) && (open.DoneAt is null || open.DoneAt > created) && open.CategoryId == category.Id
                    && open.DuplicateOfId is null && random.NextDouble() < 0.3) o.LinkDuplicateOf(open);
                _lastOpenAt[building] = o;
            }
            Flow(o, top, category, office, officeActor, created);
            return o;
        }

        private Place PlaceFor(string top)
        {
            var r = random.NextDouble();
            if (top is "水电维修" or "邻里纠纷" && r < 0.8)
            {
                var h = Pick(world.Homes);
                return new Place(h.EstateId, h.BuildingId, h.Entrance, h.Id, null);
            }
            if (r < 0.75)
            {
                var b = Pick(world.Buildings);
                return new Place(b.EstateId, b.Id, random.NextDouble() < 0.6 ? random.Next(1, b.Entrances + 1) : null, null, null);
            }
            return r < 0.9 ? new Place(Pick(world.Estates), null, null, null, "小区东门口") : new Place(null, null, null, null, "社区南侧马路边");
        }

        /// <summary>The order's life up to now: each step happens only if its time has come.</summary>
        private void Flow(WorkOrder o, string top, WorkOrderCategory category, Handler office, Web.Features.WorkOrders.Actor officeActor, DateTime t)
        {
            bool Until(ref DateTime at, double hours)
            {
                at = at.AddHours(hours);
                return at <= now;
            }
            var defaultHandler = category.DefaultHandler ?? categories.FirstOrDefault(c => c.Id == category.ParentId)?.DefaultHandler;
            if (o.Status == WorkOrderStatus.Submitted)
            {
                if (!Until(ref t, 0.05 + Exp(0.4))) return;
                o.Accept(officeActor, t);
            }
            if (o.DuplicateOfId is not null && random.NextDouble() < 0.8) return; // linked duplicates mostly stay where the first one is followed
            for (var round = 0; round < 3; round++)
            {
                if (!Until(ref t, 0.1 + Exp(0.6))) return;
                var handler = Route(top, defaultHandler);
                o.Dispatch(handler, officeActor, t);
                if (random.NextDouble() < 0.02)
                {
                    if (!Until(ref t, Exp(2))) return;
                    o.Return(ActorFor(handler), t, "不属于我们的维修范围");
                    if (!Until(ref t, 0.2 + Exp(1))) return;
                    handler = Route(top, null) is var other && other != handler ? other : Pick(world.Staff);
                    o.Dispatch(handler, officeActor, t);
                }
                else if (random.NextDouble() < 0.03)
                {
                    if (!Until(ref t, Exp(1))) return;
                    var other = Pick(world.All.Where(h => h != handler).ToList());
                    o.Transfer(other, officeActor, t, "转交专业单位处理");
                    handler = other;
                }
                if (random.NextDouble() < 0.04 && Until(ref t, Exp(category.ResponseHours))) o.Urge(new(o.ReporterAccountId, "居民"), t, "怎么还没人来？");
                if (t > now) return;
                // Taken within the response limit about nine times in ten.
                if (!Until(ref t, Exp(category.ResponseHours * 0.45))) return;
                var actor = ActorFor(handler);
                o.Take(actor, t);
                if (random.NextDouble() < 0.7)
                {
                    if (!Until(ref t, Exp(0.5))) return;
                    o.Start(actor, t);
                }
                if (random.NextDouble() < 0.03)
                {
                    if (!Until(ref t, Exp(2))) return;
                    o.Pause(actor, t, "居民不在家，约好时间再来");
                    if (!Until(ref t, 2 + Exp(20))) return;
                    o.Resume(actor, t);
                }
                if (random.NextDouble() < 0.02)
                {
                    if (!Until(ref t, Exp(4))) return;
                    o.RequestExtension(actor, t, 24, "需要订购配件");
                    if (!Until(ref t, Exp(2))) return;
                    o.DecideExtension(officeActor, t, random.NextDouble() < 0.85, null);
                }
                // Done within the resolution limit about four times in five.
                if (!Until(ref t, Exp(category.ResolutionHours * 0.3))) return;
                o.Complete(actor, t, top == "政策咨询" ? "已电话答复居民" : "已处理完毕，居民确认");
                var rated = random.NextDouble();
                if (rated > 0.75) return; // not rated (yet)
                if (!Until(ref t, 1 + Exp(30))) return;
                var x = random.NextDouble();
                var stars = x < 0.62 ? 5 : x < 0.86 ? 4 : x < 0.93 ? 3 : x < 0.97 ? 2 : 1;
                o.RecordReturnVisit(o.ReporterAccountId is { } rep ? new(rep, "居民") : officeActor, t, stars, stars >= 4 ? "师傅很负责" : stars == 3 ? null : "问题还在");
                if (stars <= 2 && random.NextDouble() < 0.5)
                {
                    if (!Until(ref t, Exp(12))) return;
                    o.Reopen(officeActor, t, "居民反映问题没有解决");
                    continue;
                }
                if (!Until(ref t, 2 + Exp(30))) return;
                o.Close(officeActor, t);
                return;
            }
        }
    }
}
