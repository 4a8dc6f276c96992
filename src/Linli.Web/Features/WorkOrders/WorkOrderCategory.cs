using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// A kind of problem residents report (水电维修 › 管道堵塞, 环境卫生 …): a tree the community edits. Each category
/// carries its time limits, whether it may appear on the public board, whether it stays in the grid first, and the
/// default handler the routing falls back to.
/// </summary>
public sealed class WorkOrderCategory : IReferenceData
{
    public const int NameMax = 30;
    public const int MaxHours = 24 * 90;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid? ParentId { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Hours until a handler must have taken the order (响应时限).</summary>
    public int ResponseHours { get; private set; }
    /// <summary>Hours until the order must be done (办结时限).</summary>
    public int ResolutionHours { get; private set; }
    /// <summary>How many hours before a limit the handler is warned.</summary>
    public int WarningLeadHours { get; private set; }
    /// <summary>Limits count working hours of the community's calendar, not clock hours.</summary>
    public bool WorkingHours { get; private set; }
    /// <summary>Fixed orders of this category may appear on the public board (公示栏), without personal data.</summary>
    public bool Public { get; private set; }
    /// <summary>"Small matters stay in the grid": orders go to the place's grid first.</summary>
    public bool GridFirst { get; private set; }
    public HandlerKind? DefaultHandlerKind { get; private set; }
    public Guid? DefaultHandlerId { get; private set; }
    public string? DefaultHandlerName { get; private set; }
    public int SortOrder { get; private set; }
    public bool IsRetired { get; private set; }

    private WorkOrderCategory() { }

    public WorkOrderCategory(Guid communityId, WorkOrderCategory? parent, string name, int responseHours, int resolutionHours, int warningLeadHours,
        bool workingHours, bool isPublic, bool gridFirst, int sortOrder = 0)
    {
        if (parent is not null && (parent.CommunityId != communityId || parent.ParentId is not null))
            throw DomainException.Invalid("ParentId", "workorders.category_parent");
        CommunityId = communityId;
        ParentId = parent?.Id;
        SortOrder = sortOrder;
        Update(name, responseHours, resolutionHours, warningLeadHours, workingHours, isPublic, gridFirst);
    }

    public void Update(string name, int responseHours, int resolutionHours, int warningLeadHours, bool workingHours, bool isPublic, bool gridFirst)
    {
        name = name.Trim();
        if (name.Length == 0) throw DomainException.Invalid("Name", "validation.required", "field.category_name");
        if (name.Length > NameMax) throw DomainException.Invalid("Name", "validation.too_long", "field.category_name", NameMax);
        if (responseHours is < 1 or > MaxHours) throw DomainException.Invalid("ResponseHours", "validation.range", "field.response_hours", 1, MaxHours);
        if (resolutionHours < responseHours || resolutionHours > MaxHours)
            throw DomainException.Invalid("ResolutionHours", "workorders.resolution_before_response");
        if (warningLeadHours < 0 || warningLeadHours >= resolutionHours)
            throw DomainException.Invalid("WarningLeadHours", "validation.range", "field.warning_lead_hours", 0, resolutionHours - 1);
        Name = name;
        ResponseHours = responseHours;
        ResolutionHours = resolutionHours;
        WarningLeadHours = warningLeadHours;
        WorkingHours = workingHours;
        Public = isPublic;
        GridFirst = gridFirst;
    }

    public void SetDefaultHandler(Handler? handler)
    {
        DefaultHandlerKind = handler?.Kind;
        DefaultHandlerId = handler?.Id;
        DefaultHandlerName = handler?.Name;
    }

    public Handler? DefaultHandler => DefaultHandlerKind is { } k && DefaultHandlerId is { } id ? new Handler(k, id, DefaultHandlerName ?? "") : null;

    public void Retire() => IsRetired = true;
    public void Restore() => IsRetired = false;

    /// <summary>The categories a new community starts with (the seed stories' kinds of problems); the office edits them.</summary>
    public static IEnumerable<WorkOrderCategory> Defaults(Guid communityId)
    {
        // Repairs and hazards run on the clock; what the office itself answers (disputes, policy questions) on working hours.
        WorkOrderCategory Top(string name, int response, int resolution, bool isPublic, bool gridFirst, int order, bool workingHours = false) =>
            new(communityId, null, name, response, resolution, Math.Max(1, resolution / 4), workingHours, isPublic, gridFirst, order);
        var water = Top("水电维修", 2, 24, true, false, 1);
        var env = Top("环境卫生", 4, 24, true, true, 2);
        var dispute = Top("邻里纠纷", 4, 24, false, true, 3, workingHours: true);
        var facility = Top("公共设施", 4, 72, true, false, 4);
        var safety = Top("安全隐患", 1, 24, true, false, 5);
        var policy = Top("政策咨询", 4, 16, false, false, 6, workingHours: true);
        return
        [
            water, env, dispute, facility, safety, policy,
            new(communityId, water, "管道堵塞", 1, 8, 2, false, true, false, 1),
            new(communityId, water, "漏水", 1, 8, 2, false, true, false, 2),
            new(communityId, water, "停电跳闸", 1, 4, 1, false, true, false, 3),
            new(communityId, facility, "路灯", 4, 72, 12, false, true, false, 1),
            new(communityId, facility, "电梯", 1, 24, 4, false, true, false, 2),
        ];
    }
}

public sealed class WorkOrderCategoryConfiguration : IEntityTypeConfiguration<WorkOrderCategory>
{
    public void Configure(EntityTypeBuilder<WorkOrderCategory> b)
    {
        b.Property(x => x.Name).HasMaxLength(WorkOrderCategory.NameMax);
        b.Property(x => x.DefaultHandlerName).HasMaxLength(Handler.NameMax);
        b.Property(x => x.DefaultHandlerKind).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.CommunityId, x.ParentId, x.Name }).IsUnique();
        b.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrderCategory>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.DefaultHandler);
    }
}
