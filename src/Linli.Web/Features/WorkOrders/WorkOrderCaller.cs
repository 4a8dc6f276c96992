using System.Linq.Expressions;
using System.Security.Claims;
using Linli.Web.Features.Grids;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// Who is asking, and what they are to an order: the account, the actor and moment its steps are recorded with, the
/// parties it holds on an order (<see cref="FlowParty"/>, which <see cref="WorkOrderFlow"/> reads) and the orders it may
/// see. Everything is read from the request's principal and scope on each call; nothing is kept.
/// </summary>
public sealed class WorkOrderCaller(AppDbContext db, TenantScope scope, IHttpContextAccessor http, TimeProvider clock)
{
    public ClaimsPrincipal User => http.HttpContext?.User ?? new();
    public Guid? Me => User.UserId();
    public Actor Actor => new(Me, User.DisplayName());

    /// <summary>Now, to the microsecond (what PostgreSQL keeps), so the answer to a create shows the times later reads show.</summary>
    public DateTime Now => clock.GetUtcNow().UtcDateTime is var now ? now.AddTicks(-(now.Ticks % 10)) : default;

    /// <summary>Community staff: the office and subdistrict admins, who see and act on every order of their communities.</summary>
    public bool IsCommunityStaff => Office(User) != FlowParty.None;

    /// <summary>Staff read the full timeline (names, internal notes); residents a plain line per step.</summary>
    public bool IsStaffView => User.IsStaff();

    public bool CanSee(Guid communityId) => scope.CanSee(communityId);

    private static FlowParty Office(ClaimsPrincipal user) =>
        (user.IsInRole(Roles.Staff) || user.IsInRole(Roles.Secretary) ? FlowParty.Office : FlowParty.None)
        | (user.IsInRole(Roles.SubdistrictAdmin) ? FlowParty.Subdistrict : FlowParty.None);

    /// <summary>Who the caller is to the order: its reporter, the handler's people, the office, a subdistrict admin, a member of its grid.</summary>
    public FlowParty PartiesOf(WorkOrder o)
    {
        var parties = Office(User);
        if (o.ReporterAccountId is { } r && r == Me) parties |= FlowParty.Reporter;
        if (IsHandler(o)) parties |= FlowParty.Handler;
        if (o.GridId is { } g && scope.GridIds.Contains(g)) parties |= FlowParty.Grid;
        return parties;
    }

    /// <summary>The handler's people: the account it is dispatched to, or anyone scoped to its partner unit or team.</summary>
    private bool IsHandler(WorkOrder o) => o.HandlerKind switch
    {
        HandlerKind.Staff or HandlerKind.GridMember => o.HandlerId == Me,
        HandlerKind.PropertyCompany or HandlerKind.PartnerUnit => o.HandlerId is { } u && scope.PartnerUnitIds.Contains(u),
        HandlerKind.Team => o.HandlerId is { } tm && scope.TeamIds.Contains(tm),
        _ => false,
    };

    /// <summary>
    /// The orders the caller may see (the tenant filter has already kept the communities): community staff all; anyone
    /// else those they reported, those whose handler they are (as <see cref="IsHandler"/>), and a grid member those at the
    /// own grids' buildings and entrances. Anything else is a 404.
    /// </summary>
    public IQueryable<WorkOrder> Visible()
    {
        var orders = db.WorkOrders.AsQueryable();
        if (IsCommunityStaff) return orders;
        var me = Me ?? Guid.Empty;
        var partners = scope.PartnerUnitIds;
        var teams = scope.TeamIds;
        Expression<Func<WorkOrder, bool>> own = o =>
            o.ReporterAccountId == me
            || ((o.HandlerKind == HandlerKind.Staff || o.HandlerKind == HandlerKind.GridMember) && o.HandlerId == me)
            || ((o.HandlerKind == HandlerKind.PropertyCompany || o.HandlerKind == HandlerKind.PartnerUnit) && partners.Contains(o.HandlerId!.Value))
            || (o.HandlerKind == HandlerKind.Team && teams.Contains(o.HandlerId!.Value));
        if (scope.GridIds.Count == 0) return orders.Where(own);
        return orders.Where(own.Or(GridScope.CoveredBy<WorkOrder>(db.AreasOf(scope.GridIds), o => o.BuildingId, o => o.EntranceNumber)));
    }
}
