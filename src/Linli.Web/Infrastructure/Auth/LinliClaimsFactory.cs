using System.Security.Claims;
using Linli.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linli.Web.Infrastructure.Auth;

/// <summary>
/// Puts what a user may see into the principal: the communities (a subdistrict scope expands to its
/// communities), grids, partner units and teams, plus whether TOTP is enrolled. Rebuilt when the security stamp is
/// validated, so role and scope changes reach a signed-in user within a minute.
/// </summary>
public sealed class LinliClaimsFactory(UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options, AppDbContext db)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(LinliClaims.DisplayName, user.DisplayName));
        if (user.TwoFactorEnabled) identity.AddClaim(new Claim(LinliClaims.TwoFactor, "1"));

        var scopes = await db.UserScopes.AsNoTracking().Where(s => s.UserId == user.Id).ToListAsync();
        var communities = new HashSet<Guid>(scopes.Where(s => s.CommunityId.HasValue).Select(s => s.CommunityId!.Value));
        var subdistricts = scopes.Where(s => s.Kind == ScopeKind.Subdistrict).Select(s => s.SubdistrictCode!).ToList();
        if (subdistricts.Count > 0)
        {
            var ids = await db.Communities.IgnoreQueryFilters().Where(c => subdistricts.Contains(c.SubdistrictCode)).Select(c => c.Id).ToListAsync();
            communities.UnionWith(ids);
            foreach (var code in subdistricts) identity.AddClaim(new Claim(LinliClaims.Subdistrict, code));
        }
        foreach (var id in communities) identity.AddClaim(new Claim(LinliClaims.Community, id.ToString()));
        foreach (var s in scopes.Where(s => s.Kind == ScopeKind.Grid)) identity.AddClaim(new Claim(LinliClaims.Grid, s.TargetId!.Value.ToString()));
        foreach (var s in scopes.Where(s => s.Kind == ScopeKind.PartnerUnit)) identity.AddClaim(new Claim(LinliClaims.PartnerUnit, s.TargetId!.Value.ToString()));
        foreach (var s in scopes.Where(s => s.Kind == ScopeKind.Team)) identity.AddClaim(new Claim(LinliClaims.Team, s.TargetId!.Value.ToString()));
        return identity;
    }
}
