using Linli.Web.Infrastructure.Data;

namespace Linli.Web.Features.Grids;

public static class GridScope
{
    /// <summary>
    /// The buildings and entrances of the given grids and of their micro-grids: what a grid member may see
    /// ("small matters stay in the grid"). One query for the registry, households and the survey alike.
    /// </summary>
    public static IQueryable<GridArea> AreasOf(this AppDbContext db, IReadOnlyList<Guid> grids) =>
        db.GridAreas.Where(a => grids.Contains(a.GridId) || db.Grids.Any(g => g.Id == a.GridId && g.ParentId != null && grids.Contains(g.ParentId.Value)));
}
