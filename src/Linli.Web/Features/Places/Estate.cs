using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Places;

/// <summary>An estate 小区: a residential compound of a community.</summary>
public sealed class Estate : IReferenceData
{
    public const int NameMax = 50;
    public const int AddressMax = 100;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public string Name { get; private set; } = "";
    public string? Address { get; private set; }
    /// <summary>The property company 物业 that manages it, if any (half the estates of old communities have none).</summary>
    public string? PropertyCompanyName { get; private set; }
    public bool IsRetired { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public List<Building> Buildings { get; private set; } = [];

    private Estate() { }

    public Estate(Guid communityId, string name, string? address, string? propertyCompanyName, DateTime now)
    {
        CommunityId = communityId;
        CreatedAt = now;
        Update(name, address, propertyCompanyName);
    }

    public void Update(string name, string? address, string? propertyCompanyName)
    {
        Name = name.Trim();
        Address = Clean(address);
        PropertyCompanyName = Clean(propertyCompanyName);
    }

    public void Retire() => IsRetired = true;

    public void Restore() => IsRetired = false;

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed class EstateConfiguration : IEntityTypeConfiguration<Estate>
{
    public void Configure(EntityTypeBuilder<Estate> b)
    {
        b.Property(e => e.Name).HasMaxLength(Estate.NameMax);
        b.Property(e => e.Address).HasMaxLength(Estate.AddressMax);
        b.Property(e => e.PropertyCompanyName).HasMaxLength(100);
        b.HasIndex(e => new { e.CommunityId, e.Name }).IsUnique();
        b.HasOne<Community>().WithMany().HasForeignKey(e => e.CommunityId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(e => e.Buildings).WithOne().HasForeignKey(x => x.EstateId).OnDelete(DeleteBehavior.Restrict);
    }
}
