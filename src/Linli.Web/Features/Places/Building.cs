using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Places;

public enum BuildingKind
{
    Residential = 1,
    Apartment = 2,
    Office = 3,
    Mixed = 4,
}

/// <summary>
/// A building 楼栋 of an estate, with its entrances 单元 and homes 户. Creating a building creates its homes in one
/// step, numbered the usual way: entrance-floor-home, e.g. 1-1801 is entrance 1, floor 18, home 01.
/// </summary>
public sealed class Building : IReferenceData
{
    public const int NumberMax = 20;
    public const int MaxFloors = 99;
    public const int MaxEntrances = 20;
    public const int MaxHomesPerFloor = 20;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid EstateId { get; private set; }
    /// <summary>The building number as people say it: "3", "12", "A座".</summary>
    public string Number { get; private set; } = "";
    public BuildingKind Kind { get; private set; }
    public int Floors { get; private set; }
    public int EntranceCount { get; private set; }
    public int HomesPerFloor { get; private set; }
    public bool IsRetired { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public List<Entrance> Entrances { get; private set; } = [];
    public List<Home> Homes { get; private set; } = [];

    private Building() { }

    public static Building Create(Estate estate, string number, BuildingKind kind, int floors, int entrances, int homesPerFloor, DateTime now)
    {
        if (estate.IsRetired) throw new DomainException("places.estate_retired");
        CheckShape(floors, entrances, homesPerFloor);
        var building = new Building
        {
            CommunityId = estate.CommunityId,
            EstateId = estate.Id,
            Number = number.Trim(),
            Kind = kind,
            Floors = floors,
            EntranceCount = entrances,
            HomesPerFloor = homesPerFloor,
            CreatedAt = now,
        };
        for (var e = 1; e <= entrances; e++)
        {
            var entrance = new Entrance(building, e);
            building.Entrances.Add(entrance);
            for (var f = 1; f <= floors; f++)
            {
                for (var h = 1; h <= homesPerFloor; h++) building.Homes.Add(new Home(building, entrance, f, h));
            }
        }
        return building;
    }

    /// <summary>Changes what does not move homes: the number and the kind. Homes stay as they are.</summary>
    public void Update(string number, BuildingKind kind)
    {
        Number = number.Trim();
        Kind = kind;
    }

    public void Retire() => IsRetired = true;

    public void Restore() => IsRetired = false;

    public static void CheckShape(int floors, int entrances, int homesPerFloor)
    {
        if (floors is < 1 or > MaxFloors) throw DomainException.Invalid("Floors", "validation.range_of", "field.floors", 1, MaxFloors);
        if (entrances is < 1 or > MaxEntrances) throw DomainException.Invalid("Entrances", "validation.range_of", "field.entrances", 1, MaxEntrances);
        if (homesPerFloor is < 1 or > MaxHomesPerFloor) throw DomainException.Invalid("HomesPerFloor", "validation.range_of", "field.homes_per_floor", 1, MaxHomesPerFloor);
    }
}

/// <summary>An entrance 单元: a stairway of a building.</summary>
public sealed class Entrance : ICommunityOwned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid BuildingId { get; private set; }
    public int Number { get; private set; }

    private Entrance() { }

    internal Entrance(Building building, int number)
    {
        CommunityId = building.CommunityId;
        BuildingId = building.Id;
        Number = number;
    }
}

/// <summary>A home 户: a dwelling at building + entrance + floor + number.</summary>
public sealed class Home : IReferenceData
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid BuildingId { get; private set; }
    public Guid EntranceId { get; private set; }
    public int EntranceNumber { get; private set; }
    public int Floor { get; private set; }
    /// <summary>The door number, floor then two digits: 1801.</summary>
    public string Number { get; private set; } = "";
    public bool IsRetired { get; private set; }

    private Home() { }

    internal Home(Building building, Entrance entrance, int floor, int index)
    {
        CommunityId = building.CommunityId;
        BuildingId = building.Id;
        EntranceId = entrance.Id;
        EntranceNumber = entrance.Number;
        Floor = floor;
        Number = $"{floor}{index:00}";
    }

    /// <summary>How an office writes it: 1-1801.</summary>
    public string Label => $"{EntranceNumber}-{Number}";
}

public sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> b)
    {
        b.Property(x => x.Number).HasMaxLength(Building.NumberMax);
        b.HasIndex(x => new { x.CommunityId, x.EstateId, x.Number }).IsUnique();
        b.HasMany(x => x.Entrances).WithOne().HasForeignKey(e => e.BuildingId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Homes).WithOne().HasForeignKey(h => h.BuildingId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class EntranceConfiguration : IEntityTypeConfiguration<Entrance>
{
    public void Configure(EntityTypeBuilder<Entrance> b)
    {
        b.HasIndex(x => new { x.CommunityId, x.BuildingId, x.Number }).IsUnique();
    }
}

public sealed class HomeConfiguration : IEntityTypeConfiguration<Home>
{
    public void Configure(EntityTypeBuilder<Home> b)
    {
        b.Property(x => x.Number).HasMaxLength(10);
        b.HasIndex(x => new { x.CommunityId, x.BuildingId, x.EntranceNumber, x.Number }).IsUnique();
        b.HasOne<Entrance>().WithMany().HasForeignKey(x => x.EntranceId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.Label);
    }
}
