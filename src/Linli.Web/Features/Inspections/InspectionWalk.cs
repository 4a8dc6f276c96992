using Linli.Web.Features.Places;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Inspections;

/// <summary>
/// An inspection walk 走访找问题 (seed 001: staff walk the estate building by building, floor by floor, and fix what they
/// find): one estate, its buildings as they were when the walk started, each marked once it has been walked, and the
/// problems found, each of which became a work order. Coverage is buildings walked / buildings of the walk. An estate
/// has one open walk at a time, which everyone out there records into; a finished walk takes nothing more.
/// </summary>
public sealed class InspectionWalk : ICommunityOwned
{
    public const int NoteMax = 500;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid EstateId { get; private set; }
    public string? Note { get; private set; }
    public Guid? StartedById { get; private set; }
    public string StartedByName { get; private set; } = "";
    public DateTime StartedAt { get; private set; }
    public Guid? FinishedById { get; private set; }
    public string? FinishedByName { get; private set; }
    public DateTime? FinishedAt { get; private set; }
    public List<InspectionBuilding> Buildings { get; private set; } = [];
    public List<InspectionProblem> Problems { get; private set; } = [];

    public bool IsFinished => FinishedAt is not null;

    private InspectionWalk() { }

    /// <summary>A walk of <paramref name="estate"/> over its buildings in use now (a building added later is not part of it).</summary>
    public static InspectionWalk Start(Estate estate, IEnumerable<Building> buildings, string? note, Actor by, DateTime now)
    {
        if (estate.IsRetired) throw DomainException.Invalid("EstateId", "inspections.estate_retired");
        var walk = new InspectionWalk
        {
            CommunityId = estate.CommunityId,
            EstateId = estate.Id,
            Note = Clean(note),
            StartedById = by.AccountId,
            StartedByName = Name(by),
            StartedAt = now,
        };
        walk.Buildings.AddRange(buildings.Where(b => b.EstateId == estate.Id && !b.IsRetired).Select(b => new InspectionBuilding(walk, b)));
        if (walk.Buildings.Count == 0) throw DomainException.Invalid("EstateId", "inspections.estate_no_buildings");
        return walk;
    }

    /// <summary>
    /// Marks a building walked. Idempotent: a phone on a weak network sends twice, two people finish the same building;
    /// the first mark (who, when) stays and the second changes nothing.
    /// </summary>
    public InspectionBuilding MarkWalked(Guid buildingId, Actor by, DateTime now)
    {
        EnsureOpen();
        var b = BuildingOf(buildingId);
        b.MarkWalked(by, now);
        return b;
    }

    /// <summary>
    /// Where a problem goes, checked before its work order is made (so a refused problem leaves no order behind): the
    /// walk is open, the building is one of the walk's, the entrance one of the building's.
    /// </summary>
    public InspectionBuilding CheckProblemPlace(Building building, int? entranceNumber)
    {
        EnsureOpen();
        var b = BuildingOf(building.Id);
        if (entranceNumber is { } e && (e < 1 || e > building.EntranceCount)) throw DomainException.Invalid("EntranceNumber", "inspections.entrance_unknown");
        return b;
    }

    /// <summary>Records a problem found at a building, with the work order made for it.</summary>
    public InspectionProblem RecordProblem(Building building, int? entranceNumber, WorkOrder order, int photos, Actor by, DateTime now)
    {
        CheckProblemPlace(building, entranceNumber);
        if (order.CommunityId != CommunityId || order.BuildingId != building.Id || order.Channel != Channel.InspectionWalk)
            throw new InvalidOperationException("A walk's problem needs a work order of the walk's channel at the same building.");
        if (photos > WorkOrderPhoto.MaxPerStage) throw DomainException.Invalid("Photos", "photos.too_many", WorkOrderPhoto.MaxPerStage);
        var problem = new InspectionProblem(this, building.Id, entranceNumber, order, photos, by, now);
        Problems.Add(problem);
        return problem;
    }

    /// <summary>Ends the walk, whatever its coverage (a walk may stop at building 9 and the next one start there).</summary>
    public void Finish(Actor by, DateTime now)
    {
        EnsureOpen();
        FinishedAt = now;
        FinishedById = by.AccountId;
        FinishedByName = Name(by);
    }

    private void EnsureOpen()
    {
        if (IsFinished) throw new DomainException("inspections.finished");
    }

    /// <summary>A building of another estate (or one added to the estate after the walk started) is not part of the walk.</summary>
    private InspectionBuilding BuildingOf(Guid buildingId) =>
        Buildings.FirstOrDefault(b => b.BuildingId == buildingId) ?? throw DomainException.Invalid("BuildingId", "inspections.building_not_in_walk");

    private static string? Clean(string? note)
    {
        if (string.IsNullOrWhiteSpace(note)) return null;
        note = note.Trim();
        return note.Length > NoteMax ? throw DomainException.Invalid("Note", "validation.too_long", "field.note", NoteMax) : note;
    }

    internal static string Name(Actor by) => by.Name.Length > Handler.NameMax ? by.Name[..Handler.NameMax] : by.Name;
}

/// <summary>One building of a walk: walked or not yet, by whom and when. Its problems are counted from the walk's problems.</summary>
public sealed class InspectionBuilding : ICommunityOwned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid WalkId { get; private set; }
    public Guid BuildingId { get; private set; }
    public Guid? WalkedById { get; private set; }
    public string? WalkedByName { get; private set; }
    public DateTime? WalkedAt { get; private set; }

    public bool IsWalked => WalkedAt is not null;

    private InspectionBuilding() { }

    internal InspectionBuilding(InspectionWalk walk, Building building)
    {
        CommunityId = walk.CommunityId;
        WalkId = walk.Id;
        BuildingId = building.Id;
    }

    internal void MarkWalked(Actor by, DateTime now)
    {
        if (IsWalked) return;
        WalkedAt = now;
        WalkedById = by.AccountId;
        WalkedByName = InspectionWalk.Name(by);
    }
}

/// <summary>
/// A problem found on a walk: where (building, entrance), what (category, description, as recorded on the spot) and
/// the work order it became, whose before-photos are the ones taken there.
/// </summary>
public sealed class InspectionProblem : ICommunityOwned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid WalkId { get; private set; }
    public Guid BuildingId { get; private set; }
    public int? EntranceNumber { get; private set; }
    public Guid CategoryId { get; private set; }
    public string Description { get; private set; } = "";
    public int PhotoCount { get; private set; }
    public Guid WorkOrderId { get; private set; }
    public string WorkOrderNumber { get; private set; } = "";
    public Guid? RecordedById { get; private set; }
    public string RecordedByName { get; private set; } = "";
    public DateTime RecordedAt { get; private set; }

    private InspectionProblem() { }

    internal InspectionProblem(InspectionWalk walk, Guid buildingId, int? entranceNumber, WorkOrder order, int photos, Actor by, DateTime now)
    {
        CommunityId = walk.CommunityId;
        WalkId = walk.Id;
        BuildingId = buildingId;
        EntranceNumber = entranceNumber;
        CategoryId = order.CategoryId;
        Description = order.Description;
        PhotoCount = photos;
        WorkOrderId = order.Id;
        WorkOrderNumber = order.Number;
        RecordedById = by.AccountId;
        RecordedByName = InspectionWalk.Name(by);
        RecordedAt = now;
    }
}

public sealed class InspectionWalkConfiguration : IEntityTypeConfiguration<InspectionWalk>
{
    public void Configure(EntityTypeBuilder<InspectionWalk> b)
    {
        b.Property(x => x.Note).HasMaxLength(InspectionWalk.NoteMax);
        b.Property(x => x.StartedByName).HasMaxLength(Handler.NameMax);
        b.Property(x => x.FinishedByName).HasMaxLength(Handler.NameMax);
        b.HasIndex(x => new { x.CommunityId, x.StartedAt });
        // One open walk per estate: two people starting at once get a 409 (error.duplicate) instead of two half walks.
        b.HasIndex(x => new { x.CommunityId, x.EstateId }).IsUnique().HasFilter("\"FinishedAt\" IS NULL").HasDatabaseName("IX_InspectionWalks_OpenPerEstate");
        b.HasOne<Estate>().WithMany().HasForeignKey(x => x.EstateId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Buildings).WithOne().HasForeignKey(x => x.WalkId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Problems).WithOne().HasForeignKey(x => x.WalkId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(x => x.IsFinished);
    }
}

public sealed class InspectionBuildingConfiguration : IEntityTypeConfiguration<InspectionBuilding>
{
    public void Configure(EntityTypeBuilder<InspectionBuilding> b)
    {
        b.Property(x => x.WalkedByName).HasMaxLength(Handler.NameMax);
        b.HasIndex(x => new { x.CommunityId, x.WalkId, x.BuildingId }).IsUnique();
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.IsWalked);
    }
}

public sealed class InspectionProblemConfiguration : IEntityTypeConfiguration<InspectionProblem>
{
    public void Configure(EntityTypeBuilder<InspectionProblem> b)
    {
        b.Property(x => x.Description).HasMaxLength(WorkOrder.DescriptionMax);
        b.Property(x => x.WorkOrderNumber).HasMaxLength(20).IsUnicode(false);
        b.Property(x => x.RecordedByName).HasMaxLength(Handler.NameMax);
        b.HasIndex(x => new { x.CommunityId, x.WalkId, x.BuildingId });
        b.HasIndex(x => x.WorkOrderId).IsUnique();
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrderCategory>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Restrict);
    }
}
