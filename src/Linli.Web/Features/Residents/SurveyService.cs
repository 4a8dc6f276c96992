using Linli.Web.Features.Grids;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Residents;

public sealed class SurveyInput
{
    public Guid HomeId { get; set; }
    public SurveyOutcome Outcome { get; set; } = SurveyOutcome.Visited;
    public int? People { get; set; }
    public bool LivingAlone { get; set; }
    public bool ElderlyLivingHere { get; set; }
    public string? Needs { get; set; }
}

public sealed record SurveyHome(Guid HomeId, string Label, string Number, int Entrance, int Floor, SurveyOutcome? Outcome, int? People, bool LivingAlone, bool Elderly, string? Needs, DateTime? At);

/// <summary>A building the caller may survey, with its progress (homes done / total).</summary>
public sealed record SurveyBuilding(Guid BuildingId, string Community, string Estate, string Number, int Done, int Total);

public sealed record SurveyProgress(Guid BuildingId, int Done, int Total, int LivingAlone, int Elderly, int WithNeeds, IReadOnlyList<SurveyHome> Homes);

/// <summary>
/// The building survey: one record per home visit; progress per building (homes done / total). A home found with
/// someone living alone tags its registered residents 独居, so the survey updates the registry.
/// </summary>
public sealed class SurveyService(AppDbContext db, Texts t, TimeProvider clock, IHttpContextAccessor http, Infrastructure.Tenancy.TenantScope scope)
{
    /// <summary>A grid member surveys only the buildings of the own grids.</summary>
    private async Task EnsureInGridAsync(Guid buildingId, CancellationToken ct)
    {
        if (!scope.LimitedToGrids) return;
        var grids = scope.GridIds;
        if (!await db.AreasOf(grids).AnyAsync(a => a.BuildingId == buildingId, ct))
            throw new NotFoundException();
    }

    /// <summary>
    /// The buildings the caller may survey (those of the own communities, a grid member's only of the own grids), in
    /// use, ordered community → estate → building number, each with homes done / total counted in the database.
    /// </summary>
    public async Task<IReadOnlyList<SurveyBuilding>> BuildingsAsync(CancellationToken ct = default)
    {
        var buildings = db.Buildings.AsNoTracking().Where(b => !b.IsRetired);
        if (scope.LimitedToGrids)
        {
            var areas = db.AreasOf(scope.GridIds);
            buildings = buildings.Where(b => areas.Any(a => a.BuildingId == b.Id));
        }
        var rows = await buildings
            .Join(db.Estates.Where(e => !e.IsRetired), b => b.EstateId, e => e.Id, (b, e) => new { b.Id, b.CommunityId, Estate = e.Name, b.Number })
            .Join(db.Communities, x => x.CommunityId, c => c.Id, (x, c) => new { x.Id, x.Estate, x.Number, Community = c.ShortName })
            .ToListAsync(ct);
        var buildingIds = buildings.Select(b => b.Id);
        var homes = db.Homes.AsNoTracking().Where(h => !h.IsRetired && buildingIds.Contains(h.BuildingId));
        var totals = await homes.GroupBy(h => h.BuildingId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        // The latest record of each home decides (the same rule as ProgressAsync); the index on
        // (CommunityId, BuildingId, HomeId, VisitedAt) answers each home's latest visit.
        var done = await homes
            .Where(h => db.SurveyVisits.Where(v => v.BuildingId == h.BuildingId && v.HomeId == h.Id).OrderByDescending(v => v.VisitedAt).Take(1)
                .Any(v => SurveyVisit.DoneOutcomes.Contains(v.Outcome)))
            .GroupBy(h => h.BuildingId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return rows
            .Select(r => new SurveyBuilding(r.Id, r.Community, r.Estate, r.Number, done.GetValueOrDefault(r.Id), totals.GetValueOrDefault(r.Id)))
            .OrderBy(b => b.Community, StringComparer.Ordinal).ThenBy(b => b.Estate, StringComparer.Ordinal)
            .ThenBy(b => int.TryParse(b.Number, out var n) ? n : int.MaxValue).ThenBy(b => b.Number, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<SurveyProgress> ProgressAsync(Guid buildingId, CancellationToken ct = default)
    {
        var building = await db.Buildings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == buildingId, ct) ?? throw new NotFoundException();
        await EnsureInGridAsync(building.Id, ct);
        var homes = await db.Homes.AsNoTracking().Where(h => h.BuildingId == building.Id && !h.IsRetired)
            .OrderBy(h => h.EntranceNumber).ThenByDescending(h => h.Floor).ThenBy(h => h.Number).ToListAsync(ct);
        var visits = (await db.SurveyVisits.AsNoTracking().Where(v => v.BuildingId == building.Id).ToListAsync(ct))
            .GroupBy(v => v.HomeId).ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.VisitedAt).First());
        var rows = homes.Select(h => visits.TryGetValue(h.Id, out var v)
            ? new SurveyHome(h.Id, h.Label, h.Number, h.EntranceNumber, h.Floor, v.Outcome, v.People, v.LivingAlone, v.ElderlyLivingHere, v.Needs, v.VisitedAt)
            : new SurveyHome(h.Id, h.Label, h.Number, h.EntranceNumber, h.Floor, null, null, false, false, null, null)).ToList();
        var done = rows.Count(r => SurveyVisit.IsDone(r.Outcome));
        return new SurveyProgress(building.Id, done, rows.Count, rows.Count(r => r.LivingAlone), rows.Count(r => r.Elderly), rows.Count(r => r.Needs is not null), rows);
    }

    public async Task<SurveyVisit> RecordAsync(SurveyInput input, CancellationToken ct = default)
    {
        new Infrastructure.Errors.InputValidator(t).Text(nameof(input.Needs), input.Needs, "field.needs", SurveyVisit.NoteMax, required: false).ThrowIfInvalid();
        if (!Enum.IsDefined(input.Outcome)) throw DomainException.Invalid(nameof(input.Outcome), "validation.choose", "field.outcome");
        var home = await db.Homes.FirstOrDefaultAsync(h => h.Id == input.HomeId, ct) ?? throw new NotFoundException();
        await EnsureInGridAsync(home.BuildingId, ct);
        var visit = new SurveyVisit(home, input.Outcome, input.People, input.LivingAlone, input.ElderlyLivingHere, input.Needs,
            Infrastructure.Auth.PrincipalExtensions.UserId(http.HttpContext!.User), clock.GetUtcNow().UtcDateTime);
        db.SurveyVisits.Add(visit);
        if (visit.LivingAlone)
        {
            var residents = await db.Residents.Include(r => r.Tags)
                .Where(r => db.Residences.Any(x => x.ResidentId == r.Id && x.HomeId == home.Id && x.To == null)).ToListAsync(ct);
            foreach (var r in residents.Where(r => r.Tags.All(x => x.Kind != TagKind.LivingAlone)))
                r.SetTags(r.Tags.Where(x => x.Kind != TagKind.Custom).Select(x => x.Kind).Append(TagKind.LivingAlone), r.Tags.Where(x => x.Kind == TagKind.Custom).Select(x => x.CustomName!));
        }
        await db.SaveChangesAsync(ct);
        return visit;
    }
}
