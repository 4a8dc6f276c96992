using System.Security.Claims;
using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Infrastructure.Tenancy;

/// <summary>
/// What the current caller may see: all communities (system work: migrations, demo, background jobs), or a set of
/// communities, grids, partner units and teams taken from the signed-in user's scope claims. Nothing by default.
/// The DbContext's query filters read it for every query.
/// </summary>
public sealed class TenantScope(IHttpContextAccessor http)
{
    private bool? _all;
    private IReadOnlyList<Guid>? _communities;
    private IReadOnlyList<Guid>? _grids;

    /// <summary>Sees every community. Only for system work outside a user's request.</summary>
    public bool SeesAll => _all ??= false;

    public IReadOnlyList<Guid> CommunityIds => _communities ??= FromClaims(LinliClaims.Community);

    /// <summary>Grids the user is scoped to (grid members see only their grids' households and orders).</summary>
    public IReadOnlyList<Guid> GridIds => _grids ??= FromClaims(LinliClaims.Grid);

    /// <summary>Partner units (property companies included) and teams the user works for: they see what is dispatched to them.</summary>
    public IReadOnlyList<Guid> PartnerUnitIds => _partners ??= FromClaims(LinliClaims.PartnerUnit);
    public IReadOnlyList<Guid> TeamIds => _teams ??= FromClaims(LinliClaims.Team);
    private IReadOnlyList<Guid>? _partners;
    private IReadOnlyList<Guid>? _teams;

    public bool CanSee(Guid communityId) => SeesAll || CommunityIds.Contains(communityId);

    /// <summary>
    /// A grid member without a community-wide role sees only the households of the own grids ("small matters stay
    /// in the grid"); the registry applies this on top of the community filter.
    /// </summary>
    public bool LimitedToGrids => _limited ??= !SeesAll && http.HttpContext?.User is { } u && u.IsInRole(Roles.GridMember)
        && !u.IsInRole(Roles.Staff) && !u.IsInRole(Roles.Secretary) && !u.IsInRole(Roles.SubdistrictAdmin);

    private bool? _limited;

    /// <summary>Switches this scope (one DI scope) to system work: seeding, imports, jobs.</summary>
    public void UseSystem()
    {
        _all = true;
        _communities = [];
        _grids = [];
        _partners = [];
        _teams = [];
        _limited = false;
    }

    /// <summary>System work on these communities only (a writer saving rows that requests of these communities handed over).</summary>
    public void UseCommunities(IReadOnlyList<Guid> communityIds)
    {
        _all = false;
        _communities = communityIds;
        _grids = [];
        _partners = [];
        _teams = [];
        _limited = false;
    }

    /// <summary>For work done on behalf of a principal outside the request pipeline (e.g. sign-in).</summary>
    public void UsePrincipal(ClaimsPrincipal principal)
    {
        _all = false;
        _communities = Read(principal, LinliClaims.Community);
        _grids = Read(principal, LinliClaims.Grid);
        _partners = Read(principal, LinliClaims.PartnerUnit);
        _teams = Read(principal, LinliClaims.Team);
        _limited = principal.IsInRole(Roles.GridMember) && !principal.IsInRole(Roles.Staff) && !principal.IsInRole(Roles.Secretary)
            && !principal.IsInRole(Roles.SubdistrictAdmin);
    }

    private List<Guid> FromClaims(string type)
    {
        var user = http.HttpContext?.User;
        return user is null ? [] : Read(user, type);
    }

    private static List<Guid> Read(ClaimsPrincipal user, string type) =>
        user.FindAll(type).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
}
