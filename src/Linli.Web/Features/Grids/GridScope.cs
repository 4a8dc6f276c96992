using System.Linq.Expressions;
using Linli.Web.Infrastructure.Data;

namespace Linli.Web.Features.Grids;

/// <summary>
/// What a grid member may see ("small matters stay in the grid"): the places the own grids and their micro-grids
/// cover. The rule is written here once; the registry, households, the survey, work orders and inspection walks use it.
/// </summary>
public static class GridScope
{
    /// <summary>The buildings and entrances of the given grids and of their micro-grids.</summary>
    public static IQueryable<GridArea> AreasOf(this AppDbContext db, IReadOnlyList<Guid> grids) =>
        db.GridAreas.Where(a => grids.Contains(a.GridId) || db.Grids.Any(g => g.Id == a.GridId && g.ParentId != null && grids.Contains(g.ParentId.Value)));

    /// <summary>An area covers a place: the same building, and the whole building (entrance 0) or the place's entrance.</summary>
    private static readonly Expression<Func<GridArea, Guid?, int?, bool>> CoversPlace =
        (a, building, entrance) => a.BuildingId == building && (a.EntranceNumber == 0 || a.EntranceNumber == entrance);

    /// <summary>The areas that cover one place (a home, a reported problem).</summary>
    public static IQueryable<GridArea> Covering(this IQueryable<GridArea> areas, Guid? buildingId, int? entrance) =>
        areas.Where(a => a.BuildingId == buildingId && (a.EntranceNumber == 0 || a.EntranceNumber == entrance));

    /// <summary>
    /// <c>x =&gt; areas.Any(a =&gt; a covers (building(x), entrance(x)))</c>, for a query over any kind of row that has a
    /// place; an entity without an entrance passes <c>_ =&gt; null</c> and is covered only by a whole-building area.
    /// </summary>
    public static Expression<Func<T, bool>> CoveredBy<T>(IQueryable<GridArea> areas, Expression<Func<T, Guid?>> building, Expression<Func<T, int?>> entrance)
    {
        var row = Expression.Parameter(typeof(T), "x");
        var area = CoversPlace.Parameters[0];
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [CoversPlace.Parameters[1]] = new Substitute(building.Parameters[0], row).Visit(building.Body),
            [CoversPlace.Parameters[2]] = new Substitute(entrance.Parameters[0], row).Visit(entrance.Body),
        }).Visit(CoversPlace.Body);
        var any = Expression.Call(typeof(Queryable), nameof(Queryable.Any), [typeof(GridArea)], areas.Expression,
            Expression.Quote(Expression.Lambda<Func<GridArea, bool>>(body, area)));
        return Expression.Lambda<Func<T, bool>>(any, row);
    }

    /// <summary>The rows whose place the areas cover.</summary>
    public static IQueryable<T> CoveredBy<T>(this IQueryable<T> rows, IQueryable<GridArea> areas, Expression<Func<T, Guid?>> building, Expression<Func<T, int?>> entrance) =>
        rows.Where(CoveredBy(areas, building, entrance));

    /// <summary><c>x =&gt; first(x) || second(x)</c> over one row parameter.</summary>
    public static Expression<Func<T, bool>> Or<T>(this Expression<Func<T, bool>> first, Expression<Func<T, bool>> second) =>
        Expression.Lambda<Func<T, bool>>(Expression.OrElse(first.Body, new Substitute(second.Parameters[0], first.Parameters[0]).Visit(second.Body)),
            first.Parameters);

    private sealed class Substitute(IReadOnlyDictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        public Substitute(ParameterExpression from, Expression to) : this(new Dictionary<ParameterExpression, Expression> { [from] = to })
        {
        }

        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var to) ? to : node;
    }
}
