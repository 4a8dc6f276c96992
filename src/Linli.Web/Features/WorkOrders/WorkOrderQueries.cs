using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

public sealed record WorkOrderRow(Guid Id, string Number, Channel Channel, string Category, WorkOrderStatus Status, string Place, string? HandlerName,
    DateTime CreatedAt, DateTime ResolutionDueAt, bool Overdue, int UrgeCount);

public sealed record TimelineEntry(Step Step, DateTime At, string ActorName, string? Note, string PlainText);

public sealed record WorkOrderDetail(Guid Id, string Number, Channel Channel, Guid CategoryId, string Category, WorkOrderStatus Status, string Description,
    string Place, HandlerKind? HandlerKind, Guid? HandlerId, string? HandlerName, DateTime CreatedAt, DateTime ResponseDueAt, DateTime ResolutionDueAt,
    DateTime? DoneAt, string? Result, int? Rating, string? RatingComment, int ReopenCount, int UrgeCount, int? ExtensionHoursRequested,
    IReadOnlyList<string> AllowedSteps, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<PhotoRow> Photos, Guid? DuplicateOfId = null,
    int Version = 0, Tier Tier = Tier.Community, bool Overdue = false, Guid? ResidentId = null);

/// <summary>What an open order page polls (<c>?handler=Live&amp;v=N</c>): its live part, re-rendered only when the version moved.</summary>
public sealed record OrderLive(WorkOrderDetail Order, bool Staff, string PollUrl, bool Changed);

public sealed record PhotoRow(Guid Id, PhotoStage Stage, string Url, string ThumbnailUrl)
{
    public static PhotoRow Of(Guid orderId, Guid photoId, PhotoStage stage) =>
        new(photoId, stage, $"/api/work-orders/{orderId}/photos/{photoId}", $"/api/work-orders/{orderId}/photos/{photoId}?thumb=true");
}

/// <summary>
/// Reading orders as the caller may see them (<see cref="WorkOrderCaller.Visible"/>): the lists, one order's detail with
/// the steps the caller may take now (<see cref="WorkOrderFlow.Allowed"/>), the version the live pages poll. Staff read
/// the whole timeline; a resident a plain-language line per step, without staff names or internal notes.
/// </summary>
public sealed class WorkOrderQueries(AppDbContext db, WorkOrderCaller caller, WorkOrderReference reference, Texts t)
{
    public async Task<List<WorkOrderRow>> ListAsync(Guid? communityId, WorkOrderStatus? status = null, bool mine = false, int take = 100, CancellationToken ct = default)
    {
        var q = caller.Visible().AsNoTracking();
        if (communityId is { } c) q = q.Where(o => o.CommunityId == c);
        if (status is { } s) q = q.Where(o => o.Status == s);
        if (mine && caller.Me is { } me) q = q.Where(o => o.ReporterAccountId == me || o.HandlerId == me);
        var rows = await q.OrderByDescending(o => o.CreatedAt).Take(Math.Clamp(take, 1, 500))
            .Select(o => new
            {
                o.Id, o.Number, o.Channel, o.CategoryId, o.Status, o.EstateId, o.BuildingId, o.EntranceNumber, o.HomeId, o.PlaceText, o.HandlerName,
                o.CreatedAt, o.ResolutionDueAt, o.UrgeCount, o.TakenAt, o.ResponseOverdueAt, o.ResolutionOverdueAt
            })
            .ToListAsync(ct);
        var names = await reference.CategoryNamesAsync(rows.Select(r => r.CategoryId), ct);
        var places = await reference.PlaceLabelsAsync(rows.Select(r => (r.EstateId, r.BuildingId, r.EntranceNumber, r.HomeId, r.PlaceText)), ct);
        return rows.Select(r => new WorkOrderRow(r.Id, r.Number, r.Channel, names.GetValueOrDefault(r.CategoryId, "?"), r.Status,
            places[(r.EstateId, r.BuildingId, r.EntranceNumber, r.HomeId, r.PlaceText)], r.HandlerName, r.CreatedAt, r.ResolutionDueAt,
            WorkOrder.IsOverdueWith(r.Status, r.TakenAt, r.ResponseOverdueAt, r.ResolutionOverdueAt), r.UrgeCount)).ToList();
    }

    public async Task<WorkOrderDetail> DetailAsync(Guid id, CancellationToken ct = default)
    {
        var o = await caller.Visible().AsNoTracking().Include(x => x.Events).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        var photoRows = (await db.WorkOrderPhotos.AsNoTracking().Where(p => p.WorkOrderId == o.Id).OrderBy(p => p.AddedAt)
            .Select(p => new { p.Id, p.Stage }).ToListAsync(ct)).Select(p => PhotoRow.Of(o.Id, p.Id, p.Stage)).ToList();
        var category = (await reference.CategoryNamesAsync([o.CategoryId], ct)).GetValueOrDefault(o.CategoryId, "?");
        var place = (await reference.PlaceLabelsAsync([(o.EstateId, o.BuildingId, o.EntranceNumber, o.HomeId, o.PlaceText)], ct)).Values.First();
        return Detail(o, category, place, photoRows);
    }

    /// <summary>
    /// The detail of an order this caller has just reported, from what the report read and saved: it is not read back
    /// (the reporter and community staff always see what they reported; anyone else gets it only as <see cref="DetailAsync"/>
    /// would show it).
    /// </summary>
    public async Task<WorkOrderDetail> ReportedDetailAsync(Reported r, CancellationToken ct = default)
    {
        if (r.Order.ReporterAccountId != caller.Me && !caller.IsCommunityStaff) return await DetailAsync(r.Order.Id, ct);
        return Detail(r.Order, r.Category, r.Place, r.Photos.Select(p => PhotoRow.Of(r.Order.Id, p.Id, p.Stage)).ToList());
    }

    private WorkOrderDetail Detail(WorkOrder o, string category, string place, List<PhotoRow> photoRows)
    {
        var staffView = caller.IsStaffView;
        return new WorkOrderDetail(o.Id, o.Number, o.Channel, o.CategoryId, category, o.Status, o.Description, place, o.HandlerKind, o.HandlerId,
            o.HandlerName, o.CreatedAt, o.ResponseDueAt, o.ResolutionDueAt, o.DoneAt, o.Result, o.Rating, o.RatingComment, o.ReopenCount, o.UrgeCount,
            o.ExtensionHoursRequested, WorkOrderFlow.Allowed(o, caller.PartiesOf(o)),
            o.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new TimelineEntry(e.Step, e.At, staffView ? ActorLabel(e) : "", staffView ? e.Note : PublicNote(e),
                t.Get("workorders.plain." + e.Step))).ToList(),
            photoRows, o.DuplicateOfId, o.Version, o.Tier, o.IsOverdue, o.ResidentId);
    }

    private string ActorLabel(WorkOrderEvent e) => e.ActorId is null && e.ActorName == Actor.System.Name ? t.Get("workorders.actor_system") : e.ActorName;

    /// <summary>What a resident may read of a step's note: the handler's result and their own words, not staff's internal notes.</summary>
    private static string? PublicNote(WorkOrderEvent e) => e.Step is Step.Completed or Step.ReturnVisited or Step.Dispatched or Step.Transferred ? e.Note : null;

    /// <summary>The order's version, for the live page's cheap "anything new?" poll (404 when the caller cannot see it).</summary>
    public async Task<int> VersionAsync(Guid id, CancellationToken ct = default) =>
        await caller.Visible().Where(o => o.Id == id).Select(o => (int?)o.Version).FirstOrDefaultAsync(ct) ?? throw new NotFoundException();
}
