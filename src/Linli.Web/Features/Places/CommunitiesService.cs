using Linli.Web.Features.Places.Divisions;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Places;

public sealed class CommunityInput
{
    public string? DivisionCode { get; set; }
    public string? ShortName { get; set; }
    public string? Address { get; set; }
}

public sealed record DivisionRow(string Code, string Name, DivisionLevel Level, string? ParentCode, bool IsTenant);

public sealed record CommunityRow(Guid Id, string DivisionCode, string Name, string ShortName, string SubdistrictCode, string? SubdistrictName);

/// <summary>Communities (the tenants) and the official division list they are picked from.</summary>
public sealed class CommunitiesService(AppDbContext db, Texts t, TimeProvider clock)
{
    public async Task<List<DivisionRow>> ChildrenAsync(string? parentCode, CancellationToken ct = default)
    {
        var tenants = db.Communities.IgnoreQueryFilters().Select(c => c.DivisionCode);
        return await db.Divisions.AsNoTracking()
            .Where(d => parentCode == null ? d.ParentCode == null : d.ParentCode == parentCode)
            .OrderBy(d => d.Code)
            .Select(d => new DivisionRow(d.Code, d.Name, d.Level, d.ParentCode, tenants.Contains(d.Code)))
            .ToListAsync(ct);
    }

    public async Task<List<CommunityRow>> ListVisibleAsync(CancellationToken ct = default)
    {
        var rows = await db.Communities.AsNoTracking().OrderBy(c => c.DivisionCode)
            .Select(c => new { c.Id, c.DivisionCode, c.Name, c.ShortName, c.SubdistrictCode })
            .ToListAsync(ct);
        var codes = rows.Select(r => r.SubdistrictCode).Distinct().ToList();
        var names = await db.Divisions.AsNoTracking().Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return rows.Select(r => new CommunityRow(r.Id, r.DivisionCode, r.Name, r.ShortName, r.SubdistrictCode, names.GetValueOrDefault(r.SubdistrictCode))).ToList();
    }

    public async Task<Community> CreateAsync(CommunityInput input, DateOnly? foundedOn = null, CancellationToken ct = default)
    {
        var code = input.DivisionCode?.Trim();
        var v = new InputValidator(t)
            .Text(nameof(input.ShortName), input.ShortName, "field.short_name", 50, required: false)
            .Text(nameof(input.Address), input.Address, "field.address", 200, required: false);
        if (!ChinaDivisionReader.IsCommunityCode(code)) v.Add(nameof(input.DivisionCode), t.Get("places.division_code_format"));
        v.ThrowIfInvalid();
        var division = await db.Divisions.FirstOrDefaultAsync(d => d.Code == code, ct);
        if (division is null || division.Level != DivisionLevel.Community)
            throw DomainException.Invalid(nameof(input.DivisionCode), "places.division_code_unknown", code!);
        if (await db.Communities.IgnoreQueryFilters().AnyAsync(c => c.DivisionCode == code, ct))
            throw DomainException.Invalid(nameof(input.DivisionCode), "places.community_exists", division.Name);
        var community = new Community(division, input.ShortName, input.Address, foundedOn, clock.GetUtcNow().UtcDateTime);
        db.Communities.Add(community);
        await db.SaveChangesAsync(ct);
        return community;
    }
}

/// <summary>The tenants' names for the shells (<see cref="CurrentCommunity"/>): the visible communities of the ids, by division code.</summary>
public sealed class CommunityDirectory(AppDbContext db) : ITenantDirectory
{
    public async Task<IReadOnlyList<TenantCommunity>> ListAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default) =>
        await db.Communities.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.DivisionCode)
            .Select(c => new TenantCommunity(c.Id, c.DivisionCode, c.Name, c.ShortName, c.SubdistrictCode)).ToListAsync(ct);
}
