using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Residents;

/// <summary>
/// The tags an office keeps. Aged 80+ and minor are not tags: they are computed from the birth date.
/// </summary>
public enum TagKind
{
    LivingAlone = 1,
    EmptyNest = 2,
    Disabled = 3,
    BereavedOfOnlyChild = 4,
    LowIncome = 5,
    PartyMember = 6,
    Veteran = 7,
    DisabledCare = 8,
    /// <summary>A tag the office names itself.</summary>
    Custom = 99,
}

public sealed class ResidentTag : ICommunityOwned
{
    public const int NameMax = 20;

    /// <summary>Health and hardship tags: sensitive personal information under PIPL, shown only with consent.</summary>
    public static readonly TagKind[] Sensitive = [TagKind.Disabled, TagKind.BereavedOfOnlyChild, TagKind.LowIncome, TagKind.DisabledCare];

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid ResidentId { get; private set; }
    public TagKind Kind { get; private set; }
    public string? CustomName { get; private set; }
    /// <summary>The resident withdrew consent for this sensitive tag: only the secretary still sees it.</summary>
    public bool ConsentWithdrawn { get; private set; }

    private ResidentTag() { }

    internal ResidentTag(Resident resident, TagKind kind, string? customName)
    {
        CommunityId = resident.CommunityId;
        ResidentId = resident.Id;
        Kind = kind;
        CustomName = kind == TagKind.Custom ? customName?.Trim() : null;
    }

    public bool IsSensitive => Sensitive.Contains(Kind);

    internal void SetConsent(bool consent) => ConsentWithdrawn = !consent;
}

public sealed class ResidentTagConfiguration : IEntityTypeConfiguration<ResidentTag>
{
    public void Configure(EntityTypeBuilder<ResidentTag> b)
    {
        b.Property(x => x.CustomName).HasMaxLength(ResidentTag.NameMax);
        b.HasIndex(x => new { x.CommunityId, x.Kind, x.ResidentId });
        b.Ignore(x => x.IsSensitive);
    }
}
