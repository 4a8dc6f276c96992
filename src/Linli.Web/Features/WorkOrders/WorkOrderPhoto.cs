using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.WorkOrders;

public enum PhotoStage
{
    /// <summary>What the reporter saw (随手拍), up to nine.</summary>
    Before = 1,
    /// <summary>What the handler left (after the fix), up to nine.</summary>
    After = 2,
}

/// <summary>A photo of an order: the files (re-encoded, without metadata) and who added it when.</summary>
public sealed class WorkOrderPhoto : ICommunityOwned
{
    public const int MaxPerStage = 9;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid WorkOrderId { get; private set; }
    public PhotoStage Stage { get; private set; }
    public string File { get; private set; } = "";
    public string Thumbnail { get; private set; } = "";
    public int Width { get; private set; }
    public int Height { get; private set; }
    public Guid? AddedBy { get; private set; }
    public DateTime AddedAt { get; private set; }

    private WorkOrderPhoto() { }

    public WorkOrderPhoto(Guid id, WorkOrder order, PhotoStage stage, string file, string thumbnail, int width, int height, Guid? addedBy, DateTime now)
    {
        Id = id;
        CommunityId = order.CommunityId;
        WorkOrderId = order.Id;
        Stage = stage;
        File = file;
        Thumbnail = thumbnail;
        Width = width;
        Height = height;
        AddedBy = addedBy;
        AddedAt = now;
    }
}

public sealed class WorkOrderPhotoConfiguration : IEntityTypeConfiguration<WorkOrderPhoto>
{
    public void Configure(EntityTypeBuilder<WorkOrderPhoto> b)
    {
        b.Property(x => x.File).HasMaxLength(200).IsUnicode(false);
        b.Property(x => x.Thumbnail).HasMaxLength(200).IsUnicode(false);
        b.Property(x => x.Stage).HasConversion<string>().HasMaxLength(10);
        b.HasIndex(x => new { x.CommunityId, x.WorkOrderId, x.Stage });
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
    }
}
