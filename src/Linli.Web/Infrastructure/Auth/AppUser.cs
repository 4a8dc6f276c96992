using Microsoft.AspNetCore.Identity;

namespace Linli.Web.Infrastructure.Auth;

/// <summary>An account. The user name is the mainland mobile number.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public bool IsDisabled { get; set; }
    public List<UserScope> Scopes { get; set; } = [];
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() { }
    public AppRole(string name) : base(name) { }
}

public enum ScopeKind
{
    Community = 1,
    Grid = 2,
    PartnerUnit = 3,
    Team = 4,
    Subdistrict = 5,
}

/// <summary>
/// One thing a user may see: a community, a grid (with its community), a partner unit, a team, or a whole
/// subdistrict (by its division code). Roles say what a user may do; scopes say where.
/// </summary>
public sealed class UserScope
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid UserId { get; private set; }
    public ScopeKind Kind { get; private set; }
    /// <summary>The grid, partner unit or team id; the community id for a community scope.</summary>
    public Guid? TargetId { get; private set; }
    /// <summary>The subdistrict's 9-digit division code for a subdistrict scope.</summary>
    public string? SubdistrictCode { get; private set; }
    /// <summary>The community the target belongs to (null for a subdistrict).</summary>
    public Guid? CommunityId { get; private set; }

    private UserScope() { }

    public static UserScope ForCommunity(Guid userId, Guid communityId) =>
        new() { UserId = userId, Kind = ScopeKind.Community, TargetId = communityId, CommunityId = communityId };

    public static UserScope ForGrid(Guid userId, Guid communityId, Guid gridId) =>
        new() { UserId = userId, Kind = ScopeKind.Grid, TargetId = gridId, CommunityId = communityId };

    public static UserScope ForPartnerUnit(Guid userId, Guid communityId, Guid unitId) =>
        new() { UserId = userId, Kind = ScopeKind.PartnerUnit, TargetId = unitId, CommunityId = communityId };

    public static UserScope ForTeam(Guid userId, Guid communityId, Guid teamId) =>
        new() { UserId = userId, Kind = ScopeKind.Team, TargetId = teamId, CommunityId = communityId };

    public static UserScope ForSubdistrict(Guid userId, string subdistrictCode) =>
        new() { UserId = userId, Kind = ScopeKind.Subdistrict, SubdistrictCode = subdistrictCode };
}
