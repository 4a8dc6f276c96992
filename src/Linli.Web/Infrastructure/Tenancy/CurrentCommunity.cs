using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Linli.Web.Infrastructure.Data;

namespace Linli.Web.Infrastructure.Tenancy;

/// <summary>
/// The community a console user works in now: chosen with the switcher (a cookie) among the communities the
/// user may see, else the first of them. A subdistrict admin switches between the subdistrict's communities.
/// </summary>
public sealed class CurrentCommunity(AppDbContext db, TenantScope scope, IHttpContextAccessor http)
{
    public const string Cookie = "linli.community";
    private List<CommunityRow>? _communities;
    private CommunityRow? _current;

    public async Task<IReadOnlyList<CommunityRow>> CommunitiesAsync()
    {
        if (_communities is not null) return _communities;
        var ids = scope.CommunityIds;
        _communities = await db.Communities.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.DivisionCode)
            .Select(c => new CommunityRow(c.Id, c.DivisionCode, c.Name, c.ShortName, c.SubdistrictCode, null)).ToListAsync();
        return _communities;
    }

    /// <summary>The current community, or null when the user has none in scope.</summary>
    public async Task<CommunityRow?> CurrentAsync()
    {
        if (_current is not null) return _current;
        var all = await CommunitiesAsync();
        var wanted = http.HttpContext?.Request.Cookies[Cookie];
        _current = all.FirstOrDefault(c => c.Id.ToString() == wanted) ?? all.FirstOrDefault();
        return _current;
    }

    /// <summary>For the API: the given community if visible, else the caller's only one.</summary>
    public async Task<Guid> ResolveAsync(Guid? communityId)
    {
        if (communityId is { } id)
        {
            return scope.CanSee(id) ? id : throw new Infrastructure.Errors.NotFoundException();
        }
        // The caller's claims name the communities in scope; with exactly one there is nothing to look up (every resident's
        // API call, e.g. a report from the phone, takes this path).
        if (scope.CommunityIds is [var only]) return only;
        var all = await CommunitiesAsync();
        return all.Count == 1 ? all[0].Id
            : throw Infrastructure.Errors.DomainException.Invalid("communityId", "console.community_required");
    }
}
