using Linli.Web.Features.Calendar;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Media;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

/// <summary>What a step may carry: a handler (dispatch, transfer), a reason or note, a result, a rating, hours, a decision.</summary>
public sealed class StepInput
{
    public HandlerInput? Handler { get; set; }
    public string? Reason { get; set; }
    public string? Result { get; set; }
    public int? Rating { get; set; }
    public string? Comment { get; set; }
    public int? Hours { get; set; }
    public bool? Approve { get; set; }
}

/// <summary>
/// Taking a step of the flow, as <see cref="WorkOrderFlow"/> describes it, for the console, the resident's page and the
/// API alike: a step the caller may not take on an order they can see is a 403, one the flow does not allow now a 409,
/// and either way the order is unchanged. Completing may bring after-photos: the step, its notifications and the photos
/// are one save, and the photo files of a failed save are removed.
/// </summary>
public sealed class WorkOrderSteps(WorkOrderCaller caller, WorkOrderRouting routing, WorkCalendarService calendar,
    WorkOrderNotifier notifier, WorkOrderPhotos photos)
{
    public async Task<WorkOrder> TakeAsync(Guid id, string step, StepInput input, IReadOnlyList<PreparedPhoto>? afterPhotos = null, CancellationToken ct = default)
    {
        var row = WorkOrderFlow.Find(step) ?? throw new NotFoundException();
        afterPhotos ??= [];
        var o = await caller.Visible().Include(x => x.Events.Where(e => false)).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        if (afterPhotos.Count > 0 && !row.Reads(StepFields.Photos)) throw new DomainException("photos.not_now", status: StatusCodes.Status409Conflict);
        WorkOrderFlow.Check(row, o, caller.PartiesOf(o));
        // A dispatch without a handler goes where the routing sends it now; a transfer must name one.
        Handler? handler = null;
        if (row.Reads(StepFields.Handler))
            handler = input.Handler is { } given ? await routing.ResolveHandlerAsync(o.CommunityId, given, ct)
                : row.Needs.HasFlag(StepFields.Handler) ? null : (await routing.RouteNowAsync(o, ct))?.Handler;
        var time = row.UsesCalendar ? await calendar.CurrentAsync(ct) : WorkingTime.Clock;
        var now = caller.Now;
        row.Apply(o, new StepContext(caller.Actor, now, input, handler, time));
        if (afterPhotos.Count > 0) await photos.CheckRoomAsync(o.Id, PhotoStage.After, afterPhotos.Count, ct);
        await notifier.AddForNewStepsAsync(o, ct);
        // The files last, once everything else has said yes; they go with the step's save or not at all.
        await photos.SaveWithAsync(o, PhotoStage.After, await photos.WriteAsync(o.CommunityId, afterPhotos, now, ct), now, ct);
        return o;
    }
}
