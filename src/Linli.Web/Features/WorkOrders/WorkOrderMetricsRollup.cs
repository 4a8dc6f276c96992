using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// One cell of the metrics' monthly rollup: the orders of a community reported in one China month (<see cref="Month"/>,
/// yyyyMM), of one group of one grouping. Level 0 holds the group's counts (reported, responded, done, rated, satisfied,
/// on time); levels 1–3 hold how many of its done orders took so many minutes to done, by buckets of 240, 10 and 1
/// minutes (<see cref="Bucket"/> = minutes ÷ width, rounded down), in <see cref="Done"/>. The exact median is found by
/// narrowing: the 4-hour bucket that holds the middle order, then its 10-minute bucket, then the minute.
/// </summary>
public sealed class WorkOrderMetricsCell : ICommunityOwned
{
    public Guid CommunityId { get; private set; }
    public int Month { get; private set; }
    public MetricsBy By { get; private set; }
    public int Level { get; private set; }
    /// <summary>The group: a top category, a community, a grid (<see cref="Guid.Empty"/>: in no grid); empty when by handler.</summary>
    public Guid GroupId { get; private set; }
    /// <summary>The handler's name when by handler ("" when not dispatched); "" otherwise.</summary>
    public string GroupName { get; private set; } = "";
    public int Bucket { get; private set; }
    public int Reported { get; private set; }
    public int Responded { get; private set; }
    public int Done { get; private set; }
    public int Rated { get; private set; }
    public int Satisfied { get; private set; }
    public int OnTime { get; private set; }

    private WorkOrderMetricsCell() { }
}

/// <summary>A month of a community whose cells have been built from its orders; later changes arrive as <see cref="WorkOrderMetricsChange"/> rows.</summary>
public sealed class WorkOrderMetricsMonth : ICommunityOwned
{
    public Guid CommunityId { get; private set; }
    public int Month { get; private set; }
    public DateTime BuiltAt { get; private set; }

    private WorkOrderMetricsMonth() { }
}

/// <summary>
/// What one saved change of an order did to the metrics of the order's month: +1 with what the order now counts as, or
/// −1 with what it counted as before (a change writes both). Written in the same transaction as the order, only
/// inserted (no row that concurrent saves would wait for), and folded into the cells by the next reader of that month.
/// </summary>
public sealed class WorkOrderMetricsChange : ICommunityOwned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public int Month { get; private set; }
    public int Sign { get; private set; }
    public Guid TopCategoryId { get; private set; }
    public string HandlerName { get; private set; } = "";
    public Guid GridId { get; private set; }
    public bool Done { get; private set; }
    public int? Minutes { get; private set; }
    public bool Responded { get; private set; }
    public bool Rated { get; private set; }
    public bool Satisfied { get; private set; }
    public bool OnTime { get; private set; }

    private WorkOrderMetricsChange() { }

    internal WorkOrderMetricsChange(Guid communityId, int month, int sign, MetricsFacts f)
    {
        CommunityId = communityId;
        Month = month;
        Sign = sign;
        TopCategoryId = f.TopCategoryId;
        HandlerName = f.HandlerName;
        GridId = f.GridId;
        Done = f.Done;
        Minutes = f.Minutes;
        Responded = f.Responded;
        Rated = f.Rated;
        Satisfied = f.Satisfied;
        OnTime = f.OnTime;
    }
}

/// <summary>What an order counts as in the metrics (a linked duplicate counts as nothing). The same rules as the direct computation in <see cref="WorkOrderMetrics"/>.</summary>
internal sealed record MetricsFacts(Guid TopCategoryId, string HandlerName, Guid GridId, bool Done, int? Minutes, bool Responded, bool Rated, bool Satisfied, bool OnTime)
{
    public static MetricsFacts? Of(PropertyValues v)
    {
        if (v.GetValue<Guid?>(nameof(WorkOrder.DuplicateOfId)) is not null) return null;
        var done = v.GetValue<DateTime?>(nameof(WorkOrder.DoneAt)) is not null;
        var rating = v.GetValue<int?>(nameof(WorkOrder.Rating));
        return new MetricsFacts(v.GetValue<Guid>(nameof(WorkOrder.TopCategoryId)), v.GetValue<string?>(nameof(WorkOrder.HandlerName)) ?? "",
            v.GetValue<Guid?>(nameof(WorkOrder.GridId)) ?? Guid.Empty, done, done ? v.GetValue<int?>(nameof(WorkOrder.MinutesToDone)) : null,
            v.GetValue<bool?>(nameof(WorkOrder.RespondedOnTime)) == true, rating is not null, rating >= 4, done && v.GetValue<bool?>(nameof(WorkOrder.DoneOnTime)) == true);
    }
}

/// <summary>
/// Keeps the rollup exact. <see cref="Record"/> runs in every save (<see cref="WorkOrderMetricsInterceptor"/>): for each order added, changed or
/// removed whose metrics facts differ, it adds change rows to the same unit of work. <see cref="EnsureAsync"/> runs
/// before the metrics read cells: a month never built is built from its orders, and a built month's change rows are
/// folded into its cells and deleted in one statement (PostgreSQL) or one write transaction (SQLite), so each change is
/// counted exactly once however many readers run at once.
/// </summary>
public sealed class WorkOrderMetricsRollup(AppDbContext db, TimeProvider clock)
{
    /// <summary>Bucket widths in minutes of levels 1, 2 and 3.</summary>
    public static readonly int[] Widths = [240, 10, 1];

    /// <summary>The China month (yyyyMM) of a UTC time.</summary>
    public static int MonthOf(DateTime utc)
    {
        var local = utc + ChinaTime.Offset;
        return local.Year * 100 + local.Month;
    }

    /// <summary>The UTC instant at which a China month starts.</summary>
    public static DateTime MonthStart(int month) => new DateTime(month / 100, month % 100, 1, 0, 0, 0, DateTimeKind.Utc) - ChinaTime.Offset;

    public static int NextMonth(int month) => month % 100 == 12 ? (month / 100 + 1) * 100 + 1 : month + 1;

    public static int FloorDiv(int minutes, int width) => minutes >= 0 ? minutes / width : -((width - 1 - minutes) / width);

    /// <summary>Adds the change rows of the orders about to be saved; returns them, so that a failed save can take them back.</summary>
    internal static List<WorkOrderMetricsChange> Record(DbContext context)
    {
        List<WorkOrderMetricsChange>? changes = null;
        foreach (var e in context.ChangeTracker.Entries<WorkOrder>())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var before = e.State == EntityState.Added ? null : MetricsFacts.Of(e.OriginalValues);
            var after = e.State == EntityState.Deleted ? null : MetricsFacts.Of(e.CurrentValues);
            if (before == after) continue;
            var values = e.State == EntityState.Deleted ? e.OriginalValues : e.CurrentValues;
            var community = values.GetValue<Guid>(nameof(WorkOrder.CommunityId));
            var month = MonthOf(values.GetValue<DateTime>(nameof(WorkOrder.CreatedAt)));
            changes ??= [];
            if (before is not null) changes.Add(new WorkOrderMetricsChange(community, month, -1, before));
            if (after is not null) changes.Add(new WorkOrderMetricsChange(community, month, +1, after));
        }
        if (changes is null) return [];
        context.Set<WorkOrderMetricsChange>().AddRange(changes);
        return changes;
    }

    /// <summary>Builds the months of the communities never built yet and folds in the changes waiting for the others; returns how many months it touched.</summary>
    public async Task<int> EnsureAsync(IReadOnlyList<Guid> communities, int firstMonth, int lastMonth, CancellationToken ct = default)
    {
        if (firstMonth > lastMonth) return 0;
        var built = (await db.WorkOrderMetricsMonths.AsNoTracking()
            .Where(m => communities.Contains(m.CommunityId) && m.Month >= firstMonth && m.Month <= lastMonth)
            .Select(m => new { m.CommunityId, m.Month }).ToListAsync(ct)).Select(m => (m.CommunityId, m.Month)).ToHashSet();
        var pending = (await db.WorkOrderMetricsChanges.AsNoTracking()
            .Where(c => communities.Contains(c.CommunityId) && c.Month >= firstMonth && c.Month <= lastMonth)
            .Select(c => new { c.CommunityId, c.Month }).Distinct().ToListAsync(ct)).Select(m => (m.CommunityId, m.Month)).ToHashSet();
        var touched = 0;
        foreach (var community in communities)
        {
            for (var month = firstMonth; month <= lastMonth; month = NextMonth(month))
            {
                if (built.Contains((community, month)))
                {
                    if (!pending.Contains((community, month))) continue;
                    await ApplyAsync(community, month, ct);
                }
                else if (!await BuildAsync(community, month, ct)) await ApplyAsync(community, month, ct);
                touched++;
            }
        }
        return touched;
    }

    /// <summary>
    /// Every community's months from its first order to the current one: builds those never built, folds in waiting changes.
    /// Run in the background (<see cref="WorkOrderMetricsMaintenance"/>) so that readers seldom have either to do.
    /// </summary>
    public async Task<int> MaintainAsync(CancellationToken ct = default)
    {
        var current = MonthOf(clock.GetUtcNow().UtcDateTime);
        var touched = 0;
        foreach (var community in await db.Communities.AsNoTracking().OrderBy(c => c.DivisionCode).Select(c => c.Id).ToListAsync(ct))
        {
            var firstOrder = await db.WorkOrders.AsNoTracking().Where(o => o.CommunityId == community).OrderBy(o => o.CreatedAt).Select(o => (DateTime?)o.CreatedAt).FirstOrDefaultAsync(ct);
            if (firstOrder is not { } first) continue;
            touched += await EnsureAsync([community], MonthOf(first), Math.Max(current, MonthOf(first)), ct);
        }
        return touched;
    }

    private bool Postgres => db.Database.IsNpgsql();

    /// <summary>
    /// The month's cells from its orders; false when another reader built it first. The month's row is written first: on
    /// PostgreSQL a second builder waits for it and then finds the month built; SQLite's write transaction holds every
    /// other writer back. Change rows already visible are deleted in the snapshot the orders are read in (the orders
    /// show them); later ones stay for the next reader.
    /// </summary>
    private async Task<bool> BuildAsync(Guid community, int month, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct); // SQLite: BEGIN IMMEDIATE, no other writer until the commit
        var claimed = await db.Database.ExecuteSqlRawAsync(
            """INSERT INTO "WorkOrderMetricsMonths" ("CommunityId", "Month", "BuiltAt") VALUES ({0}, {1}, {2}) ON CONFLICT ("CommunityId", "Month") DO NOTHING""",
            [community, month, clock.GetUtcNow().UtcDateTime], ct);
        if (claimed == 0) return false;
        // A month not built has no cells (both are written here, and removed together); none to delete.
        // PostgreSQL: enough memory to group the month's ~450,000 fact rows without sorting on disk.
        if (Postgres) await db.Database.ExecuteSqlRawAsync("SET LOCAL work_mem = '64MB'", ct);
        object[] args = [community, month, Guid.Empty, MonthStart(month), MonthStart(NextMonth(month))];
        if (Postgres) await db.Database.ExecuteSqlRawAsync(BuildPostgres, args, ct);
        else
        {
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "WorkOrderMetricsChanges" WHERE "CommunityId" = {0} AND "Month" = {1}""", [community, month], ct);
            await db.Database.ExecuteSqlRawAsync(FromOrders, args, ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Folds the month's change rows into its cells and deletes them: each row is counted by the one statement (or write transaction) that deleted it.</summary>
    private async Task ApplyAsync(Guid community, int month, CancellationToken ct)
    {
        object[] args = [community, month, Guid.Empty];
        if (Postgres)
        {
            await db.Database.ExecuteSqlRawAsync(ApplyPostgres, args, ct);
            return;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct); // BEGIN IMMEDIATE
        await db.Database.ExecuteSqlRawAsync(ApplySqlite, args, ct);
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "WorkOrderMetricsChanges" WHERE "CommunityId" = {0} AND "Month" = {1}""", [community, month], ct);
        await tx.CommitAsync(ct);
    }

    // The statements, made once from constants. Parameters: {0} community, {1} month, {2} the empty group; building also {3}, {4}: the month's start and end.

    /// <summary>The month's orders as signed facts (+1 each), counted as <see cref="MetricsFacts"/> counts them.</summary>
    private static readonly string FromOrders = $$"""
        INSERT INTO "WorkOrderMetricsCells" {{Columns}}
        {{Expand("""
            SELECT "TopCategoryId" AS cat, COALESCE("HandlerName", '') AS handler, COALESCE("GridId", {2}) AS grid, "CommunityId" AS community,
                CASE WHEN "DoneAt" IS NOT NULL THEN "MinutesToDone" END AS minutes, 1 AS sign,
                CASE WHEN "DoneAt" IS NOT NULL THEN 1 ELSE 0 END AS done,
                CASE WHEN "RespondedOnTime" THEN 1 ELSE 0 END AS responded,
                CASE WHEN "Rating" IS NOT NULL THEN 1 ELSE 0 END AS rated,
                CASE WHEN "Rating" >= 4 THEN 1 ELSE 0 END AS satisfied,
                CASE WHEN "DoneAt" IS NOT NULL AND "DoneOnTime" THEN 1 ELSE 0 END AS ontime
            FROM "WorkOrders"
            WHERE "CommunityId" = {0} AND "CreatedAt" >= {3} AND "CreatedAt" < {4} AND "DuplicateOfId" IS NULL
            """)}}
        """;

    /// <summary>One statement, one snapshot: the change rows it deletes are exactly those its orders already show.</summary>
    private static readonly string BuildPostgres =
        $$"""WITH gone AS (DELETE FROM "WorkOrderMetricsChanges" WHERE "CommunityId" = {0} AND "Month" = {1}) {{FromOrders}}""";

    private const string ChangeFacts = """
        "TopCategoryId" AS cat, "HandlerName" AS handler, "GridId" AS grid, "CommunityId" AS community, "Minutes" AS minutes, "Sign" AS sign,
        CASE WHEN "Done" THEN 1 ELSE 0 END AS done, CASE WHEN "Responded" THEN 1 ELSE 0 END AS responded,
        CASE WHEN "Rated" THEN 1 ELSE 0 END AS rated, CASE WHEN "Satisfied" THEN 1 ELSE 0 END AS satisfied,
        CASE WHEN "OnTime" THEN 1 ELSE 0 END AS ontime
        """;

    private const string Upsert = """
        ON CONFLICT ("CommunityId", "By", "Level", "GroupId", "GroupName", "Bucket", "Month") DO UPDATE SET
            "Reported" = "WorkOrderMetricsCells"."Reported" + excluded."Reported", "Responded" = "WorkOrderMetricsCells"."Responded" + excluded."Responded",
            "Done" = "WorkOrderMetricsCells"."Done" + excluded."Done", "Rated" = "WorkOrderMetricsCells"."Rated" + excluded."Rated",
            "Satisfied" = "WorkOrderMetricsCells"."Satisfied" + excluded."Satisfied", "OnTime" = "WorkOrderMetricsCells"."OnTime" + excluded."OnTime"
        """;

    private static readonly string ApplyPostgres = $$"""
        WITH applied AS (DELETE FROM "WorkOrderMetricsChanges" WHERE "CommunityId" = {0} AND "Month" = {1} RETURNING *)
        INSERT INTO "WorkOrderMetricsCells" {{Columns}}
        {{Expand($"SELECT {ChangeFacts} FROM applied")}}
        {{Upsert}}
        """;

    private static readonly string ApplySqlite = $$"""
        INSERT INTO "WorkOrderMetricsCells" {{Columns}}
        {{Expand($$"""SELECT {{ChangeFacts}} FROM "WorkOrderMetricsChanges" WHERE "CommunityId" = {0} AND "Month" = {1}""")}}
        {{Upsert}}
        """;

    private const string Columns = """("CommunityId", "Month", "By", "Level", "GroupId", "GroupName", "Bucket", "Reported", "Responded", "Done", "Rated", "Satisfied", "OnTime")""";

    /// <summary>
    /// Every fact row (an order, signed) becomes one row per grouping and level: level 0 carries the counts, levels 1–3
    /// (done orders only) the buckets of the minutes to done; then they are summed per cell. Parameters: {0} community,
    /// {1} month, {2} the empty group.
    /// </summary>
    private static string Expand(string facts)
    {
        static string Floor(int width) => width == 1 ? "s.minutes" : $"CASE WHEN s.minutes >= 0 THEN s.minutes / {width} ELSE -(({width - 1} - s.minutes) / {width}) END";
        var pairs = string.Join(", ", Enum.GetValues<MetricsBy>().SelectMany(b => Enumerable.Range(0, Widths.Length + 1).Select(l => $"({(int)b}, {l})")));
        return $$"""
            SELECT {0}, {1}, x.column1, x.column2,
                CASE x.column1 WHEN {{(int)MetricsBy.Category}} THEN s.cat WHEN {{(int)MetricsBy.Community}} THEN s.community WHEN {{(int)MetricsBy.Grid}} THEN s.grid ELSE {2} END,
                CASE x.column1 WHEN {{(int)MetricsBy.Handler}} THEN s.handler ELSE '' END,
                CASE x.column2 WHEN 0 THEN 0 WHEN 1 THEN {{Floor(Widths[0])}} WHEN 2 THEN {{Floor(Widths[1])}} ELSE {{Floor(Widths[2])}} END,
                SUM(CASE WHEN x.column2 = 0 THEN s.sign ELSE 0 END),
                SUM(CASE WHEN x.column2 = 0 THEN s.sign * s.responded ELSE 0 END),
                SUM(CASE WHEN x.column2 = 0 THEN s.sign * s.done ELSE s.sign END),
                SUM(CASE WHEN x.column2 = 0 THEN s.sign * s.rated ELSE 0 END),
                SUM(CASE WHEN x.column2 = 0 THEN s.sign * s.satisfied ELSE 0 END),
                SUM(CASE WHEN x.column2 = 0 THEN s.sign * s.ontime ELSE 0 END)
            FROM ({{facts}}) s CROSS JOIN (VALUES {{pairs}}) AS x
            WHERE x.column2 = 0 OR s.minutes IS NOT NULL
            GROUP BY 3, 4, 5, 6, 7
            ORDER BY 3, 4, 5, 6, 7
            """;
    }
}

public sealed class WorkOrderMetricsCellConfiguration : IEntityTypeConfiguration<WorkOrderMetricsCell>
{
    public void Configure(EntityTypeBuilder<WorkOrderMetricsCell> b)
    {
        // What the reads take is one stretch of the key each: a grouping's levels 0–1 over its months, and one group's
        // buckets of a level within one coarser bucket over its months (PostgreSQL 15 cannot skip through a leading Month).
        // No foreign key: derived rows, written tens of thousands at a time (the month's row in WorkOrderMetricsMonths has one).
        b.HasKey(x => new { x.CommunityId, x.By, x.Level, x.GroupId, x.GroupName, x.Bucket, x.Month });
        b.Property(x => x.GroupName).HasMaxLength(Handler.NameMax);
    }
}

public sealed class WorkOrderMetricsMonthConfiguration : IEntityTypeConfiguration<WorkOrderMetricsMonth>
{
    public void Configure(EntityTypeBuilder<WorkOrderMetricsMonth> b)
    {
        b.HasKey(x => new { x.CommunityId, x.Month });
        b.HasOne<Places.Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WorkOrderMetricsChangeConfiguration : IEntityTypeConfiguration<WorkOrderMetricsChange>
{
    public void Configure(EntityTypeBuilder<WorkOrderMetricsChange> b)
    {
        b.Property(x => x.HandlerName).HasMaxLength(Handler.NameMax);
        b.HasIndex(x => new { x.CommunityId, x.Month });
        b.HasOne<Places.Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Keeps the rollup ready in the background: after the start and then every <c>WorkOrders:MetricsRollupMinutes</c> (default
/// 10) it builds the months never built (after an upgrade, or orders loaded in bulk) and folds in waiting changes. Readers
/// do the same for their months whatever this has done, so it only saves them the time; several processes may run it.
/// </summary>
public sealed class WorkOrderMetricsMaintenance(IServiceScopeFactory scopes, TimeProvider time, Infrastructure.Operations.StartupGate gate, IConfiguration config,
    ILogger<WorkOrderMetricsMaintenance> log) : Infrastructure.Operations.PeriodicJob(scopes, time, gate, log)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(Math.Clamp(config.GetValue("WorkOrders:MetricsRollupMinutes", 10), 1, 1440));

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        services.GetRequiredService<TenantScope>().UseSystem();
        var started = Clock.GetTimestamp();
        var months = await services.GetRequiredService<WorkOrderMetricsRollup>().MaintainAsync(ct);
        if (months > 0) log.LogInformation("Work-order metrics: {Months} months built or brought up to date in {Ms:F0} ms", months, Clock.GetElapsedTime(started).TotalMilliseconds);
    }
}
