using Linli.Web.Features.Grids;
using Linli.Web.Features.Places;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Media;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Inspections;

public sealed class StartWalkInput
{
    public Guid EstateId { get; set; }
    public string? Note { get; set; }
}

public sealed class MarkWalkedInput
{
    public Guid BuildingId { get; set; }
}

/// <summary>A problem found at a building (the photos come beside it, already checked).</summary>
public sealed class ProblemInput
{
    public Guid BuildingId { get; set; }
    /// <summary>Empty: the building as a whole or its common areas.</summary>
    public int? EntranceNumber { get; set; }
    public Guid CategoryId { get; set; }
    public string? Description { get; set; }
}

/// <summary>A walk in a list: coverage counts the buildings the caller may walk (a grid member's: those of the own grids).</summary>
public sealed record WalkRow(Guid Id, Guid EstateId, string Estate, string StartedBy, DateTime StartedAt, string? FinishedBy, DateTime? FinishedAt,
    int Done, int Total, int Problems, string? Note);

public sealed record WalkBuildingRow(Guid BuildingId, string Number, string Label, int Entrances, bool Walked, string? WalkedBy, DateTime? WalkedAt, int Problems);

public sealed record WalkPhotoRow(string Url, string ThumbnailUrl);

public sealed record WalkProblemRow(Guid Id, Guid BuildingId, string Place, int? EntranceNumber, Guid CategoryId, string Category, string Description,
    Guid WorkOrderId, string WorkOrderNumber, WorkOrderStatus? Status, string RecordedBy, DateTime RecordedAt, IReadOnlyList<WalkPhotoRow> Photos);

public sealed record WalkDetail(Guid Id, Guid CommunityId, Guid EstateId, string Estate, string? Note, string StartedBy, DateTime StartedAt,
    string? FinishedBy, DateTime? FinishedAt, bool Finished, int Done, int Total, bool MayFinish,
    IReadOnlyList<WalkBuildingRow> Buildings, IReadOnlyList<WalkProblemRow> Problems);

/// <summary>An estate a walk can start in, with its open walk if there is one (continue that one instead).</summary>
public sealed record WalkEstate(Guid Id, string Name, int Buildings, Guid? OpenWalkId);

/// <summary>
/// Inspection walks 走访找问题: start one per estate, mark buildings walked, record problems (each becomes a work order
/// through <see cref="WorkOrderIntake.ReportAsync"/>, channel InspectionWalk, with the photos as its before-photos),
/// finish. Staff and secretaries work on every estate of their communities; a grid member sees and walks only the
/// buildings of the own grids (as in the survey). Another community's walk or building is a 404.
/// </summary>
public sealed class InspectionsService(AppDbContext db, TenantScope scope, IHttpContextAccessor http, TimeProvider clock, Texts t, WorkOrderIntake intake,
    WorkOrderReference reference)
{
    private System.Security.Claims.ClaimsPrincipal User => http.HttpContext?.User ?? new();
    private Actor Me => new(User.UserId(), User.DisplayName());
    private DateTime Now => clock.GetUtcNow().UtcDateTime;
    private bool IsCommunityStaff => User.IsInRole(Roles.Staff) || User.IsInRole(Roles.Secretary);

    /// <summary>
    /// The buildings of walks the caller may see: all of the communities in scope, a grid member's only those of the own
    /// grids. Tracking is the caller's choice: EF applies an AsNoTracking anywhere in a query to all of it, subqueries too.
    /// </summary>
    private IQueryable<InspectionBuilding> VisibleBuildings()
    {
        var buildings = db.InspectionBuildings.AsQueryable();
        if (!scope.LimitedToGrids) return buildings;
        var areas = db.AreasOf(scope.GridIds);
        return buildings.Where(b => areas.Any(a => a.BuildingId == b.BuildingId));
    }

    /// <summary>The problems the caller may see: a grid member's at the own grids' buildings and entrances, the same rule as for orders.</summary>
    private IQueryable<InspectionProblem> VisibleProblems()
    {
        var problems = db.InspectionProblems.AsQueryable();
        if (!scope.LimitedToGrids) return problems;
        return problems.CoveredBy(db.AreasOf(scope.GridIds), p => p.BuildingId, p => p.EntranceNumber);
    }

    private IQueryable<InspectionWalk> Visible()
    {
        var buildings = VisibleBuildings();
        return db.InspectionWalks.Where(w => buildings.Any(b => b.WalkId == w.Id));
    }

    /// <summary>A grid member acts only on the buildings of the own grids; any other is not there for them (404).</summary>
    private async Task EnsureInGridAsync(Guid buildingId, CancellationToken ct)
    {
        if (scope.LimitedToGrids && !await db.AreasOf(scope.GridIds).AnyAsync(a => a.BuildingId == buildingId, ct)) throw new NotFoundException();
    }

    // ---------------------------------------------------------------- read

    public async Task<List<WalkRow>> ListAsync(Guid communityId, bool? finished = null, int take = 100, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        var q = Visible().AsNoTracking().Where(w => w.CommunityId == communityId);
        if (finished is { } f) q = f ? q.Where(w => w.FinishedAt != null) : q.Where(w => w.FinishedAt == null);
        var walks = await q.OrderByDescending(w => w.StartedAt).Take(Math.Clamp(take, 1, 500))
            .Join(db.Estates, w => w.EstateId, e => e.Id, (w, e) => new { w.Id, w.EstateId, Estate = e.Name, w.StartedByName, w.StartedAt, w.FinishedByName, w.FinishedAt, w.Note })
            .ToListAsync(ct);
        var ids = walks.Select(w => w.Id).ToList();
        var coverage = await VisibleBuildings().AsNoTracking().Where(b => ids.Contains(b.WalkId)).GroupBy(b => b.WalkId)
            .Select(g => new { g.Key, Total = g.Count(), Done = g.Count(b => b.WalkedAt != null) }).ToDictionaryAsync(x => x.Key, ct);
        var problems = await VisibleProblems().AsNoTracking().Where(p => ids.Contains(p.WalkId)).GroupBy(p => p.WalkId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return walks.Select(w => new WalkRow(w.Id, w.EstateId, w.Estate, w.StartedByName, w.StartedAt, w.FinishedByName, w.FinishedAt,
            coverage.GetValueOrDefault(w.Id)?.Done ?? 0, coverage.GetValueOrDefault(w.Id)?.Total ?? 0, problems.GetValueOrDefault(w.Id), w.Note)).ToList();
    }

    public async Task<WalkDetail> DetailAsync(Guid id, CancellationToken ct = default)
    {
        var w = await Visible().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        var estate = await db.Estates.AsNoTracking().Where(e => e.Id == w.EstateId).Select(e => e.Name).FirstAsync(ct);
        var buildings = await VisibleBuildings().AsNoTracking().Where(b => b.WalkId == id)
            .Join(db.Buildings, x => x.BuildingId, b => b.Id, (x, b) => new { x.BuildingId, b.Number, b.EntranceCount, x.WalkedByName, x.WalkedAt })
            .ToListAsync(ct);
        var problems = await VisibleProblems().AsNoTracking().Where(p => p.WalkId == id).OrderBy(p => p.RecordedAt).ToListAsync(ct);
        var orderIds = problems.Select(p => p.WorkOrderId).ToList();
        var statuses = await db.WorkOrders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Status, ct);
        var photos = (await db.WorkOrderPhotos.AsNoTracking().Where(p => orderIds.Contains(p.WorkOrderId) && p.Stage == PhotoStage.Before)
                .OrderBy(p => p.AddedAt).Select(p => new { p.WorkOrderId, p.Id }).ToListAsync(ct))
            .ToLookup(p => p.WorkOrderId, p => new WalkPhotoRow($"/api/work-orders/{p.WorkOrderId}/photos/{p.Id}", $"/api/work-orders/{p.WorkOrderId}/photos/{p.Id}?thumb=true"));
        var categories = await reference.CategoryNamesAsync(problems.Select(p => p.CategoryId), ct);
        var labels = buildings.ToDictionary(b => b.BuildingId, b => t.Get("places.building_label", b.Number));
        var rows = buildings
            .Select(b => new WalkBuildingRow(b.BuildingId, b.Number, labels[b.BuildingId], b.EntranceCount, b.WalkedAt is not null, b.WalkedByName, b.WalkedAt,
                problems.Count(p => p.BuildingId == b.BuildingId)))
            .OrderBy(b => int.TryParse(b.Number, out var n) ? n : int.MaxValue).ThenBy(b => b.Number, StringComparer.Ordinal).ToList();
        string Place(InspectionProblem p) => labels.GetValueOrDefault(p.BuildingId, "?") + (p.EntranceNumber is { } e ? " " + t.Get("places.entrance_label", e) : "");
        return new WalkDetail(w.Id, w.CommunityId, w.EstateId, estate, w.Note, w.StartedByName, w.StartedAt, w.FinishedByName, w.FinishedAt, w.IsFinished,
            rows.Count(b => b.Walked), rows.Count, !w.IsFinished && MayFinish(w), rows,
            problems.Select(p => new WalkProblemRow(p.Id, p.BuildingId, Place(p), p.EntranceNumber, p.CategoryId, categories.GetValueOrDefault(p.CategoryId, "?"),
                p.Description, p.WorkOrderId, p.WorkOrderNumber, statuses.TryGetValue(p.WorkOrderId, out var s) ? s : null, p.RecordedByName, p.RecordedAt,
                photos[p.WorkOrderId].ToList())).ToList());
    }

    /// <summary>The estates of the community where the caller may start a walk (a grid member's: those with a building of the own grids).</summary>
    public async Task<List<WalkEstate>> EstatesAsync(Guid communityId, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        var buildings = db.Buildings.AsNoTracking().Where(b => b.CommunityId == communityId && !b.IsRetired);
        if (scope.LimitedToGrids)
        {
            var areas = db.AreasOf(scope.GridIds);
            buildings = buildings.Where(b => areas.Any(a => a.BuildingId == b.Id));
        }
        var counts = await buildings.GroupBy(b => b.EstateId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var open = await db.InspectionWalks.AsNoTracking().Where(w => w.CommunityId == communityId && w.FinishedAt == null)
            .Select(w => new { w.EstateId, w.Id }).ToDictionaryAsync(x => x.EstateId, x => x.Id, ct);
        var estates = await db.Estates.AsNoTracking().Where(e => e.CommunityId == communityId && !e.IsRetired).Select(e => new { e.Id, e.Name }).ToListAsync(ct);
        return estates.Where(e => counts.ContainsKey(e.Id)).OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new WalkEstate(e.Id, e.Name, counts[e.Id], open.TryGetValue(e.Id, out var w) ? w : null)).ToList();
    }

    // ---------------------------------------------------------------- write

    public async Task<InspectionWalk> StartAsync(StartWalkInput input, CancellationToken ct = default)
    {
        var v = new InputValidator(t).Text(nameof(input.Note), input.Note, "field.note", InspectionWalk.NoteMax, required: false);
        if (input.EstateId == Guid.Empty) v.Add(nameof(input.EstateId), t.Get("validation.choose", t.Get("field.estate")));
        v.ThrowIfInvalid();
        var estate = await db.Estates.AsNoTracking().FirstOrDefaultAsync(e => e.Id == input.EstateId, ct) ?? throw new NotFoundException();
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.EstateId == estate.Id && !b.IsRetired).ToListAsync(ct);
        if (scope.LimitedToGrids)
        {
            var mine = await db.AreasOf(scope.GridIds).Select(a => a.BuildingId).Distinct().ToListAsync(ct);
            if (!buildings.Any(b => mine.Contains(b.Id))) throw new NotFoundException();
        }
        if (await db.InspectionWalks.AnyAsync(w => w.EstateId == estate.Id && w.FinishedAt == null, ct))
            throw new DomainException("inspections.already_open", field: nameof(input.EstateId));
        var walk = InspectionWalk.Start(estate, buildings, input.Note, Me, Now);
        db.InspectionWalks.Add(walk);
        await db.SaveChangesAsync(ct);
        return walk;
    }

    /// <summary>Marks a building walked; marking it again changes nothing (the first mark stays).</summary>
    public async Task<InspectionBuilding> MarkWalkedAsync(Guid id, Guid buildingId, CancellationToken ct = default)
    {
        if (buildingId == Guid.Empty) throw DomainException.Invalid(nameof(MarkWalkedInput.BuildingId), "validation.choose", "field.building");
        var walk = await LoadAsync(id, ct);
        await BuildingAsync(buildingId, ct);
        var b = walk.MarkWalked(buildingId, Me, Now);
        await db.SaveChangesAsync(ct);
        return b;
    }

    /// <summary>
    /// Records a problem: checks everything first (walk open, building of the walk and of the caller's grids, entrance,
    /// category, description, photos already checked by the caller), then creates the work order, adds the photos as
    /// its before-photos and keeps the problem, in one transaction: a refusal at any point leaves nothing behind.
    /// </summary>
    public async Task<InspectionProblem> RecordProblemAsync(Guid id, ProblemInput input, IReadOnlyList<PreparedPhoto> photos, CancellationToken ct = default)
    {
        var v = new InputValidator(t).Text(nameof(input.Description), input.Description, "field.description", WorkOrder.DescriptionMax);
        if (input.BuildingId == Guid.Empty) v.Add(nameof(input.BuildingId), t.Get("validation.choose", t.Get("field.building")));
        if (input.CategoryId == Guid.Empty) v.Add(nameof(input.CategoryId), t.Get("workorders.category_unknown"));
        if (photos.Count > WorkOrderPhoto.MaxPerStage) v.Add("Photos", t.Get("photos.too_many", WorkOrderPhoto.MaxPerStage));
        v.ThrowIfInvalid();
        var walk = await LoadAsync(id, ct);
        var building = await BuildingAsync(input.BuildingId, ct);
        walk.CheckProblemPlace(building, input.EntranceNumber);
        if (scope.LimitedToGrids)
        {
            // The order must stay in the grid member's sight: an entrance-level grid needs one of its entrances named.
            var areas = await db.AreasOf(scope.GridIds).Where(a => a.BuildingId == building.Id).Select(a => a.EntranceNumber).ToListAsync(ct);
            if (!areas.Contains(0) && (input.EntranceNumber is not { } e || !areas.Contains(e)))
                throw DomainException.Invalid(nameof(input.EntranceNumber), "inspections.entrance_outside_grid");
        }

        // The order with its photos and the problem, in one transaction (the report's own files go if it fails).
        InspectionProblem? problem = null;
        await intake.ReportAsync(walk.CommunityId, new NewWorkOrder
        {
            CategoryId = input.CategoryId,
            Description = input.Description,
            Channel = Channel.InspectionWalk,
            Place = new PlaceInput { BuildingId = building.Id, EntranceNumber = input.EntranceNumber },
        }, photos, async (order, ct) =>
        {
            // The walk as the order's save in this transaction left it (a retried number leaves no half-saved rows tracked).
            walk = await LoadAsync(id, ct);
            problem = walk.RecordProblem(building, input.EntranceNumber, order, photos.Count, Me, Now);
            await db.SaveChangesAsync(ct);
        }, ct);
        return problem!;
    }

    /// <summary>Ends the walk: the secretary or staff, or whoever started it. A finished walk cannot be finished again (409).</summary>
    public async Task<InspectionWalk> FinishAsync(Guid id, CancellationToken ct = default)
    {
        var walk = await LoadAsync(id, ct);
        if (!walk.IsFinished && !MayFinish(walk)) throw new DomainException("inspections.finish_forbidden", status: StatusCodes.Status403Forbidden);
        walk.Finish(Me, Now);
        await db.SaveChangesAsync(ct);
        return walk;
    }

    private bool MayFinish(InspectionWalk w) => IsCommunityStaff || (w.StartedById is { } s && s == Me.AccountId);

    private async Task<InspectionWalk> LoadAsync(Guid id, CancellationToken ct) =>
        await Visible().Include(w => w.Buildings).FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException();

    /// <summary>A building of the caller's communities (another community's is a 404) and, for a grid member, of the own grids.</summary>
    private async Task<Building> BuildingAsync(Guid buildingId, CancellationToken ct)
    {
        var building = await db.Buildings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == buildingId, ct) ?? throw new NotFoundException();
        await EnsureInGridAsync(building.Id, ct);
        return building;
    }
}
