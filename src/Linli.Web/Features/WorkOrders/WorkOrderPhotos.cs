using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Media;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// Photo files written for one save (a report, a completion, an upload): the rows to add to that save, and the files
/// to remove when it fails, so a failed save leaves no file behind.
/// </summary>
public sealed class WrittenPhotos
{
    private readonly PhotoStore _store;
    private readonly List<(Guid Id, string Image, string Thumbnail, int Width, int Height)> _files = [];

    private WrittenPhotos(PhotoStore store) => _store = store;

    public int Count => _files.Count;

    /// <summary>Writes every photo (all were checked before); a failure part-way removes what was written.</summary>
    public static async Task<WrittenPhotos> WriteAsync(PhotoStore store, Guid communityId, IReadOnlyList<PreparedPhoto> photos, DateTime now, CancellationToken ct)
    {
        var written = new WrittenPhotos(store);
        try
        {
            foreach (var p in photos)
            {
                var id = Guid.CreateVersion7();
                var (image, thumbnail) = await store.WriteAsync(communityId, id, p, now, ct);
                written._files.Add((id, image, thumbnail, p.Width, p.Height));
            }
            return written;
        }
        catch
        {
            written.Remove();
            throw;
        }
    }

    /// <summary>The rows of these files for the order, a millisecond apart (PostgreSQL keeps microseconds) so they keep the order they were chosen in.</summary>
    public List<WorkOrderPhoto> RowsFor(WorkOrder order, PhotoStage stage, Guid? by, DateTime now) =>
        _files.Select((f, i) => new WorkOrderPhoto(f.Id, order, stage, f.Image, f.Thumbnail, f.Width, f.Height, by, now.AddMilliseconds(i))).ToList();

    /// <summary>Removes the files (the save they were written for failed).</summary>
    public void Remove()
    {
        foreach (var f in _files)
        {
            foreach (var file in new[] { f.Image, f.Thumbnail })
            {
                try { File.Delete(_store.PathOf(file)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // nothing refers to it; a sweep may take it later
            }
        }
        _files.Clear();
    }
}

/// <summary>
/// The photos of an order: before-photos by the reporter, the one who entered it (a grid member's patrol or
/// inspection-walk order) or the office while it is open, after-photos by the handler's people or the office once it is
/// taken; at most nine per stage. Reading a photo needs sight of its order.
/// </summary>
public sealed class WorkOrderPhotos(AppDbContext db, WorkOrderCaller caller, PhotoStore store)
{
    private const FlowParty Community = FlowParty.Office | FlowParty.Subdistrict;

    /// <summary>Adds photos to an order; all are checked before any is written, and a failed save leaves no file.</summary>
    public async Task<List<Guid>> AddAsync(Guid id, PhotoStage stage, IReadOnlyList<PreparedPhoto> prepared, CancellationToken ct = default)
    {
        var o = await caller.Visible().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        var parties = caller.PartiesOf(o);
        var allowed = stage == PhotoStage.Before
            ? o.IsOpen && ((parties & (FlowParty.Reporter | Community)) != 0
                || (caller.Me is { } me && await db.WorkOrderEvents.AnyAsync(e => e.WorkOrderId == id && e.Step == Step.Submitted && e.ActorId == me, ct)))
            : (parties & (FlowParty.Handler | Community)) != 0 && o.Status is WorkOrderStatus.Taken or WorkOrderStatus.InProgress or WorkOrderStatus.Done;
        if (!allowed) throw new DomainException("photos.not_now", status: StatusCodes.Status409Conflict);
        await CheckRoomAsync(o.Id, stage, prepared.Count, ct);
        var now = caller.Now;
        var written = await WriteAsync(o.CommunityId, prepared, now, ct);
        return (await SaveWithAsync(o, stage, written, now, ct)).Select(r => r.Id).ToList();
    }

    /// <summary>Nine photos per order and stage at most (a field error naming Photos).</summary>
    public async Task CheckRoomAsync(Guid orderId, PhotoStage stage, int adding, CancellationToken ct)
    {
        var existing = adding == 0 ? 0 : await db.WorkOrderPhotos.CountAsync(p => p.WorkOrderId == orderId && p.Stage == stage, ct);
        if (existing + adding > WorkOrderPhoto.MaxPerStage) throw DomainException.Invalid("Photos", "photos.too_many", WorkOrderPhoto.MaxPerStage);
    }

    public Task<WrittenPhotos> WriteAsync(Guid communityId, IReadOnlyList<PreparedPhoto> prepared, DateTime now, CancellationToken ct) =>
        WrittenPhotos.WriteAsync(store, communityId, prepared, now, ct);

    /// <summary>Saves the context's changes (a step, or nothing else) with the rows of these photos of the order; when the save fails, the files go too.</summary>
    public async Task<List<WorkOrderPhoto>> SaveWithAsync(WorkOrder order, PhotoStage stage, WrittenPhotos written, DateTime now, CancellationToken ct)
    {
        var rows = written.RowsFor(order, stage, caller.Me, now);
        db.WorkOrderPhotos.AddRange(rows);
        try
        {
            await db.SaveChangesAsync(ct);
            return rows;
        }
        catch
        {
            written.Remove();
            throw;
        }
    }

    /// <summary>The file of a photo of an order the caller can see.</summary>
    public async Task<string> FileAsync(Guid orderId, Guid photoId, bool thumbnail, CancellationToken ct = default)
    {
        if (!await caller.Visible().AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException();
        var p = await db.WorkOrderPhotos.AsNoTracking().FirstOrDefaultAsync(x => x.Id == photoId && x.WorkOrderId == orderId, ct) ?? throw new NotFoundException();
        return store.PathOf(thumbnail ? p.Thumbnail : p.File);
    }
}
