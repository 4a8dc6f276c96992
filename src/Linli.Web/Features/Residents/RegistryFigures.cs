using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Residents;

public sealed record AgeBand(string Label, int Male, int Female, int Unknown);

public sealed record RegistryFigures(Guid CommunityId, int Residents, int Households, int Aged80Plus, int Minors, int PartyMembers,
    IReadOnlyList<AgeBand> Pyramid, IReadOnlyDictionary<TagKind, int> Tags);

/// <summary>
/// The registry's figures for the community profile: residents, households (homes with someone living there),
/// the age pyramid, special groups and party members — all counted, none typed in.
/// </summary>
public sealed class RegistryFiguresQuery(AppDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public static readonly string[] Bands = ["0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90+"];

    public async Task<RegistryFigures> ForAsync(Guid communityId, CancellationToken ct = default)
    {
        var today = clock.Today();
        var residents = await db.Residents.CountAsync(r => r.CommunityId == communityId, ct);
        var households = await db.Residences.Where(r => r.CommunityId == communityId && r.To == null).Select(r => r.HomeId).Distinct().CountAsync(ct);
        // Grouped by birth date in the database; ages are counted from the dates here (one row per distinct date).
        var births = await db.Residents.Where(r => r.CommunityId == communityId && r.BirthDate != null)
            .GroupBy(r => new { r.BirthDate, r.Gender }).Select(g => new { g.Key.BirthDate, g.Key.Gender, Count = g.Count() }).ToListAsync(ct);
        var bands = Bands.Select(_ => new int[3]).ToArray();
        int aged80 = 0, minors = 0;
        foreach (var b in births)
        {
            var age = ChinaTime.AgeOn(b.BirthDate!.Value, today);
            var band = Math.Clamp(age / 10, 0, Bands.Length - 1);
            bands[band][b.Gender switch { Gender.Male => 0, Gender.Female => 1, _ => 2 }] += b.Count;
            if (age >= 80) aged80 += b.Count;
            if (age < 18) minors += b.Count;
        }
        var secretary = http.HttpContext?.User.IsInRole(Infrastructure.Auth.Roles.Secretary) == true;
        var tags = await db.ResidentTags.Where(t => t.CommunityId == communityId && t.Kind != TagKind.Custom && (secretary || !t.ConsentWithdrawn))
            .GroupBy(t => t.Kind).Select(g => new { g.Key, Count = g.Select(x => x.ResidentId).Distinct().Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new RegistryFigures(communityId, residents, households, aged80, minors, tags.GetValueOrDefault(TagKind.PartyMember),
            Bands.Select((label, i) => new AgeBand(label, bands[i][0], bands[i][1], bands[i][2])).ToList(), tags);
    }
}
