using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Grids;

public enum GridLevel
{
    /// <summary>网格: a part of the community, made of whole buildings.</summary>
    Grid = 1,
    /// <summary>微网格: a part of a grid, a building or an entrance.</summary>
    MicroGrid = 2,
}

/// <summary>The five levels of the "red butler" team 红管家 (seed 000).</summary>
public enum RedButlerRole
{
    GridChief = 1,
    GridPartyMember = 2,
    MicroGridMember = 3,
    PropertyStaff = 4,
    OwnersCommitteeMember = 5,
}

/// <summary>
/// A grid 网格 or micro-grid 微网格. Grids partition a community's buildings: a building is in at most one grid,
/// an entrance in at most one micro-grid, and a micro-grid stays inside its parent grid's buildings.
/// "Small matters stay in the grid."
/// </summary>
public sealed class Grid : IReferenceData
{
    public const int NameMax = 50;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public GridLevel Level { get; private set; }
    public Guid? ParentId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public List<GridArea> Areas { get; private set; } = [];
    public List<GridMember> Members { get; private set; } = [];

    private Grid() { }

    public static Grid Create(Guid communityId, string name, DateTime now) =>
        new() { CommunityId = communityId, Level = GridLevel.Grid, Name = name.Trim(), CreatedAt = now };

    public static Grid CreateMicro(Grid parent, string name, DateTime now)
    {
        if (parent.Level != GridLevel.Grid) throw new DomainException("grids.micro_in_micro");
        return new() { CommunityId = parent.CommunityId, Level = GridLevel.MicroGrid, ParentId = parent.Id, Name = name.Trim(), CreatedAt = now };
    }

    public void Rename(string name) => Name = name.Trim();

    /// <summary>
    /// Assigns a whole building (entrance 0) or one entrance. <paramref name="taken"/> are the areas already
    /// assigned at this level in the community; <paramref name="parentBuildings"/> the buildings of the parent grid.
    /// </summary>
    public GridArea Assign(Building building, int entranceNumber, IReadOnlyCollection<GridArea> taken, IReadOnlyCollection<Guid>? parentBuildings)
    {
        if (building.CommunityId != CommunityId) throw new NotFoundException();
        if (building.IsRetired) throw new DomainException("places.building_retired");
        if (Level == GridLevel.Grid && entranceNumber != 0) throw new DomainException("grids.grid_takes_whole_buildings");
        if (entranceNumber < 0 || entranceNumber > building.EntranceCount) throw DomainException.Invalid("EntranceNumber", "grids.no_such_entrance");
        if (Level == GridLevel.MicroGrid && (parentBuildings is null || !parentBuildings.Contains(building.Id)))
            throw new DomainException("grids.outside_parent");
        var clash = taken.FirstOrDefault(a => a.BuildingId == building.Id && (a.EntranceNumber == 0 || entranceNumber == 0 || a.EntranceNumber == entranceNumber));
        if (clash is not null)
            throw new DomainException(clash.GridId == Id ? "grids.already_here" : "grids.taken_by_other", [building.Number]);
        var area = new GridArea(this, building.Id, entranceNumber);
        Areas.Add(area);
        return area;
    }

    public GridMember AddMember(RedButlerRole role, string name, string phone, Guid? userId)
    {
        if (Members.Any(m => m.Phone == phone && m.Role == role)) throw new DomainException("grids.member_exists");
        var member = new GridMember(this, role, name.Trim(), phone.Trim(), userId);
        Members.Add(member);
        return member;
    }
}

/// <summary>A building (EntranceNumber 0) or one entrance assigned to a grid or micro-grid.</summary>
public sealed class GridArea : IReferenceData
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid GridId { get; private set; }
    public GridLevel Level { get; private set; }
    public Guid BuildingId { get; private set; }
    public int EntranceNumber { get; private set; }

    private GridArea() { }

    internal GridArea(Grid grid, Guid buildingId, int entranceNumber)
    {
        CommunityId = grid.CommunityId;
        GridId = grid.Id;
        Level = grid.Level;
        BuildingId = buildingId;
        EntranceNumber = entranceNumber;
    }
}

/// <summary>A member of a grid's red-butler team; linked to an account when the person has one.</summary>
public sealed class GridMember : IReferenceData
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid GridId { get; private set; }
    public RedButlerRole Role { get; private set; }
    public string Name { get; private set; } = "";
    public string Phone { get; private set; } = "";
    public Guid? UserId { get; private set; }

    private GridMember() { }

    internal GridMember(Grid grid, RedButlerRole role, string name, string phone, Guid? userId)
    {
        CommunityId = grid.CommunityId;
        GridId = grid.Id;
        Role = role;
        Name = name;
        Phone = phone;
        UserId = userId;
    }

    public void LinkUser(Guid? userId) => UserId = userId;
}

public sealed class GridConfiguration : IEntityTypeConfiguration<Grid>
{
    public void Configure(EntityTypeBuilder<Grid> b)
    {
        b.Property(x => x.Name).HasMaxLength(Grid.NameMax);
        b.HasIndex(x => new { x.CommunityId, x.Name }).IsUnique();
        b.HasOne<Grid>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Areas).WithOne().HasForeignKey(a => a.GridId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Members).WithOne().HasForeignKey(m => m.GridId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class GridAreaConfiguration : IEntityTypeConfiguration<GridArea>
{
    public void Configure(EntityTypeBuilder<GridArea> b)
    {
        b.HasIndex(x => new { x.CommunityId, x.Level, x.BuildingId, x.EntranceNumber }).IsUnique();
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class GridMemberConfiguration : IEntityTypeConfiguration<GridMember>
{
    public void Configure(EntityTypeBuilder<GridMember> b)
    {
        b.Property(x => x.Name).HasMaxLength(50);
        b.Property(x => x.Phone).HasMaxLength(11).IsUnicode(false);
        b.HasIndex(x => new { x.CommunityId, x.GridId });
    }
}
