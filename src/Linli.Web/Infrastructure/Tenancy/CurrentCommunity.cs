namespace Linli.Web.Infrastructure.Tenancy;

/// <summary>
/// The community a console user works in now: chosen with the switcher (a cookie) among the communities the
/// user may see, else the first of them. A subdistrict admin switches between the subdistrict's communities.
/// </summary>
public sealed class CurrentCommunity(ITenantDirectory directory, TenantScope scope, IHttpContextAccessor http)
{
    public const string Cookie = "linli.community";
    private IReadOnlyList<TenantCommunity>? _communities;
    private TenantCommunity? _current;

    public async Task<IReadOnlyList<TenantCommunity>> CommunitiesAsync()
    {
        if (_communities is not null) return _communities;
        var ids = scope.CommunityIds;
        _communities = await directory.ListAsync(ids);
        return _communities;
    }

    /// <summary>The current community, or null when the user has none in scope.</summary>
    public async Task<TenantCommunity?> CurrentAsync()
    {
        if (_current is not null) return _current;
        var all = await CommunitiesAsync();
        var wanted = http.HttpContext?.Request.Cookies[Cookie];
        _current = all.FirstOrDefault(c => c.Id.ToString() == wanted) ?? (all.Count > 0 ? all[0] : null);
        return _current;
    }

    /// <summary>For the API: the given community if visible, else the caller's only one.</summary>
    public async Task<Guid> ResolveAsync(Guid? communityId)
    {
        if (communityId is { } id)
        {
            return scope.CanSee(id) ? id : throw new Errors.NotFoundException();
        }
        // The caller's claims name the communities in scope; with exactly one there is nothing to look up (every resident's
        // API call, e.g. a report from the phone, takes this path).
        if (scope.CommunityIds is [var only]) return only;
        var all = await CommunitiesAsync();
        return all.Count == 1 ? all[0].Id
            : throw Errors.DomainException.Invalid("communityId", "console.community_required");
    }
}
