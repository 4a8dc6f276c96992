using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

public sealed record CategoryRow(Guid Id, Guid? ParentId, string Name, int ResponseHours, int ResolutionHours, int WarningLeadHours, bool WorkingHours,
    bool Public, bool GridFirst, HandlerKind? DefaultHandlerKind, Guid? DefaultHandlerId, string? DefaultHandlerName, bool IsRetired)
{
    public static CategoryRow Of(WorkOrderCategory c) => new(c.Id, c.ParentId, c.Name, c.ResponseHours, c.ResolutionHours, c.WarningLeadHours,
        c.WorkingHours, c.Public, c.GridFirst, c.DefaultHandlerKind, c.DefaultHandlerId, c.DefaultHandlerName, c.IsRetired);
}

/// <summary>The category select of the staff and resident forms.</summary>
/// <param name="TopCoversChildren">A top category stands for itself and its children (routing rules), not for "other".</param>
public sealed record CategorySelect(string Id, string Name, IReadOnlyList<CategoryRow> Categories, Guid Selected, bool TopCoversChildren = false);

/// <summary>
/// What an order refers to and how it is named: the community's categories, the place (estate, building, entrance,
/// home or words) and its grid, the resident linked to an account. What a report reads comes from the
/// <see cref="ReferenceCache"/> (evicted when this process saves a change); labels are read for what a list shows.
/// </summary>
public sealed class WorkOrderReference(AppDbContext db, TenantScope scope, ReferenceCache cache, Texts t)
{
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

    /// <summary>
    /// The category a report names, with its label ("水电维修 › 管道堵塞"), from the reference cache. One it does not know
    /// yet (made by another process of the app a moment ago) makes it read them again, and a community without any gets
    /// the usual ones; an unknown category is a field error.
    /// </summary>
    public async Task<(WorkOrderCategory Category, string Label)> CategoryToReportAsync(Guid communityId, Guid categoryId, CancellationToken ct)
    {
        var all = await CachedCategoriesAsync(communityId, ct);
        if (all.All(c => c.Id != categoryId))
        {
            cache.Invalidate(communityId);
            all = await CachedCategoriesAsync(communityId, ct);
        }
        if (all.FirstOrDefault(c => c.Id == categoryId) is not { } category)
        {
            await EnsureCategoriesAsync(communityId, ct);
            throw DomainException.Invalid(nameof(NewWorkOrder.CategoryId), "workorders.category_unknown");
        }
        return (category, all.FirstOrDefault(c => c.Id == category.ParentId) is { } parent ? $"{parent.Name} › {category.Name}" : category.Name);
    }

    /// <summary>The community's categories (retired ones too), as the reference cache keeps them; never tracked.</summary>
    private Task<List<WorkOrderCategory>> CachedCategoriesAsync(Guid communityId, CancellationToken ct) =>
        cache.GetAsync(communityId, "categories", () => db.WorkOrderCategories.AsNoTracking().Where(c => c.CommunityId == communityId).ToListAsync(ct));

    /// <summary>Category names as staff read them, a child with its parent: "水电维修 › 管道堵塞".</summary>
    public async Task<Dictionary<Guid, string>> CategoryNamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        var cats = await db.WorkOrderCategories.AsNoTracking().Where(c => list.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct);
        var parents = cats.Where(c => c.ParentId != null).Select(c => c.ParentId!.Value).Distinct().ToList();
        var parentNames = parents.Count == 0 ? [] : await db.WorkOrderCategories.AsNoTracking().Where(c => parents.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return cats.ToDictionary(c => c.Id, c => c.ParentId is { } p && parentNames.TryGetValue(p, out var pn) ? $"{pn} › {c.Name}" : c.Name);
    }

    // ---------------------------------------------------------------- who

    /// <summary>The registry's resident linked to a portal account, if any (from the reference cache).</summary>
    public Task<Guid?> ResidentOfAccountAsync(Guid communityId, Guid? accountId, CancellationToken ct) =>
        cache.GetAsync(communityId, $"resident-of:{accountId}", () =>
            db.Residents.Where(r => r.AccountId == accountId && r.CommunityId == communityId).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct));

    // ---------------------------------------------------------------- places

    /// <summary>The grid (not a micro-grid) whose area holds the place's building or entrance, if any.</summary>
    public async Task<Guid?> GridOfAsync(Guid communityId, Place place, CancellationToken ct)
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

    /// <summary>
    /// The place, checked against the community: a home implies its building and estate; words alone are fine. The same
    /// read gives the names, so the place's label (as <see cref="PlaceLabelsAsync"/> makes it) costs no further query.
    /// </summary>
    public async Task<(Place Place, string Label)> PlaceAsync(Guid communityId, PlaceInput p, CancellationToken ct)
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

    /// <summary>The labels of places as orders keep them (estate, building, entrance, home, words), reading only the kinds that occur.</summary>
    public async Task<Dictionary<(Guid?, Guid?, int?, Guid?, string?), string>> PlaceLabelsAsync(IEnumerable<(Guid? Estate, Guid? Building, int? Entrance, Guid? Home, string? Text)> places, CancellationToken ct)
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
}
