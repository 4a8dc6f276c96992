using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Grids;

public sealed class GridInput
{
    public string? Name { get; set; }
    /// <summary>Set for a micro-grid: the grid it belongs to.</summary>
    public Guid? ParentId { get; set; }
}

public sealed class GridAreaInput
{
    public Guid BuildingId { get; set; }
    /// <summary>0 (or absent) for the whole building.</summary>
    public int EntranceNumber { get; set; }
}

public sealed class GridMemberInput
{
    public RedButlerRole Role { get; set; } = RedButlerRole.GridChief;
    public string? Name { get; set; }
    public string? Phone { get; set; }
}

public sealed record GridRow(Guid Id, string Name, GridLevel Level, Guid? ParentId, string? ParentName, int Buildings, int Homes, int Members);

public sealed record GridAreaRow(Guid Id, Guid BuildingId, string EstateName, string BuildingNumber, int EntranceNumber);

public sealed record GridMemberRow(Guid Id, RedButlerRole Role, string Name, string Phone, Guid? UserId);

public sealed record GridDetail(Guid Id, Guid CommunityId, string Name, GridLevel Level, Guid? ParentId, string? ParentName,
    IReadOnlyList<GridAreaRow> Areas, IReadOnlyList<GridMemberRow> Members, IReadOnlyList<GridRow> MicroGrids);

/// <summary>Grids and micro-grids: their buildings and entrances and their red-butler members.</summary>
public sealed class GridsService(AppDbContext db, Texts t, TimeProvider clock)
{
    public async Task<List<GridRow>> ListAsync(Guid communityId, CancellationToken ct = default)
    {
        var grids = await db.Grids.AsNoTracking().Where(g => g.CommunityId == communityId).ToListAsync(ct);
        var areas = await db.GridAreas.AsNoTracking().Where(a => a.CommunityId == communityId).ToListAsync(ct);
        var homes = await db.Homes.AsNoTracking().Where(h => h.CommunityId == communityId && !h.IsRetired)
            .GroupBy(h => new { h.BuildingId, h.EntranceNumber }).Select(g => new { g.Key.BuildingId, g.Key.EntranceNumber, Count = g.Count() })
            .ToListAsync(ct);
        var members = await db.GridMembers.AsNoTracking().Where(m => m.CommunityId == communityId)
            .GroupBy(m => m.GridId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        int HomesOf(GridArea a) => homes.Where(h => h.BuildingId == a.BuildingId && (a.EntranceNumber == 0 || h.EntranceNumber == a.EntranceNumber)).Sum(h => h.Count);
        var names = grids.ToDictionary(g => g.Id, g => g.Name);
        return grids
            .Select(g => new GridRow(g.Id, g.Name, g.Level, g.ParentId, g.ParentId is { } p ? names.GetValueOrDefault(p) : null,
                areas.Where(a => a.GridId == g.Id).Select(a => a.BuildingId).Distinct().Count(),
                areas.Where(a => a.GridId == g.Id).Sum(HomesOf), members.GetValueOrDefault(g.Id)))
            .OrderBy(g => g.ParentName ?? g.Name, StringComparer.Ordinal).ThenBy(g => g.Level).ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<Grid> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Grids.Include(g => g.Areas).Include(g => g.Members).FirstOrDefaultAsync(g => g.Id == id, ct) ?? throw new NotFoundException();

    public async Task<GridDetail> DetailAsync(Guid id, CancellationToken ct = default)
    {
        var grid = await GetAsync(id, ct);
        var parent = grid.ParentId is { } pid ? await db.Grids.AsNoTracking().FirstOrDefaultAsync(g => g.Id == pid, ct) : null;
        var buildingIds = grid.Areas.Select(a => a.BuildingId).ToList();
        var buildings = await db.Buildings.AsNoTracking().Where(b => buildingIds.Contains(b.Id))
            .Join(db.Estates, b => b.EstateId, e => e.Id, (b, e) => new { b.Id, b.Number, Estate = e.Name }).ToDictionaryAsync(x => x.Id, ct);
        var areas = grid.Areas
            .Select(a => new GridAreaRow(a.Id, a.BuildingId, buildings[a.BuildingId].Estate, buildings[a.BuildingId].Number, a.EntranceNumber))
            .OrderBy(a => a.EstateName, StringComparer.Ordinal).ThenBy(a => PlacesService.NaturalKey(a.BuildingNumber), StringComparer.Ordinal).ThenBy(a => a.EntranceNumber)
            .ToList();
        var micro = grid.Level == GridLevel.Grid ? (await ListAsync(grid.CommunityId, ct)).Where(g => g.ParentId == grid.Id).ToList() : [];
        return new GridDetail(grid.Id, grid.CommunityId, grid.Name, grid.Level, grid.ParentId, parent?.Name, areas,
            grid.Members.OrderBy(m => m.Role).ThenBy(m => m.Name).Select(m => new GridMemberRow(m.Id, m.Role, m.Name, Infrastructure.Privacy.Mask.Phone(m.Phone), m.UserId)).ToList(), micro);
    }

    public async Task<Grid> CreateAsync(Guid communityId, GridInput input, CancellationToken ct = default)
    {
        new InputValidator(t).Text(nameof(input.Name), input.Name, "field.grid_name", Grid.NameMax).ThrowIfInvalid();
        var name = input.Name!.Trim();
        if (await db.Grids.AnyAsync(g => g.CommunityId == communityId && g.Name == name, ct))
            throw DomainException.Invalid(nameof(input.Name), "grids.name_taken", name);
        Grid grid;
        var now = clock.GetUtcNow().UtcDateTime;
        if (input.ParentId is { } parentId)
        {
            var parent = await db.Grids.FirstOrDefaultAsync(g => g.Id == parentId && g.CommunityId == communityId, ct) ?? throw new NotFoundException();
            grid = Grid.CreateMicro(parent, name, now);
        }
        else grid = Grid.Create(communityId, name, now);
        db.Grids.Add(grid);
        await db.SaveChangesAsync(ct);
        return grid;
    }

    public async Task<GridArea> AssignAsync(Guid gridId, GridAreaInput input, CancellationToken ct = default)
    {
        var grid = await GetAsync(gridId, ct);
        var building = await db.Buildings.FirstOrDefaultAsync(b => b.Id == input.BuildingId, ct) ?? throw new NotFoundException();
        var taken = await db.GridAreas.Where(a => a.CommunityId == grid.CommunityId && a.Level == grid.Level && a.BuildingId == building.Id).ToListAsync(ct);
        List<Guid>? parentBuildings = null;
        if (grid.ParentId is { } pid)
            parentBuildings = await db.GridAreas.Where(a => a.GridId == pid).Select(a => a.BuildingId).ToListAsync(ct);
        var area = grid.Assign(building, input.EntranceNumber, taken, parentBuildings);
        await db.SaveChangesAsync(ct);
        return area;
    }

    public async Task UnassignAsync(Guid gridId, Guid areaId, CancellationToken ct = default)
    {
        var area = await db.GridAreas.FirstOrDefaultAsync(a => a.Id == areaId && a.GridId == gridId, ct) ?? throw new NotFoundException();
        db.GridAreas.Remove(area);
        if (area.Level == GridLevel.Grid)
        {
            // Micro-grids may not keep a building their grid no longer has.
            var micro = db.Grids.Where(g => g.ParentId == gridId).Select(g => g.Id);
            db.GridAreas.RemoveRange(await db.GridAreas.Where(a => micro.Contains(a.GridId) && a.BuildingId == area.BuildingId).ToListAsync(ct));
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<GridMember> AddMemberAsync(Guid gridId, GridMemberInput input, CancellationToken ct = default)
    {
        var grid = await GetAsync(gridId, ct);
        var v = new InputValidator(t).Text(nameof(input.Name), input.Name, "field.person_name", 50).Mobile(nameof(input.Phone), input.Phone);
        if (!Enum.IsDefined(input.Role)) v.Add(nameof(input.Role), t.Get("validation.choose", t.Get("field.red_butler_role")));
        v.ThrowIfInvalid();
        var phone = input.Phone!.Trim();
        var userId = await db.Users.Where(u => u.UserName == phone).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        var member = grid.AddMember(input.Role, input.Name!, phone, userId);
        await db.SaveChangesAsync(ct);
        return member;
    }

    public async Task RemoveMemberAsync(Guid gridId, Guid memberId, CancellationToken ct = default)
    {
        var member = await db.GridMembers.FirstOrDefaultAsync(m => m.Id == memberId && m.GridId == gridId, ct) ?? throw new NotFoundException();
        db.GridMembers.Remove(member);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Buildings of the community that can still go into a grid of this level (for the assign picker).</summary>
    public async Task<List<(Guid Id, string Label, int Entrances)>> AssignableBuildingsAsync(Grid grid, CancellationToken ct = default)
    {
        var q = from b in db.Buildings
                join e in db.Estates on b.EstateId equals e.Id
                where b.CommunityId == grid.CommunityId && !b.IsRetired
                select new { b.Id, b.Number, b.EntranceCount, Estate = e.Name };
        if (grid.Level == GridLevel.Grid)
        {
            var taken = db.GridAreas.Where(a => a.Level == GridLevel.Grid).Select(a => a.BuildingId);
            q = q.Where(b => !taken.Contains(b.Id));
        }
        else
        {
            var inParent = db.GridAreas.Where(a => a.GridId == grid.ParentId).Select(a => a.BuildingId);
            q = q.Where(b => inParent.Contains(b.Id));
        }
        var rows = await q.ToListAsync(ct);
        return rows.OrderBy(r => r.Estate, StringComparer.Ordinal).ThenBy(r => PlacesService.NaturalKey(r.Number), StringComparer.Ordinal)
            .Select(r => (r.Id, $"{r.Estate} {t.Get("places.building_label", r.Number)}", r.EntranceCount)).ToList();
    }
}
