using Linli.Web.Features.Places.Divisions;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Places;

/// <summary>
/// A community 社区 (residents' committee): the tenant. Carries its official 12-digit division code and the codes
/// of the subdistrict, district and city above it (the first 9, 6 and 4 digits).
/// </summary>
public sealed class Community : ITenant
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string DivisionCode { get; private set; } = "";
    /// <summary>The official name, e.g. 融华府社区居委会.</summary>
    public string Name { get; private set; } = "";
    /// <summary>The name people use, e.g. 融华府社区.</summary>
    public string ShortName { get; private set; } = "";
    public string SubdistrictCode { get; private set; } = "";
    public string DistrictCode { get; private set; } = "";
    public string CityCode { get; private set; } = "";
    public string? Address { get; private set; }
    public string? Phone { get; private set; }
    public DateOnly? FoundedOn { get; private set; }
    public DateTime CreatedAt { get; private set; }

    private Community() { }

    public Community(Division division, string? shortName, string? address, DateOnly? foundedOn, DateTime now)
    {
        if (division.Level != DivisionLevel.Community || !ChinaDivisionReader.IsCommunityCode(division.Code))
            throw new ArgumentException("A community is created from a 12-digit community division.", nameof(division));
        DivisionCode = division.Code;
        Name = division.Name;
        ShortName = string.IsNullOrWhiteSpace(shortName) ? ShortNameOf(division.Name) : shortName.Trim();
        SubdistrictCode = division.Code[..9];
        DistrictCode = division.Code[..6];
        CityCode = division.Code[..4];
        Address = address?.Trim();
        FoundedOn = foundedOn;
        CreatedAt = now;
    }

    public void Update(string shortName, string? address, string? phone, DateOnly? foundedOn)
    {
        ShortName = shortName.Trim();
        Address = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        Phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
        FoundedOn = foundedOn;
    }

    /// <summary>融华府社区居委会 → 融华府社区; 阳光社区居民委员会 → 阳光社区; 北翟营村委会 → 北翟营村.</summary>
    public static string ShortNameOf(string official)
    {
        foreach (var suffix in new[] { "居民居委会", "居民委员会", "居委会", "村民委员会", "村委会" })
        {
            if (official.EndsWith(suffix, StringComparison.Ordinal) && official.Length > suffix.Length)
            {
                var stem = official[..^suffix.Length];
                return suffix.StartsWith('村') ? (stem.EndsWith('村') ? stem : stem + "村") : (stem.EndsWith("社区", StringComparison.Ordinal) ? stem : stem + "社区");
            }
        }
        return official;
    }
}

public sealed class CommunityConfiguration : IEntityTypeConfiguration<Community>
{
    public void Configure(EntityTypeBuilder<Community> b)
    {
        b.Property(c => c.DivisionCode).HasMaxLength(12).IsUnicode(false);
        b.HasIndex(c => c.DivisionCode).IsUnique();
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.ShortName).HasMaxLength(50);
        b.Property(c => c.SubdistrictCode).HasMaxLength(9).IsUnicode(false);
        b.Property(c => c.DistrictCode).HasMaxLength(6).IsUnicode(false);
        b.Property(c => c.CityCode).HasMaxLength(4).IsUnicode(false);
        b.Property(c => c.Address).HasMaxLength(200);
        b.Property(c => c.Phone).HasMaxLength(30);
        b.HasIndex(c => c.SubdistrictCode);
    }
}
