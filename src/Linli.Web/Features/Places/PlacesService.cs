using Linli.Web.Features.Grids;
using Linli.Web.Features.Places.Divisions;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Places;

public sealed class EstateInput
{
    public string? Name { get; set; }
    public string? Address { get; set; }
    public string? PropertyCompanyName { get; set; }
}

public sealed class BuildingInput
{
    public string? Number { get; set; }
    public BuildingKind Kind { get; set; } = BuildingKind.Residential;
    public int Floors { get; set; }
    public int Entrances { get; set; } = 1;
    public int HomesPerFloor { get; set; } = 2;
}

public sealed class BuildingUpdateInput
{
    public string? Number { get; set; }
    public BuildingKind Kind { get; set; } = BuildingKind.Residential;
}

public sealed record EstateRow(Guid Id, string Name, string? Address, string? PropertyCompanyName, bool IsRetired, int Buildings, int Homes);

public sealed record BuildingRow(Guid Id, Guid EstateId, string Number, BuildingKind Kind, int Floors, int Entrances, int HomesPerFloor, int Homes, bool IsRetired, string? GridName);

public sealed record CommunityProfile(
    Guid CommunityId, string Name, string ShortName, string DivisionCode, string? SubdistrictName, string? DistrictName, string? CityName,
    string? Address, DateOnly? FoundedOn, int Estates, int Buildings, int Entrances, int Homes, int Grids, int MicroGrids,
    int GridMembers, int BuildingsInGrids, IReadOnlyList<KindCount> BuildingsByKind, IReadOnlyList<EstateRow> EstateRows);

public sealed record KindCount(BuildingKind Kind, int Count);

/// <summary>
/// The places of a community: estates, buildings with their entrances and homes, and the community profile.
/// Pages and the JSON API both call this class; the tenant filter keeps every query inside the caller's scope.
/// </summary>
public sealed class PlacesService(AppDbContext db, Texts t, TimeProvider clock)
{
    public async Task<List<EstateRow>> ListEstatesAsync(Guid communityId, bool includeRetired = false, CancellationToken ct = default)
    {
        var estates = await db.Estates.AsNoTracking()
            .Where(e => e.CommunityId == communityId && (includeRetired || !e.IsRetired))
            .OrderBy(e => e.IsRetired).ThenBy(e => e.Name)
            .Select(e => new { e.Id, e.Name, e.Address, e.PropertyCompanyName, e.IsRetired })
            .ToListAsync(ct);
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.CommunityId == communityId && !b.IsRetired)
            .GroupBy(b => b.EstateId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var homes = await (from h in db.Homes
                           join b in db.Buildings on h.BuildingId equals b.Id
                           where h.CommunityId == communityId && !b.IsRetired && !h.IsRetired
                           group h by b.EstateId into g
                           select new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return estates.Select(e => new EstateRow(e.Id, e.Name, e.Address, e.PropertyCompanyName, e.IsRetired,
            buildings.GetValueOrDefault(e.Id), homes.GetValueOrDefault(e.Id))).ToList();
    }

    public async Task<Estate> GetEstateAsync(Guid id, CancellationToken ct = default) =>
        await db.Estates.FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException();

    public async Task<Estate> CreateEstateAsync(Guid communityId, EstateInput input, CancellationToken ct = default)
    {
        ValidateEstate(input);
        if (!await db.Communities.AnyAsync(c => c.Id == communityId, ct)) throw new NotFoundException();
        await EnsureEstateNameFreeAsync(communityId, input.Name!, null, ct);
        var estate = new Estate(communityId, input.Name!, input.Address, input.PropertyCompanyName, clock.GetUtcNow().UtcDateTime);
        db.Estates.Add(estate);
        await db.SaveChangesAsync(ct);
        return estate;
    }

    public async Task<Estate> UpdateEstateAsync(Guid id, EstateInput input, CancellationToken ct = default)
    {
        var estate = await GetEstateAsync(id, ct);
        ValidateEstate(input);
        await EnsureEstateNameFreeAsync(estate.CommunityId, input.Name!, id, ct);
        estate.Update(input.Name!, input.Address, input.PropertyCompanyName);
        await db.SaveChangesAsync(ct);
        return estate;
    }

    public async Task SetEstateRetiredAsync(Guid id, bool retired, CancellationToken ct = default)
    {
        var estate = await GetEstateAsync(id, ct);
        if (retired)
        {
            if (await db.Buildings.AnyAsync(b => b.EstateId == id && !b.IsRetired, ct)) throw new DomainException("places.estate_has_buildings");
            estate.Retire();
        }
        else estate.Restore();
        await db.SaveChangesAsync(ct);
    }

    public async Task<List<BuildingRow>> ListBuildingsAsync(Guid estateId, bool includeRetired = false, CancellationToken ct = default)
    {
        var estate = await db.Estates.AsNoTracking().FirstOrDefaultAsync(e => e.Id == estateId, ct) ?? throw new NotFoundException();
        var rows = await db.Buildings.AsNoTracking()
            .Where(b => b.EstateId == estate.Id && (includeRetired || !b.IsRetired))
            .Select(b => new
            {
                b.Id, b.EstateId, b.Number, b.Kind, b.Floors, b.EntranceCount, b.HomesPerFloor, b.IsRetired,
                Homes = db.Homes.Count(h => h.BuildingId == b.Id && !h.IsRetired),
                GridName = db.GridAreas.Where(a => a.BuildingId == b.Id && a.Level == GridLevel.Grid)
                    .Join(db.Grids, a => a.GridId, g => g.Id, (a, g) => g.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(b => new BuildingRow(b.Id, b.EstateId, b.Number, b.Kind, b.Floors, b.EntranceCount, b.HomesPerFloor, b.Homes, b.IsRetired, b.GridName))
            .OrderBy(b => b.IsRetired).ThenBy(b => NaturalKey(b.Number), StringComparer.Ordinal).ToList();
    }

    public async Task<Building> GetBuildingAsync(Guid id, bool withHomes = false, CancellationToken ct = default)
    {
        IQueryable<Building> q = db.Buildings;
        if (withHomes) q = q.Include(b => b.Entrances).Include(b => b.Homes);
        return await q.FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw new NotFoundException();
    }

    public async Task<Building> CreateBuildingAsync(Guid estateId, BuildingInput input, CancellationToken ct = default)
    {
        var estate = await GetEstateAsync(estateId, ct);
        var v = new InputValidator(t).Text(nameof(input.Number), input.Number, "field.building_number", Building.NumberMax)
            .Range(nameof(input.Floors), input.Floors, "field.floors", 1, Building.MaxFloors)
            .Range(nameof(input.Entrances), input.Entrances, "field.entrances", 1, Building.MaxEntrances)
            .Range(nameof(input.HomesPerFloor), input.HomesPerFloor, "field.homes_per_floor", 1, Building.MaxHomesPerFloor);
        if (!Enum.IsDefined(input.Kind)) v.Add(nameof(input.Kind), t.Get("validation.choose", t.Get("field.building_kind")));
        v.ThrowIfInvalid();
        await EnsureBuildingNumberFreeAsync(estate, input.Number!, null, ct);
        var building = Building.Create(estate, input.Number!, input.Kind, input.Floors, input.Entrances, input.HomesPerFloor, clock.GetUtcNow().UtcDateTime);
        db.Buildings.Add(building);
        await db.SaveChangesAsync(ct);
        return building;
    }

    public async Task<Building> UpdateBuildingAsync(Guid id, BuildingUpdateInput input, CancellationToken ct = default)
    {
        var building = await GetBuildingAsync(id, ct: ct);
        var v = new InputValidator(t).Text(nameof(input.Number), input.Number, "field.building_number", Building.NumberMax);
        if (!Enum.IsDefined(input.Kind)) v.Add(nameof(input.Kind), t.Get("validation.choose", t.Get("field.building_kind")));
        v.ThrowIfInvalid();
        var estate = await GetEstateAsync(building.EstateId, ct);
        await EnsureBuildingNumberFreeAsync(estate, input.Number!, id, ct);
        building.Update(input.Number!, input.Kind);
        await db.SaveChangesAsync(ct);
        return building;
    }

    public async Task SetBuildingRetiredAsync(Guid id, bool retired, CancellationToken ct = default)
    {
        var building = await GetBuildingAsync(id, ct: ct);
        if (retired)
        {
            building.Retire();
            // A retired building leaves its grids; the partition covers only buildings in use.
            await db.GridAreas.Where(a => a.BuildingId == id).ExecuteDeleteAsync(ct);
        }
        else
        {
            var estate = await GetEstateAsync(building.EstateId, ct);
            if (estate.IsRetired) throw new DomainException("places.estate_retired");
            building.Restore();
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<CommunityProfile> ProfileAsync(Guid communityId, CancellationToken ct = default)
    {
        var c = await db.Communities.AsNoTracking().FirstOrDefaultAsync(x => x.Id == communityId, ct) ?? throw new NotFoundException();
        var names = await db.Divisions.AsNoTracking().Where(d => d.Code == c.SubdistrictCode || d.Code == c.DistrictCode || d.Code == c.CityCode)
            .ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var activeBuildings = db.Buildings.Where(b => b.CommunityId == communityId && !b.IsRetired);
        var byKind = await activeBuildings.GroupBy(b => b.Kind).Select(g => new KindCount(g.Key, g.Count())).ToListAsync(ct);
        var entrances = await db.Entrances.CountAsync(e => e.CommunityId == communityId && activeBuildings.Any(b => b.Id == e.BuildingId), ct);
        var homes = await db.Homes.CountAsync(h => h.CommunityId == communityId && !h.IsRetired && activeBuildings.Any(b => b.Id == h.BuildingId), ct);
        var grids = await db.Grids.Where(g => g.CommunityId == communityId).GroupBy(g => g.Level).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var members = await db.GridMembers.CountAsync(m => m.CommunityId == communityId, ct);
        var inGrids = await db.GridAreas.Where(a => a.CommunityId == communityId && a.Level == GridLevel.Grid).Select(a => a.BuildingId).Distinct().CountAsync(ct);
        var estates = await ListEstatesAsync(communityId, ct: ct);
        return new CommunityProfile(c.Id, c.Name, c.ShortName, c.DivisionCode, names.GetValueOrDefault(c.SubdistrictCode),
            names.GetValueOrDefault(c.DistrictCode), names.GetValueOrDefault(c.CityCode), c.Address, c.FoundedOn,
            estates.Count, byKind.Sum(k => k.Count), entrances, homes, grids.GetValueOrDefault(GridLevel.Grid), grids.GetValueOrDefault(GridLevel.MicroGrid),
            members, inGrids, byKind.OrderBy(k => k.Kind).ToList(), estates);
    }

    private void ValidateEstate(EstateInput input) =>
        new InputValidator(t).Text(nameof(input.Name), input.Name, "field.estate_name", Estate.NameMax)
            .Text(nameof(input.Address), input.Address, "field.address", Estate.AddressMax, required: false)
            .Text(nameof(input.PropertyCompanyName), input.PropertyCompanyName, "field.property_company", 100, required: false)
            .ThrowIfInvalid();

    private async Task EnsureEstateNameFreeAsync(Guid communityId, string name, Guid? except, CancellationToken ct)
    {
        var trimmed = name.Trim();
        if (await db.Estates.AnyAsync(e => e.CommunityId == communityId && e.Name == trimmed && e.Id != except, ct))
            throw DomainException.Invalid(nameof(EstateInput.Name), "places.estate_name_taken", trimmed);
    }

    private async Task EnsureBuildingNumberFreeAsync(Estate estate, string number, Guid? except, CancellationToken ct)
    {
        var trimmed = number.Trim();
        if (await db.Buildings.AnyAsync(b => b.EstateId == estate.Id && b.Number == trimmed && b.Id != except, ct))
            throw DomainException.Invalid(nameof(BuildingInput.Number), "places.building_number_taken", trimmed, estate.Name);
    }

    /// <summary>Sorts "2" before "10": numbers padded, the rest as written.</summary>
    public static string NaturalKey(string number)
    {
        var digits = new string(number.TakeWhile(char.IsDigit).ToArray());
        return digits.Length > 0 ? digits.PadLeft(6, '0') + number[digits.Length..] : "~" + number;
    }

    public static bool IsCommunityCode(string? code) => ChinaDivisionReader.IsCommunityCode(code);
}
