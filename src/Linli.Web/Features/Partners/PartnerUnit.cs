using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Partners;

public enum PartnerKind
{
    /// <summary>物业: the property company of one or more estates.</summary>
    PropertyCompany = 1,
    /// <summary>共建单位 / 驻地单位: a partner unit that takes on work and resources.</summary>
    Partner = 2,
}

/// <summary>
/// A unit that works with the community: a property company or a partner unit. A simple record for now (work orders
/// are dispatched to it; its people see those orders); the partners module grows it (resources, projects, hours).
/// </summary>
public sealed class PartnerUnit : IReferenceData
{
    public const int NameMax = 60;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public PartnerKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    public string? Phone { get; private set; }
    public bool IsRetired { get; private set; }

    private PartnerUnit() { }

    public PartnerUnit(Guid communityId, PartnerKind kind, string name, string? phone)
    {
        name = name.Trim();
        if (name.Length == 0) throw DomainException.Invalid("Name", "validation.required", "field.name");
        if (name.Length > NameMax) throw DomainException.Invalid("Name", "validation.too_long", "field.name", NameMax);
        CommunityId = communityId;
        Kind = kind;
        Name = name;
        Phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
    }

    public void Retire() => IsRetired = true;
}

public sealed class PartnerUnitConfiguration : IEntityTypeConfiguration<PartnerUnit>
{
    public void Configure(EntityTypeBuilder<PartnerUnit> b)
    {
        b.Property(x => x.Name).HasMaxLength(PartnerUnit.NameMax);
        b.Property(x => x.Phone).HasMaxLength(20).IsUnicode(false);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.CommunityId, x.Name }).IsUnique();
        b.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
    }
}
