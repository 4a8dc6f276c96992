using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

public sealed record BoardItem(Guid Id, string Category, string Place, DateTime ReportedAt, DateTime DoneAt, IReadOnlyList<BoardPhoto> Photos);

public sealed record BoardPhoto(PhotoStage Stage, string Url, string ThumbnailUrl);

public sealed record Board(string CommunityName, string DivisionCode, int Days, int Found, int Fixed, IReadOnlyList<BoardItem> Items);

/// <summary>
/// 公示栏: what the community fixed, for anyone to see. Only categories marked public; the place at building level at
/// most (never an entrance, a home or the reporter's own words); no names, phones or anything of the reporter or the
/// handler. "Found N, fixed M" counts the public categories over the period.
/// </summary>
public sealed class PublicBoard(AppDbContext db, Texts t, TimeProvider clock)
{
    public const int Days = 90;

    /// <summary>The board of a community by its 12-digit division code; read without a signed-in user, so the tenant filter is bypassed on purpose and every query names the community.</summary>
    public async Task<Board> ForAsync(string divisionCode, int take = 50, CancellationToken ct = default)
    {
        var community = await db.Communities.IgnoreQueryFilters().AsNoTracking().Where(c => c.DivisionCode == divisionCode)
            .Select(c => new { c.Id, c.Name, c.DivisionCode }).FirstOrDefaultAsync(ct) ?? throw new NotFoundException();
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-Days);
        var publicCategories = await db.WorkOrderCategories.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.CommunityId == community.Id && c.Public).Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct);
        var names = await db.WorkOrderCategories.IgnoreQueryFilters().AsNoTracking().Where(c => c.CommunityId == community.Id)
            .ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var ids = publicCategories.Select(c => c.Id).ToList();
        var orders = db.WorkOrders.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.CommunityId == community.Id && ids.Contains(o.CategoryId) && o.CreatedAt >= since && o.DuplicateOfId == null);
        var found = await orders.CountAsync(ct);
        // Fixed: finished (done, visited or closed).
        var fixedCount = await orders.Where(WorkOrder.Finished).CountAsync(ct);
        var rows = await orders.Where(WorkOrder.Finished).OrderByDescending(o => o.DoneAt).Take(take)
            .Select(o => new { o.Id, o.CategoryId, o.EstateId, o.BuildingId, o.CreatedAt, o.DoneAt }).ToListAsync(ct);
        var estateIds = rows.Where(r => r.EstateId != null).Select(r => r.EstateId!.Value).Distinct().ToList();
        var buildingIds = rows.Where(r => r.BuildingId != null).Select(r => r.BuildingId!.Value).Distinct().ToList();
        var estates = await db.Estates.IgnoreQueryFilters().AsNoTracking().Where(e => estateIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        var buildings = await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(b => buildingIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.Number, ct);
        var orderIds = rows.Select(r => r.Id).ToList();
        var photos = (await db.WorkOrderPhotos.IgnoreQueryFilters().AsNoTracking().Where(p => orderIds.Contains(p.WorkOrderId)).OrderBy(p => p.AddedAt)
            .Select(p => new { p.Id, p.WorkOrderId, p.Stage }).ToListAsync(ct)).ToLookup(p => p.WorkOrderId);
        string Category(Guid id)
        {
            var c = publicCategories.First(x => x.Id == id);
            return c.ParentId is { } p && names.TryGetValue(p, out var pn) ? $"{pn} › {c.Name}" : c.Name;
        }
        string Place(Guid? estate, Guid? building)
        {
            var parts = new List<string>();
            if (estate is { } e && estates.TryGetValue(e, out var en)) parts.Add(en);
            if (building is { } b && buildings.TryGetValue(b, out var bn)) parts.Add(t.Get("workorders.building_label", bn));
            return parts.Count > 0 ? string.Join(" ", parts) : t.Get("board.public_area");
        }
        return new Board(community.Name, community.DivisionCode, Days, found, fixedCount, rows.Select(r => new BoardItem(r.Id, Category(r.CategoryId), Place(r.EstateId, r.BuildingId),
            r.CreatedAt, r.DoneAt!.Value, photos[r.Id].Select(p => new BoardPhoto(p.Stage, $"/board/{community.DivisionCode}/photos/{p.Id}",
                $"/board/{community.DivisionCode}/photos/{p.Id}?thumb=true")).ToList())).ToList());
    }

    /// <summary>A photo file, only when its order is on the board (public category, fixed, of that community).</summary>
    public async Task<(string File, string Thumbnail)> PhotoAsync(string divisionCode, Guid photoId, CancellationToken ct = default)
    {
        var photo = await (
            from p in db.WorkOrderPhotos.IgnoreQueryFilters()
            join o in db.WorkOrders.IgnoreQueryFilters().Where(WorkOrder.Finished) on p.WorkOrderId equals o.Id
            join c in db.WorkOrderCategories.IgnoreQueryFilters() on o.CategoryId equals c.Id
            join m in db.Communities.IgnoreQueryFilters() on o.CommunityId equals m.Id
            where p.Id == photoId && m.DivisionCode == divisionCode && c.Public && o.DuplicateOfId == null
            select new { p.File, p.Thumbnail }).AsNoTracking().FirstOrDefaultAsync(ct) ?? throw new NotFoundException();
        return (photo.File, photo.Thumbnail);
    }
}
