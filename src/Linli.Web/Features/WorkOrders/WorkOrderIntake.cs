using System.Globalization;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.Residents;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Media;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

public sealed class PlaceInput
{
    public Guid? EstateId { get; set; }
    public Guid? BuildingId { get; set; }
    public int? EntranceNumber { get; set; }
    public Guid? HomeId { get; set; }
    public string? Text { get; set; }
}

public sealed class NewWorkOrder
{
    /// <summary>The reporter saw the duplicate hint and says it is the same problem as this open order.</summary>
    public Guid? DuplicateOfId { get; set; }
    public Guid? CommunityId { get; set; }
    public Guid CategoryId { get; set; }
    public string? Description { get; set; }
    public PlaceInput Place { get; set; } = new();
    /// <summary>Staff only: Phone or Visit (on a resident's behalf), GridPatrol. A resident's report is always ResidentApp.</summary>
    public Channel? Channel { get; set; }
    /// <summary>Staff: the resident from the registry the order is for.</summary>
    public Guid? ResidentId { get; set; }
}

/// <summary>A new order as it was saved, with the labels the report read for it and its before-photos: its detail needs no further read.</summary>
public sealed record Reported(WorkOrder Order, string Category, string Place, IReadOnlyList<WorkOrderPhoto> Photos);

/// <summary>An open order that looks like the same problem: same category, same building. No personal data (a resident sees it too).</summary>
public sealed record SimilarOrder(Guid Id, string Number, string Category, string Place, WorkOrderStatus Status, DateTime CreatedAt);

/// <summary>
/// The duplicate hint as a form shows it (partial Shared/_SimilarOrders): the open similar orders, the radio field that links
/// one (<see cref="NewWorkOrder.DuplicateOfId"/>), the choice made, a link to each order for staff (residents see no other
/// order), a message beside it, and a hidden field that says which orders the form has shown.
/// </summary>
public sealed record SimilarHint(IReadOnlyList<SimilarOrder> Orders, string Field, Guid? Selected = null, string? OrderLink = null, string? Error = null,
    string? ShownField = null);

/// <summary>
/// Orders coming in, from every channel: a resident's report (with its photos), staff entering one on a resident's
/// behalf, a grid member's patrol, an inspection walk's problem; and the duplicate hint before it. A report is saved as
/// one unit (the order, its first steps, their notifications and its photos), handed to <see cref="InsertBatcher"/> so
/// concurrent reports share a commit; a failed save leaves nothing behind, photo files included.
/// </summary>
public sealed class WorkOrderIntake(AppDbContext db, WorkOrderCaller caller, WorkOrderReference reference, WorkOrderRouting routing,
    WorkCalendarService calendar, WorkOrderNotifier notifier, WorkOrderNumbers numbers, ResidentsService residents, InsertBatcher inserts,
    WorkOrderPhotos photos)
{
    /// <summary>
    /// Reports an order with its before-photos (already checked by their bytes). With <paramref name="alongside"/> the
    /// report and whatever that adds (an inspection walk's problem) are saved in one transaction.
    /// </summary>
    public async Task<Reported> ReportAsync(Guid communityId, NewWorkOrder input, IReadOnlyList<PreparedPhoto> beforePhotos,
        Func<WorkOrder, CancellationToken, Task>? alongside = null, CancellationToken ct = default)
    {
        if (!caller.CanSee(communityId)) throw new NotFoundException();
        if (beforePhotos.Count > WorkOrderPhoto.MaxPerStage) throw DomainException.Invalid("Photos", "photos.too_many", WorkOrderPhoto.MaxPerStage);
        var (category, categoryLabel) = await reference.CategoryToReportAsync(communityId, input.CategoryId, ct);
        var (channel, reporter, residentId) = await WhoReportsAsync(communityId, input, ct);
        var (place, placeLabel) = await reference.PlaceAsync(communityId, input.Place, ct);
        WorkOrder? duplicateOf = null;
        if (input.DuplicateOfId is { } dup)
        {
            var similar = await SimilarAsync(communityId, category.Id, place.BuildingId, ct);
            if (similar.All(x => x.Id != dup)) throw DomainException.Invalid(nameof(input.DuplicateOfId), "workorders.duplicate_unknown");
            duplicateOf = await db.WorkOrders.AsNoTracking().IgnoreQueryFilters().FirstAsync(o => o.Id == dup, ct);
        }
        var now = caller.Now;
        var time = await calendar.CurrentAsync(ct);
        var grid = await reference.GridOfAsync(communityId, place, ct);
        WrittenPhotos? written = null;
        try
        {
            await using var tx = alongside is not null && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            for (var attempt = 0; ; attempt++)
            {
                var order = WorkOrder.Create(communityId, await NextNumberAsync(communityId, now, reread: attempt > 0, ct), channel, category, input.Description ?? "",
                    place, reporter, residentId, caller.Actor, now, time, grid);
                if (duplicateOf is not null) order.LinkDuplicateOf(duplicateOf);
                else await routing.DispatchAtOnceAsync(order, category, now, time, ct); // each attempt is a new order
                // The files once the order stands; they are the same files for every attempt, new rows each time.
                written ??= await photos.WriteAsync(communityId, beforePhotos, now, ct);
                var photoRows = written.RowsFor(order, PhotoStage.Before, caller.Me, now);
                // The order with its first steps, their notifications and its photos: saved as one unit, together with the
                // reports other requests hand over at the same moment (group commit, ADR 0007), or in the open transaction.
                List<object> rows = [order, .. await notifier.ForStepsAsync(order, order.Events, ct), .. photoRows];
                try
                {
                    await inserts.InsertAsync(db, rows, ct);
                }
                catch (DomainException d) when (d.TextKey == "error.duplicate" && attempt < 5)
                {
                    continue; // another process of the app gave the same number: count on after the highest stored
                }
                if (alongside is not null) await alongside(order, ct);
                if (tx is not null) await tx.CommitAsync(ct);
                return new Reported(order, categoryLabel, placeLabel, photoRows);
            }
        }
        catch
        {
            written?.Remove();
            throw;
        }
    }

    /// <summary>
    /// How the order came in and for whom: a resident's own report (her account, the registry's resident linked to it), or
    /// staff's on someone's behalf (the channel they say, the resident they picked, whose portal account then follows it).
    /// </summary>
    private async Task<(Channel Channel, Guid? Reporter, Guid? ResidentId)> WhoReportsAsync(Guid communityId, NewWorkOrder input, CancellationToken ct)
    {
        var user = caller.User;
        if (!user.IsStaff()) return (Channel.ResidentApp, caller.Me, await reference.ResidentOfAccountAsync(communityId, caller.Me, ct));
        var channel = input.Channel ?? (user.IsInRole(Roles.GridMember) && !caller.IsCommunityStaff ? Channel.GridPatrol : Channel.Phone);
        if (channel == Channel.ResidentApp) throw DomainException.Invalid(nameof(input.Channel), "workorders.channel_staff");
        if (input.ResidentId is not { } rid) return (channel, null, null);
        // Only a role that reads the registry picks a resident, and only one it may see there (a grid member: the own
        // grids' residents), as the registry's own search decides. A resident with a portal account follows the order
        // there as its reporter: it is in their list, they hear of each step, they may urge and rate it.
        var picked = Roles.RegistryReaders.Any(user.IsInRole) && user.HasTwoFactor() ? await residents.PickAsync(communityId, rid, withHome: false, ct) : null;
        if (picked is null) throw DomainException.Invalid(nameof(input.ResidentId), "workorders.resident_unknown");
        return (channel, picked.AccountId, rid);
    }

    /// <summary>
    /// 重复提示: open orders of the same category at the building of the place, newest first. The reporter and the
    /// dispatcher see them before creating, and may link instead (the new order then follows the first one).
    /// </summary>
    public async Task<List<SimilarOrder>> SimilarAsync(Guid communityId, Guid categoryId, PlaceInput place, CancellationToken ct = default) =>
        caller.CanSee(communityId) ? await SimilarAsync(communityId, categoryId, await reference.BuildingOfAsync(communityId, place, ct), ct) : [];

    private async Task<List<SimilarOrder>> SimilarAsync(Guid communityId, Guid categoryId, Guid? buildingId, CancellationToken ct)
    {
        if (!caller.CanSee(communityId) || buildingId is null) return [];
        var rows = await db.WorkOrders.AsNoTracking().Where(WorkOrder.Open)
            .Where(o => o.CommunityId == communityId && o.CategoryId == categoryId && o.BuildingId == buildingId && o.DuplicateOfId == null)
            .OrderByDescending(o => o.CreatedAt).Take(5).Select(o => new { o.Id, o.Number, o.EstateId, o.Status, o.CreatedAt }).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var category = (await reference.CategoryNamesAsync([categoryId], ct)).GetValueOrDefault(categoryId, "?");
        var places = await reference.PlaceLabelsAsync(rows.Select(r => (r.EstateId, buildingId, (int?)null, (Guid?)null, (string?)null)), ct);
        return rows.Select(r => new SimilarOrder(r.Id, r.Number, category, places[(r.EstateId, buildingId, null, null, null)], r.Status, r.CreatedAt)).ToList();
    }

    /// <summary>The next number of the community's day, from <see cref="WorkOrderNumbers"/>; <paramref name="reread"/> after a number was taken elsewhere.</summary>
    private Task<string> NextNumberAsync(Guid communityId, DateTime now, bool reread, CancellationToken ct)
    {
        var day = (now + ChinaTime.Offset).ToString("yyMMdd", CultureInfo.InvariantCulture);
        return numbers.NextAsync(communityId, day, reread, async () =>
        {
            var last = await db.WorkOrders.IgnoreQueryFilters().Where(o => o.CommunityId == communityId && o.Number.StartsWith(day))
                .OrderByDescending(o => o.Number).Select(o => o.Number).FirstOrDefaultAsync(ct);
            return last is null ? 0 : int.Parse(last[6..], CultureInfo.InvariantCulture);
        });
    }
}
