using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Residents;

public enum SurveyOutcome
{
    Visited = 1,
    NobodyHome = 2,
    Declined = 3,
    Vacant = 4,
}

/// <summary>
/// One home's record in the building survey 老龄化调查 (seed 004: "low-age helps high-age", floor by floor,
/// entrance by entrance): who answered, whether someone lives alone, the needs seen. The latest record counts.
/// </summary>
public sealed class SurveyVisit : ICommunityOwned
{
    public const int NoteMax = 500;

    /// <summary>
    /// Outcomes that finish a home: someone answered, refused, or it is known to be vacant. "Nobody home" means come
    /// back. The one definition behind every progress figure (a building's, the list of buildings').
    /// </summary>
    public static readonly SurveyOutcome[] DoneOutcomes = [SurveyOutcome.Visited, SurveyOutcome.Declined, SurveyOutcome.Vacant];

    public static bool IsDone(SurveyOutcome? outcome) => outcome is { } o && DoneOutcomes.Contains(o);

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid BuildingId { get; private set; }
    public Guid HomeId { get; private set; }
    public SurveyOutcome Outcome { get; private set; }
    public int? People { get; private set; }
    public bool LivingAlone { get; private set; }
    public bool ElderlyLivingHere { get; private set; }
    public string? Needs { get; private set; }
    public Guid? VisitedBy { get; private set; }
    public DateTime VisitedAt { get; private set; }

    private SurveyVisit() { }

    public SurveyVisit(Home home, SurveyOutcome outcome, int? people, bool livingAlone, bool elderly, string? needs, Guid? visitedBy, DateTime at)
    {
        if (home.IsRetired) throw new DomainException("residents.home_retired");
        if (people is < 0 or > 30) throw DomainException.Invalid("People", "validation.range_of", "field.people", 0, 30);
        if (livingAlone && people is > 1) throw DomainException.Invalid("LivingAlone", "survey.alone_but_many");
        CommunityId = home.CommunityId;
        BuildingId = home.BuildingId;
        HomeId = home.Id;
        Outcome = outcome;
        People = outcome == SurveyOutcome.Visited ? people : null;
        LivingAlone = outcome == SurveyOutcome.Visited && livingAlone;
        ElderlyLivingHere = outcome == SurveyOutcome.Visited && elderly;
        Needs = string.IsNullOrWhiteSpace(needs) ? null : needs.Trim();
        VisitedBy = visitedBy;
        VisitedAt = at;
    }
}

public sealed class SurveyVisitConfiguration : IEntityTypeConfiguration<SurveyVisit>
{
    public void Configure(EntityTypeBuilder<SurveyVisit> b)
    {
        b.Property(x => x.Needs).HasMaxLength(SurveyVisit.NoteMax);
        b.HasIndex(x => new { x.CommunityId, x.BuildingId, x.HomeId, x.VisitedAt });
        b.HasOne<Home>().WithMany().HasForeignKey(x => x.HomeId).OnDelete(DeleteBehavior.Restrict);
    }
}
