using Linli.Web.Features.Calendar;
using System.Globalization;
using Linli.Web.Features.Grids;
using Linli.Web.Features.Partners;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

public sealed class PlaceInput
{
    public Guid? EstateId { get; set; }
    public Guid? BuildingId { get; set; }
    public int? EntranceNumber { get; set; }
    public Guid? HomeId { get; set; }
    public string? Text { get; set; }
}

public sealed class NewWorkOrder
{
    /// <summary>The reporter saw the duplicate hint and says it is the same problem as this open order.</summary>
    public Guid? DuplicateOfId { get; set; }
    public Guid? CommunityId { get; set; }
    public Guid CategoryId { get; set; }
    public string? Description { get; set; }
    public PlaceInput Place { get; set; } = new();
    /// <summary>Staff only: Phone or Visit (on a resident's behalf), GridPatrol. A resident's report is always ResidentApp.</summary>
    public Channel? Channel { get; set; }
    /// <summary>Staff: the resident from the registry the order is for.</summary>
    public Guid? ResidentId { get; set; }
}

public sealed record HandlerInput(HandlerKind Kind, Guid Id)
{
    /// <summary>A handler as the forms' selects give it, "Kind:Id"; null when empty or not of that shape.</summary>
    public static HandlerInput? Parse(string? value) =>
        value?.Split(':') is [var kind, var id] && Enum.TryParse<HandlerKind>(kind, out var k) && Enum.IsDefined(k) && Guid.TryParse(id, out var g) ? new HandlerInput(k, g) : null;
}

/// <summary>Why the routing chose a handler.</summary>
public enum RouteReason { Rule = 1, OnCall = 2, Grid = 3, CategoryDefault = 4 }

/// <summary>The routing's choice for an order: the handler, why, the rule that chose it, and whether that rule dispatches at once.</summary>
public sealed record RouteChoice(Handler Handler, RouteReason Reason, Guid? RuleId, bool DispatchAtOnce);

/// <summary>What a step may carry: a handler (dispatch, transfer), a reason or note, a result, a rating, hours, a decision.</summary>
public sealed class StepInput
{
    public HandlerInput? Handler { get; set; }
    public string? Reason { get; set; }
    public string? Result { get; set; }
    public int? Rating { get; set; }
    public string? Comment { get; set; }
    public int? Hours { get; set; }
    public bool? Approve { get; set; }
}

public sealed record WorkOrderRow(Guid Id, string Number, Channel Channel, string Category, WorkOrderStatus Status, string Place, string? HandlerName,
    DateTime CreatedAt, DateTime ResolutionDueAt, bool Overdue, int UrgeCount);

public sealed record TimelineEntry(Step Step, DateTime At, string ActorName, string? Note, string PlainText);

public sealed record WorkOrderDetail(Guid Id, string Number, Channel Channel, Guid CategoryId, string Category, WorkOrderStatus Status, string Description,
    string Place, HandlerKind? HandlerKind, Guid? HandlerId, string? HandlerName, DateTime CreatedAt, DateTime ResponseDueAt, DateTime ResolutionDueAt,
    DateTime? DoneAt, string? Result, int? Rating, string? RatingComment, int ReopenCount, int UrgeCount, int? ExtensionHoursRequested,
    IReadOnlyList<string> AllowedSteps, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<PhotoRow> Photos, Guid? DuplicateOfId = null,
    int Version = 0, Tier Tier = Tier.Community, bool Overdue = false, Guid? ResidentId = null);

/// <summary>What an open order page polls (<c>?handler=Live&amp;v=N</c>): its live part, re-rendered only when the version moved.</summary>
public sealed record OrderLive(WorkOrderDetail Order, bool Staff, string PollUrl, bool Changed);

public sealed record PhotoRow(Guid Id, PhotoStage Stage, string Url, string ThumbnailUrl);

/// <summary>An open order that looks like the same problem: same category, same building. No personal data (a resident sees it too).</summary>
public sealed record SimilarOrder(Guid Id, string Number, string Category, string Place, WorkOrderStatus Status, DateTime CreatedAt);

/// <summary>
/// The duplicate hint as a form shows it (partial Shared/_SimilarOrders): the open similar orders, the radio field that links
/// one (<see cref="NewWorkOrder.DuplicateOfId"/>), the choice made, a link to each order for staff (residents see no other
/// order), a message beside it, and a hidden field that says which orders the form has shown.
/// </summary>
public sealed record SimilarHint(IReadOnlyList<SimilarOrder> Orders, string Field, Guid? Selected = null, string? OrderLink = null, string? Error = null,
    string? ShownField = null);

public sealed record CategoryRow(Guid Id, Guid? ParentId, string Name, int ResponseHours, int ResolutionHours, int WarningLeadHours, bool WorkingHours,
    bool Public, bool GridFirst, HandlerKind? DefaultHandlerKind, Guid? DefaultHandlerId, string? DefaultHandlerName, bool IsRetired)
{
    public static CategoryRow Of(WorkOrderCategory c) => new(c.Id, c.ParentId, c.Name, c.ResponseHours, c.ResolutionHours, c.WarningLeadHours,
        c.WorkingHours, c.Public, c.GridFirst, c.DefaultHandlerKind, c.DefaultHandlerId, c.DefaultHandlerName, c.IsRetired);
}

/// <summary>
/// Work orders: create from every channel, see what the caller may see, and take the flow's steps. Who sees an order:
/// the resident who reported it; the community's staff; a grid member the orders of the own grid and those dispatched
/// to them; a partner unit's or team's people only what is dispatched to their unit or team. Anything else is a 404.
/// </summary>
public sealed class WorkOrdersService(AppDbContext db, TenantScope scope, IHttpContextAccessor http, TimeProvider clock, Texts t,
    Infrastructure.Media.PhotoStore photos, WorkCalendarService calendar, WorkOrderNotifier notifier, WorkOrderNumbers numbers,
    Infrastructure.Caching.ReferenceCache cache, Residents.ResidentsService residents, InsertBatcher inserts)
{
    private System.Security.Claims.ClaimsPrincipal User => http.HttpContext?.User ?? new();
    private Guid? Me => User.UserId();
    private Actor MeActor => new(Me, User.DisplayName());
    /// <summary>Now, to the microsecond (what PostgreSQL keeps), so the answer to a create shows the times later reads show.</summary>
    private DateTime Now => clock.GetUtcNow().UtcDateTime is var now ? now.AddTicks(-(now.Ticks % 10)) : default;

    /// <summary>Community staff: the secretary, staff and subdistrict admins act on every order of their communities.</summary>
    private bool IsCommunityStaff => User.IsInRole(Roles.Staff) || User.IsInRole(Roles.Secretary) || User.IsInRole(Roles.SubdistrictAdmin);

    /// <summary>The orders the caller may see (the tenant filter has already kept the communities).</summary>
    private IQueryable<WorkOrder> Visible()
    {
        var orders = db.WorkOrders.AsQueryable();
        if (IsCommunityStaff) return orders;
        var me = Me ?? Guid.Empty;
        var partners = scope.PartnerUnitIds;
        var teams = scope.TeamIds;
        var grids = scope.GridIds;
        var areas = db.AreasOf(grids);
        return orders.Where(o =>
            o.ReporterAccountId == me
            || ((o.HandlerKind == HandlerKind.Staff || o.HandlerKind == HandlerKind.GridMember) && o.HandlerId == me)
            || ((o.HandlerKind == HandlerKind.PropertyCompany || o.HandlerKind == HandlerKind.PartnerUnit) && partners.Contains(o.HandlerId!.Value))
            || (o.HandlerKind == HandlerKind.Team && teams.Contains(o.HandlerId!.Value))
            || (o.BuildingId != null && areas.Any(a => a.BuildingId == o.BuildingId && (a.EntranceNumber == 0 || a.EntranceNumber == o.EntranceNumber))));
    }

    // ---------------------------------------------------------------- categories

    public async Task<List<CategoryRow>> CategoriesAsync(Guid communityId, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        await EnsureCategoriesAsync(communityId, ct);
        return (await db.WorkOrderCategories.AsNoTracking().Where(c => c.CommunityId == communityId)
            .OrderBy(c => c.ParentId == null ? c.SortOrder : 0).ThenBy(c => c.SortOrder).ThenBy(c => c.Name)
            .ToListAsync(ct)).Select(CategoryRow.Of).ToList();
    }

    /// <summary>A community starts with the usual categories the first time anyone looks; the office edits them afterwards.</summary>
    public async Task EnsureCategoriesAsync(Guid communityId, CancellationToken ct = default)
    {
        if (await db.WorkOrderCategories.AnyAsync(c => c.CommunityId == communityId, ct)) return;
        db.WorkOrderCategories.AddRange(WorkOrderCategory.Defaults(communityId));
        await db.SaveChangesAsync(ct);
    }

    // ---------------------------------------------------------------- create

    public async Task<WorkOrder> CreateAsync(Guid communityId, NewWorkOrder input, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        // The community's categories come from the reference cache; one it does not know yet (made by another process of
        // the app a moment ago) makes it read them again, and a community without any gets the usual ones.
        var pair = await CachedCategoriesAsync(communityId, ct);
        if (pair.All(c => c.Id != input.CategoryId))
        {
            cache.Invalidate(communityId);
            pair = await CachedCategoriesAsync(communityId, ct);
        }
        var category = pair.FirstOrDefault(c => c.Id == input.CategoryId);
        if (category is null)
        {
            await EnsureCategoriesAsync(communityId, ct);
            throw DomainException.Invalid(nameof(input.CategoryId), "workorders.category_unknown");
        }
        var categoryLabel = pair.FirstOrDefault(c => c.Id == category.ParentId) is { } parent ? $"{parent.Name} › {category.Name}" : category.Name;
        var isResident = !User.IsStaff();
        Channel channel;
        Guid? reporter = null, residentId;
        if (isResident)
        {
            channel = Channel.ResidentApp;
            reporter = Me;
            var me = Me;
            residentId = await cache.GetAsync(communityId, $"resident-of:{me}", () =>
                db.Residents.Where(r => r.AccountId == me && r.CommunityId == communityId).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct));
        }
        else
        {
            channel = input.Channel ?? (User.IsInRole(Roles.GridMember) && !IsCommunityStaff ? Channel.GridPatrol : Channel.Phone);
            if (channel == Channel.ResidentApp) throw DomainException.Invalid(nameof(input.Channel), "workorders.channel_staff");
            residentId = input.ResidentId;
            if (residentId is { } rid)
            {
                // Only a role that reads the registry picks a resident, and only one it may see there (a grid member: the
                // own grids' residents), as the registry's own search decides. A resident with a portal account follows the
                // order there as its reporter: it is in their list, they hear of each step, they may urge and rate it.
                var picked = Roles.RegistryReaders.Any(User.IsInRole) && User.HasTwoFactor()
                    ? await residents.PickAsync(communityId, rid, withHome: false, ct) : null;
                if (picked is null) throw DomainException.Invalid(nameof(input.ResidentId), "workorders.resident_unknown");
                reporter = picked.AccountId;
            }
        }
        var (place, placeLabel) = await PlaceAsync(communityId, input.Place, ct);
        var now = Now;
        var time = await calendar.CurrentAsync(ct);
        var grid = await GridOfAsync(communityId, place, ct);
        for (var attempt = 0; ; attempt++)
        {
            var order = WorkOrder.Create(communityId, await NextNumberAsync(communityId, now, reread: attempt > 0, ct), channel, category, input.Description ?? "", place, reporter,
                residentId, MeActor, now, time, grid);
            if (input.DuplicateOfId is { } dup)
            {
                var similar = await SimilarAsync(communityId, category.Id, place.BuildingId, ct);
                if (similar.All(x => x.Id != dup)) throw DomainException.Invalid(nameof(input.DuplicateOfId), "workorders.duplicate_unknown");
                order.LinkDuplicateOf(await db.WorkOrders.AsNoTracking().IgnoreQueryFilters().FirstAsync(o => o.Id == dup, ct));
            }
            if (order.DuplicateOfId is null) await DispatchAtOnceAsync(order, category, now, time, ct); // each attempt is a new order
            // The order with its first steps, and their notifications: saved as one unit, together with the reports other
            // requests hand over at the same moment (group commit, ADR 0007).
            List<object> rows = [order, .. await notifier.ForStepsAsync(order, order.Events, ct)];
            try
            {
                await inserts.InsertAsync(db, rows, ct);
                _created = (order.Id, categoryLabel, placeLabel);
                return order;
            }
            catch (DomainException d) when (d.TextKey == "error.duplicate" && attempt < 5)
            {
                // another process of the app gave the same number: count on after the highest stored
            }
        }
    }

    /// <summary>The community's categories (retired ones too), as the reference cache keeps them; never tracked.</summary>
    private Task<List<WorkOrderCategory>> CachedCategoriesAsync(Guid communityId, CancellationToken ct) =>
        cache.GetAsync(communityId, "categories", () => db.WorkOrderCategories.AsNoTracking().Where(c => c.CommunityId == communityId).ToListAsync(ct));

    /// <summary>The community's routing rules in their order, as the reference cache keeps them.</summary>
    private Task<List<RoutingRule>> CachedRulesAsync(Guid communityId, CancellationToken ct) =>
        cache.GetAsync(communityId, "routing-rules", () => db.RoutingRules.AsNoTracking().Where(r => r.CommunityId == communityId).OrderBy(r => r.Position).ToListAsync(ct));

    /// <summary>A routing rule that dispatches at once sends a new order straight on (accepted and dispatched by the system).</summary>
    private async Task DispatchAtOnceAsync(WorkOrder order, WorkOrderCategory category, DateTime now, WorkingTime time, CancellationToken ct)
    {
        var rules = await CachedRulesAsync(order.CommunityId, ct);
        if (!rules.Any(r => r.DispatchAtOnce && (r.CategoryId == category.Id || r.CategoryId == category.ParentId))) return;
        if (await RouteAsync(order, category, now, time, ct, rulesOnly: true) is not { DispatchAtOnce: true } route) return;
        if (order.Status == WorkOrderStatus.Submitted) order.Accept(Actor.System, now);
        order.Dispatch(route.Handler, Actor.System, now);
    }

    /// <summary>
    /// 重复提示: open orders of the same category at the same building, newest first. The reporter and the dispatcher see
    /// them before creating, and may link instead (the new order then follows the first one).
    /// </summary>
    public async Task<List<SimilarOrder>> SimilarAsync(Guid communityId, Guid categoryId, Guid? buildingId, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId) || buildingId is null) return [];
        var rows = await db.WorkOrders.AsNoTracking().Where(WorkOrder.Open)
            .Where(o => o.CommunityId == communityId && o.CategoryId == categoryId && o.BuildingId == buildingId && o.DuplicateOfId == null)
            .OrderByDescending(o => o.CreatedAt).Take(5).Select(o => new { o.Id, o.Number, o.EstateId, o.Status, o.CreatedAt }).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var category = (await CategoryNamesAsync([categoryId], ct)).GetValueOrDefault(categoryId, "?");
        var places = await PlaceLabelsAsync(rows.Select(r => (r.EstateId, buildingId, (int?)null, (Guid?)null, (string?)null)), ct);
        return rows.Select(r => new SimilarOrder(r.Id, r.Number, category, places[(r.EstateId, buildingId, null, null, null)], r.Status, r.CreatedAt)).ToList();
    }

    /// <summary>The grid (not a micro-grid) whose area holds the place's building or entrance, if any.</summary>
    private async Task<Guid?> GridOfAsync(Guid communityId, Place place, CancellationToken ct)
    {
        if (place.BuildingId is not { } building) return null;
        var areas = await cache.GetAsync(communityId, "grid-areas", () => db.GridAreas.Where(a => a.CommunityId == communityId)
            .Join(db.Grids.Where(g => g.ParentId == null), a => a.GridId, g => g.Id, (a, g) => new GridAreaRow(a.BuildingId, a.EntranceNumber, g.Id)).ToListAsync(ct));
        return areas.Where(a => a.BuildingId == building && (a.EntranceNumber == 0 || a.EntranceNumber == place.EntranceNumber))
            .OrderByDescending(a => a.EntranceNumber).Select(a => (Guid?)a.GridId).FirstOrDefault();
    }

    private sealed record GridAreaRow(Guid BuildingId, int EntranceNumber, Guid GridId);

    /// <summary>The building of a place as the create form gives it (a home implies its building).</summary>
    public async Task<Guid?> BuildingOfAsync(Guid communityId, PlaceInput p, CancellationToken ct = default) =>
        p.BuildingId ?? (p.HomeId is { } h ? await db.Homes.Where(x => x.Id == h && x.CommunityId == communityId).Select(x => (Guid?)x.BuildingId).FirstOrDefaultAsync(ct) : null);

    /// <summary>The next number of the community's day, from <see cref="WorkOrderNumbers"/>; <paramref name="reread"/> after a number was taken elsewhere.</summary>
    private Task<string> NextNumberAsync(Guid communityId, DateTime now, bool reread, CancellationToken ct)
    {
        var day = (now + ChinaTime.Offset).ToString("yyMMdd", CultureInfo.InvariantCulture);
        return numbers.NextAsync(communityId, day, reread, async () =>
        {
            var last = await db.WorkOrders.IgnoreQueryFilters().Where(o => o.CommunityId == communityId && o.Number.StartsWith(day))
                .OrderByDescending(o => o.Number).Select(o => o.Number).FirstOrDefaultAsync(ct);
            return last is null ? 0 : int.Parse(last[6..], CultureInfo.InvariantCulture);
        });
    }

    /// <summary>
    /// The place, checked against the community: a home implies its building and estate; words alone are fine. The same
    /// read gives the names, so the place's label (as <see cref="PlaceLabelsAsync"/> makes it) costs no further query.
    /// </summary>
    private async Task<(Place Place, string Label)> PlaceAsync(Guid communityId, PlaceInput p, CancellationToken ct)
    {
        var text = string.IsNullOrWhiteSpace(p.Text) ? null : p.Text.Trim();
        if (text is { Length: > WorkOrder.PlaceTextMax }) throw DomainException.Invalid("Place.Text", "validation.too_long", "field.place", WorkOrder.PlaceTextMax);
        if (p.HomeId is { } homeId)
        {
            // Places come from the reference cache (a miss is not kept: a home made elsewhere a moment ago is found next time).
            var home = await cache.GetAsync(communityId, $"home:{homeId}", PlaceTtl, async () => await db.Homes.AsNoTracking().Where(h => h.Id == homeId && h.CommunityId == communityId)
                .Join(db.Buildings, h => h.BuildingId, b => b.Id, (h, b) => new { h.BuildingId, h.EntranceNumber, h.Number, b.EstateId, Building = b.Number })
                .Join(db.Estates, x => x.EstateId, e => e.Id, (x, e) => new HomeFacts(x.BuildingId, x.EntranceNumber, x.Number, x.EstateId, x.Building, e.Name))
                .FirstOrDefaultAsync(ct)
                ?? throw DomainException.Invalid("Place.HomeId", "workorders.place_unknown"));
            return (new Place(home.EstateId, home.BuildingId, home.EntranceNumber, homeId, text), PlaceLabel(home.Estate, home.Building, home.EntranceNumber, home.Number, text));
        }
        if (p.BuildingId is { } buildingId)
        {
            var b = await cache.GetAsync(communityId, $"building:{buildingId}", PlaceTtl, async () => await db.Buildings.AsNoTracking().Where(x => x.Id == buildingId && x.CommunityId == communityId)
                .Join(db.Estates, x => x.EstateId, e => e.Id, (x, e) => new BuildingFacts(x.EstateId, x.EntranceCount, x.Number, e.Name))
                .FirstOrDefaultAsync(ct) ?? throw DomainException.Invalid("Place.BuildingId", "workorders.place_unknown"));
            if (p.EntranceNumber is { } e && (e < 1 || e > b.EntranceCount)) throw DomainException.Invalid("Place.EntranceNumber", "workorders.place_unknown");
            return (new Place(b.EstateId, buildingId, p.EntranceNumber, null, text), PlaceLabel(b.Estate, b.Number, p.EntranceNumber, null, text));
        }
        if (p.EstateId is { } estateId)
        {
            var estate = await db.Estates.Where(x => x.Id == estateId && x.CommunityId == communityId).Select(x => x.Name).FirstOrDefaultAsync(ct)
                ?? throw DomainException.Invalid("Place.EstateId", "workorders.place_unknown");
            return (new Place(estateId, null, null, null, text), PlaceLabel(estate, null, null, null, text));
        }
        if (text is null) throw DomainException.Invalid("Place.Text", "workorders.place_required");
        return (new Place(null, null, null, null, text), PlaceLabel(null, null, null, null, text));
    }

    /// <summary>A home's or building's names hardly ever change (and a change here evicts them at once): kept longer.</summary>
    private static readonly TimeSpan PlaceTtl = TimeSpan.FromMinutes(10);

    private sealed record HomeFacts(Guid BuildingId, int EntranceNumber, string Number, Guid EstateId, string Building, string Estate);
    private sealed record BuildingFacts(Guid EstateId, int EntranceCount, string Number, string Estate);

    // ---------------------------------------------------------------- read

    public async Task<List<WorkOrderRow>> ListAsync(Guid? communityId, WorkOrderStatus? status = null, bool mine = false, int take = 100, CancellationToken ct = default)
    {
        var q = Visible().AsNoTracking();
        if (communityId is { } c) q = q.Where(o => o.CommunityId == c);
        if (status is { } s) q = q.Where(o => o.Status == s);
        if (mine && Me is { } me) q = q.Where(o => o.ReporterAccountId == me || o.HandlerId == me);
        var rows = await q.OrderByDescending(o => o.CreatedAt).Take(Math.Clamp(take, 1, 500))
            .Select(o => new { o.Id, o.Number, o.Channel, o.CategoryId, o.Status, o.EstateId, o.BuildingId, o.EntranceNumber, o.HomeId, o.PlaceText, o.HandlerName,
                o.CreatedAt, o.ResolutionDueAt, o.UrgeCount, o.TakenAt, o.ResponseOverdueAt, o.ResolutionOverdueAt })
            .ToListAsync(ct);
        var names = await CategoryNamesAsync(rows.Select(r => r.CategoryId), ct);
        var places = await PlaceLabelsAsync(rows.Select(r => (r.EstateId, r.BuildingId, r.EntranceNumber, r.HomeId, r.PlaceText)), ct);
        return rows.Select(r => new WorkOrderRow(r.Id, r.Number, r.Channel, names.GetValueOrDefault(r.CategoryId, "?"), r.Status,
            places[(r.EstateId, r.BuildingId, r.EntranceNumber, r.HomeId, r.PlaceText)], r.HandlerName, r.CreatedAt, r.ResolutionDueAt,
            WorkOrder.IsOverdueWith(r.Status, r.TakenAt, r.ResponseOverdueAt, r.ResolutionOverdueAt), r.UrgeCount)).ToList();
    }

    public async Task<WorkOrderDetail> DetailAsync(Guid id, CancellationToken ct = default)
    {
        var o = await Visible().AsNoTracking().Include(x => x.Events).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        var photoRows = await db.WorkOrderPhotos.AsNoTracking().Where(p => p.WorkOrderId == o.Id).OrderBy(p => p.AddedAt)
            .Select(p => new PhotoRow(p.Id, p.Stage, $"/api/work-orders/{o.Id}/photos/{p.Id}", $"/api/work-orders/{o.Id}/photos/{p.Id}?thumb=true")).ToListAsync(ct);
        return await DetailOfAsync(o, photoRows, ct);
    }

    /// <summary>
    /// The detail of an order this caller has just created, from the order in hand: it has no photos yet and its timeline
    /// is in memory, so it is not read back (the reporter and community staff always see what they created; anyone else
    /// gets the detail only as <see cref="DetailAsync"/> would show it).
    /// </summary>
    public async Task<WorkOrderDetail> CreatedDetailAsync(WorkOrder o, CancellationToken ct = default)
    {
        if (o.ReporterAccountId != Me && !IsCommunityStaff) return await DetailAsync(o.Id, ct);
        return _created is { } c && c.Id == o.Id ? Detail(o, c.Category, c.Place, []) : await DetailOfAsync(o, [], ct);
    }

    /// <summary>The labels <see cref="CreateAsync"/> read with the category and the place, for the answer.</summary>
    private (Guid Id, string Category, string Place)? _created;

    private async Task<WorkOrderDetail> DetailOfAsync(WorkOrder o, List<PhotoRow> photoRows, CancellationToken ct)
    {
        var category = (await CategoryNamesAsync([o.CategoryId], ct)).GetValueOrDefault(o.CategoryId, "?");
        var place = (await PlaceLabelsAsync([(o.EstateId, o.BuildingId, o.EntranceNumber, o.HomeId, o.PlaceText)], ct)).Values.First();
        return Detail(o, category, place, photoRows);
    }

    private WorkOrderDetail Detail(WorkOrder o, string category, string place, List<PhotoRow> photoRows)
    {
        var staffView = User.IsStaff();
        return new WorkOrderDetail(o.Id, o.Number, o.Channel, o.CategoryId, category, o.Status, o.Description, place, o.HandlerKind, o.HandlerId,
            o.HandlerName, o.CreatedAt, o.ResponseDueAt, o.ResolutionDueAt, o.DoneAt, o.Result, o.Rating, o.RatingComment, o.ReopenCount, o.UrgeCount,
            o.ExtensionHoursRequested, AllowedSteps(o),
            o.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new TimelineEntry(e.Step, e.At, staffView ? ActorLabel(e) : "", staffView ? e.Note : PublicNote(e),
                t.Get("workorders.plain." + e.Step))).ToList(),
            photoRows, o.DuplicateOfId, o.Version, o.Tier, o.IsOverdue, o.ResidentId);
    }

    private string ActorLabel(WorkOrderEvent e) => e.ActorId is null && e.ActorName == Actor.System.Name ? t.Get("workorders.actor_system") : e.ActorName;

    /// <summary>The order's version, for the live page's cheap "anything new?" poll (404 when the caller cannot see it).</summary>
    public async Task<int> VersionAsync(Guid id, CancellationToken ct = default) =>
        await Visible().Where(o => o.Id == id).Select(o => (int?)o.Version).FirstOrDefaultAsync(ct) ?? throw new NotFoundException();

    // ---------------------------------------------------------------- photos

    /// <summary>
    /// Adds photos to an order: before-photos by the reporter, the one who entered it (a grid member's patrol or
    /// inspection-walk order) or staff while it is open, after-photos by the handler or staff once it is taken. All of
    /// them are checked before any is written; nine per stage at most.
    /// </summary>
    public async Task<List<Guid>> AddPhotosAsync(Guid id, PhotoStage stage, IReadOnlyList<Infrastructure.Media.PreparedPhoto> prepared, CancellationToken ct = default)
    {
        var o = await Visible().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        var allowed = stage == PhotoStage.Before
            ? o.IsOpen && (IsCommunityStaff || o.ReporterAccountId == Me
                || (Me is { } me && await db.WorkOrderEvents.AnyAsync(e => e.WorkOrderId == id && e.Step == Step.Submitted && e.ActorId == me, ct)))
            : (IsCommunityStaff || IsHandler(o)) && o.Status is WorkOrderStatus.Taken or WorkOrderStatus.InProgress or WorkOrderStatus.Done;
        if (!allowed) throw new DomainException("photos.not_now", status: StatusCodes.Status409Conflict);
        var existing = await db.WorkOrderPhotos.CountAsync(p => p.WorkOrderId == id && p.Stage == stage, ct);
        if (existing + prepared.Count > WorkOrderPhoto.MaxPerStage) throw DomainException.Invalid("Photos", "photos.too_many", WorkOrderPhoto.MaxPerStage);
        var now = Now;
        var ids = new List<Guid>();
        foreach (var (p, i) in prepared.Select((p, i) => (p, i)))
        {
            var photoId = Guid.CreateVersion7();
            var (file, thumb) = await photos.WriteAsync(o.CommunityId, photoId, p, now, ct);
            // A millisecond apart (PostgreSQL keeps microseconds): the photos keep the order they were chosen in.
            db.WorkOrderPhotos.Add(new WorkOrderPhoto(photoId, o, stage, file, thumb, p.Width, p.Height, Me, now.AddMilliseconds(i)));
            ids.Add(photoId);
        }
        await db.SaveChangesAsync(ct);
        return ids;
    }

    /// <summary>The file of a photo of an order the caller can see.</summary>
    public async Task<string> PhotoFileAsync(Guid orderId, Guid photoId, bool thumbnail, CancellationToken ct = default)
    {
        if (!await Visible().AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException();
        var p = await db.WorkOrderPhotos.AsNoTracking().FirstOrDefaultAsync(x => x.Id == photoId && x.WorkOrderId == orderId, ct) ?? throw new NotFoundException();
        return photos.PathOf(thumbnail ? p.Thumbnail : p.File);
    }

    /// <summary>What a resident may read of a step's note: the handler's result and their own words, not staff's internal notes.</summary>
    private static string? PublicNote(WorkOrderEvent e) => e.Step is Step.Completed or Step.ReturnVisited or Step.Dispatched or Step.Transferred ? e.Note : null;

    /// <summary>Category names as staff read them, a child with its parent: "水电维修 › 管道堵塞".</summary>
    public async Task<Dictionary<Guid, string>> CategoryNamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        var cats = await db.WorkOrderCategories.AsNoTracking().Where(c => list.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct);
        var parents = cats.Where(c => c.ParentId != null).Select(c => c.ParentId!.Value).Distinct().ToList();
        var parentNames = parents.Count == 0 ? [] : await db.WorkOrderCategories.AsNoTracking().Where(c => parents.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return cats.ToDictionary(c => c.Id, c => c.ParentId is { } p && parentNames.TryGetValue(p, out var pn) ? $"{pn} › {c.Name}" : c.Name);
    }

    private async Task<Dictionary<(Guid?, Guid?, int?, Guid?, string?), string>> PlaceLabelsAsync(IEnumerable<(Guid? Estate, Guid? Building, int? Entrance, Guid? Home, string? Text)> places, CancellationToken ct)
    {
        var list = places.Distinct().ToList();
        var estateIds = list.Where(p => p.Estate != null).Select(p => p.Estate!.Value).Distinct().ToList();
        var buildingIds = list.Where(p => p.Building != null).Select(p => p.Building!.Value).Distinct().ToList();
        var homeIds = list.Where(p => p.Home != null).Select(p => p.Home!.Value).Distinct().ToList();
        // Only the kinds of place that occur are read (a report at a building needs no home query).
        var estates = estateIds.Count == 0 ? [] : await db.Estates.AsNoTracking().Where(e => estateIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        var buildings = buildingIds.Count == 0 ? [] : await db.Buildings.AsNoTracking().Where(b => buildingIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.Number, ct);
        var homes = homeIds.Count == 0 ? [] : await db.Homes.AsNoTracking().Where(h => homeIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Number, ct);
        return list.ToDictionary(p => (p.Estate, p.Building, p.Entrance, p.Home, p.Text), p => PlaceLabel(
            p.Estate is { } e ? estates.GetValueOrDefault(e) : null, p.Building is { } b ? buildings.GetValueOrDefault(b) : null, p.Entrance,
            p.Home is { } h ? homes.GetValueOrDefault(h) : null, p.Text));
    }

    /// <summary>A place in words: 融创裕华壹号 3号楼 1单元 1-101 东门口 (whichever parts it has).</summary>
    private string PlaceLabel(string? estate, string? building, int? entrance, string? home, string? text)
    {
        var parts = new List<string>();
        if (estate is not null) parts.Add(estate);
        if (building is not null) parts.Add(t.Get("workorders.building_label", building));
        if (entrance is { } n) parts.Add(t.Get("workorders.entrance_label", n));
        if (home is not null) parts.Add(home);
        if (text is not null) parts.Add(text);
        return string.Join(" ", parts);
    }

    // ---------------------------------------------------------------- steps

    /// <summary>Who the caller is to the order: reporter, the handler's people, the office, a subdistrict admin, a member of its grid.</summary>
    private FlowParty PartiesOf(WorkOrder o)
    {
        var parties = FlowParty.None;
        if (o.ReporterAccountId is { } r && r == Me) parties |= FlowParty.Reporter;
        if (IsHandler(o)) parties |= FlowParty.Handler;
        if (User.IsInRole(Roles.Staff) || User.IsInRole(Roles.Secretary)) parties |= FlowParty.Office;
        if (User.IsInRole(Roles.SubdistrictAdmin)) parties |= FlowParty.Subdistrict;
        if (o.GridId is { } g && scope.GridIds.Contains(g)) parties |= FlowParty.Grid;
        return parties;
    }

    /// <summary>The steps the caller may take now (the page shows these buttons; the API refuses the others).</summary>
    private List<string> AllowedSteps(WorkOrder o) => WorkOrderFlow.Allowed(o, PartiesOf(o));

    private bool IsHandler(WorkOrder o) => o.HandlerKind switch
    {
        HandlerKind.Staff or HandlerKind.GridMember => o.HandlerId == Me,
        HandlerKind.PropertyCompany or HandlerKind.PartnerUnit => o.HandlerId is { } u && scope.PartnerUnitIds.Contains(u),
        HandlerKind.Team => o.HandlerId is { } tm && scope.TeamIds.Contains(tm),
        _ => false,
    };

    /// <summary>
    /// Takes one step, as <see cref="WorkOrderFlow"/> describes it. A step the caller may not take on an order they can
    /// see is a 403; a step the flow does not allow now is a 409; either way the order is unchanged.
    /// </summary>
    public async Task<WorkOrder> StepAsync(Guid id, string step, StepInput input, CancellationToken ct = default)
    {
        var row = WorkOrderFlow.Find(step) ?? throw new NotFoundException();
        var o = await Visible().Include(x => x.Events.Where(e => false)).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        WorkOrderFlow.Check(row, o, PartiesOf(o));
        Handler? handler = null;
        if (row.Reads(StepFields.Handler))
            handler = input.Handler is { } given ? await ResolveHandlerAsync(o.CommunityId, given, ct)
                : (row.Needs & StepFields.Handler) == 0 ? (await RouteNowAsync(o, ct))?.Handler : null;
        var time = row.UsesCalendar ? await calendar.CurrentAsync(ct) : WorkingTime.Clock;
        row.Apply(o, new StepContext(MeActor, Now, input, handler, time));
        await notifier.AddForNewStepsAsync(o, ct);
        await db.SaveChangesAsync(ct);
        return o;
    }

    private async Task<RouteChoice?> RouteNowAsync(WorkOrder o, CancellationToken ct)
    {
        var category = await db.WorkOrderCategories.AsNoTracking().FirstAsync(c => c.Id == o.CategoryId, ct);
        return await RouteAsync(o, category, Now, await calendar.CurrentAsync(ct), ct);
    }

    /// <summary>Where the routing would send an order now, for the dispatcher's form (staff only; null when nobody is set up).</summary>
    public async Task<RouteChoice?> SuggestAsync(Guid id, CancellationToken ct = default)
    {
        var o = await Visible().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        RequireStaff();
        return await RouteNowAsync(o, ct);
    }

    /// <summary>
    /// 派单规则: the community's routing rules for the category (a top category's rules cover its sub-categories), in
    /// their order, at the order's place and this moment; the first that matches and has someone to send to wins (an
    /// on-call rule with nobody on duty, or a handler since retired, passes to the next). Then "small matters stay in
    /// the grid" for grid-first categories, then the category's default handler, then its parent's.
    /// </summary>
    /// <param name="rulesOnly">Only the rules (a new order: is it to be dispatched at once?), not the grid and the defaults.</param>
    public async Task<RouteChoice?> RouteAsync(WorkOrder o, WorkOrderCategory category, DateTime at, WorkingTime time, CancellationToken ct, bool rulesOnly = false)
    {
        var rules = (await CachedRulesAsync(o.CommunityId, ct)).Where(r => r.CategoryId == category.Id || r.CategoryId == category.ParentId).ToList();
        if (rules.Count > 0)
        {
            var hasCompany = true;
            if (o.EstateId is { } estate && rules.Any(r => r.Place == RulePlace.EstateWithoutPropertyCompany))
                hasCompany = await db.Estates.Where(e => e.Id == estate).Select(e => e.PropertyCompanyName != null).FirstOrDefaultAsync(ct);
            var office = time.IsOfficeHours(at);
            foreach (var rule in rules.Where(r => r.Matches(category, o.EstateId, hasCompany, office)))
            {
                var handler = rule.Target == RuleTarget.OnCall
                    ? await OnDutyAsync(o.CommunityId, time.DutyDate(at), ct)
                    : await StillThereAsync(o.CommunityId, rule.Handler!, ct);
                if (handler is not null) return new RouteChoice(handler, rule.Target == RuleTarget.OnCall ? RouteReason.OnCall : RouteReason.Rule, rule.Id, rule.DispatchAtOnce);
            }
        }
        if (rulesOnly) return null;
        if (category.GridFirst && o.BuildingId is { } building)
        {
            var member = await db.GridAreas.Where(a => a.BuildingId == building && (a.EntranceNumber == 0 || a.EntranceNumber == o.EntranceNumber))
                .Join(db.GridMembers.Where(m => m.UserId != null), a => a.GridId, m => m.GridId, (a, m) => new { m.UserId, m.Name, m.Role })
                .OrderBy(m => m.Role).FirstOrDefaultAsync(ct);
            if (member is not null) return new RouteChoice(new Handler(HandlerKind.GridMember, member.UserId!.Value, member.Name), RouteReason.Grid, null, false);
        }
        if (category.DefaultHandler is { } own) return new RouteChoice(own, RouteReason.CategoryDefault, null, false);
        if (category.ParentId is { } parentId
            && await db.WorkOrderCategories.AsNoTracking().Where(c => c.Id == parentId).FirstOrDefaultAsync(ct) is { DefaultHandler: { } inherited })
            return new RouteChoice(inherited, RouteReason.CategoryDefault, null, false);
        return null;
    }

    /// <summary>Whoever is on duty for the duty day, if they can still be sent orders.</summary>
    private async Task<Handler?> OnDutyAsync(Guid communityId, DateOnly date, CancellationToken ct) =>
        await db.OnCallDuties.AsNoTracking().Where(d => d.CommunityId == communityId && d.Date == date).FirstOrDefaultAsync(ct) is { } duty
            ? await StillThereAsync(communityId, duty.Person, ct)
            : null;

    /// <summary>The handler as it is today (renamed, or null when retired, disabled or moved out).</summary>
    private async Task<Handler?> StillThereAsync(Guid communityId, Handler h, CancellationToken ct)
    {
        try { return await ResolveHandlerAsync(communityId, new HandlerInput(h.Kind, h.Id), ct); }
        catch (DomainException) { return null; }
    }

    /// <summary>A handler named by kind and id, checked against the community; its name is read here, never taken from the caller.</summary>
    public async Task<Handler> ResolveHandlerAsync(Guid communityId, HandlerInput h, CancellationToken ct)
    {
        string? name = h.Kind switch
        {
            HandlerKind.Staff => await AccountNameAsync(communityId, h.Id, [Roles.Staff, Roles.Secretary], ct),
            HandlerKind.GridMember => await AccountNameAsync(communityId, h.Id, [Roles.GridMember], ct),
            HandlerKind.PropertyCompany => await db.PartnerUnits.Where(u => u.Id == h.Id && u.CommunityId == communityId && u.Kind == PartnerKind.PropertyCompany && !u.IsRetired)
                .Select(u => u.Name).FirstOrDefaultAsync(ct),
            HandlerKind.PartnerUnit => await db.PartnerUnits.Where(u => u.Id == h.Id && u.CommunityId == communityId && !u.IsRetired).Select(u => u.Name).FirstOrDefaultAsync(ct),
            HandlerKind.Team => await db.Teams.Where(x => x.Id == h.Id && x.CommunityId == communityId && !x.IsRetired).Select(x => x.Name).FirstOrDefaultAsync(ct),
            HandlerKind.Craftsman => await db.Residents.Where(r => r.Id == h.Id && r.CommunityId == communityId).Select(r => r.Name).FirstOrDefaultAsync(ct),
            _ => null,
        };
        return name is null ? throw DomainException.Invalid("Handler", "workorders.handler_unknown") : new Handler(h.Kind, h.Id, name);
    }

    private async Task<string?> AccountNameAsync(Guid communityId, Guid userId, string[] roles, CancellationToken ct)
    {
        var inCommunity = await db.UserScopes.AnyAsync(s => s.UserId == userId && s.CommunityId == communityId, ct);
        if (!inCommunity) return null;
        var hasRole = await db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).AnyAsync(n => roles.Contains(n!), ct);
        return hasRole ? await db.Users.Where(u => u.Id == userId && !u.IsDisabled).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
    }

    /// <summary>Everyone an order of the community can be dispatched to, grouped by kind, for the dispatch form.</summary>
    public async Task<List<Handler>> HandlerChoicesAsync(Guid communityId, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        string[] roles = [Roles.Staff, Roles.Secretary, Roles.GridMember];
        var accounts = await (
            from sc in db.UserScopes
            where sc.CommunityId == communityId && (sc.Kind == ScopeKind.Community || sc.Kind == ScopeKind.Grid)
            join u in db.Users on sc.UserId equals u.Id
            where !u.IsDisabled
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where roles.Contains(r.Name!)
            select new { u.Id, u.DisplayName, Role = r.Name }).Distinct().ToListAsync(ct);
        var list = accounts.GroupBy(a => a.Id).Select(g => g.Any(x => x.Role == Roles.GridMember) && g.All(x => x.Role != Roles.Staff && x.Role != Roles.Secretary)
            ? new Handler(HandlerKind.GridMember, g.Key, g.First().DisplayName) : new Handler(HandlerKind.Staff, g.Key, g.First().DisplayName)).ToList();
        list.AddRange(await db.PartnerUnits.Where(u => u.CommunityId == communityId && !u.IsRetired).OrderBy(u => u.Name)
            .Select(u => new Handler(u.Kind == PartnerKind.PropertyCompany ? HandlerKind.PropertyCompany : HandlerKind.PartnerUnit, u.Id, u.Name)).ToListAsync(ct));
        list.AddRange(await db.Teams.Where(x => x.CommunityId == communityId && !x.IsRetired).OrderBy(x => x.Name)
            .Select(x => new Handler(HandlerKind.Team, x.Id, x.Name)).ToListAsync(ct));
        list.AddRange(await db.Residents.Where(r => r.CommunityId == communityId && r.Skills != null).OrderBy(r => r.Name).Take(100)
            .Select(r => new Handler(HandlerKind.Craftsman, r.Id, r.Name + "（" + r.Skills + "）")).ToListAsync(ct));
        return list.OrderBy(h => h.Kind).ThenBy(h => h.Name).ToList();
    }

    private void RequireStaff()
    {
        if (!IsCommunityStaff) throw new DomainException("workorders.step_forbidden", status: StatusCodes.Status403Forbidden);
    }
}

/// <summary>The handler select of the console's forms (see _HandlerSelect); <paramref name="Selected"/> as "Kind:Id".</summary>
public sealed record HandlerSelect(string Id, string Name, IReadOnlyList<Handler> Handlers, string? Selected, string? EmptyLabel, string? DescribedBy = null);

/// <summary>The category select of the staff and resident forms.</summary>
/// <param name="TopCoversChildren">A top category stands for itself and its children (routing rules), not for "other".</param>
public sealed record CategorySelect(string Id, string Name, IReadOnlyList<CategoryRow> Categories, Guid Selected, bool TopCoversChildren = false);
