using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Linli.Web.Features.Portal;

/// <summary>The residents' home page (mobile first). Staff are taken to the console.</summary>
[AllowAnonymous]
[OutputCache(PolicyName = PersonalPageCache.Name)]
public sealed class IndexModel(AppDbContext db, IMemoryCache cache, TenantScope scope) : LinliPageModel
{
    public CommunityCard? Community { get; private set; }
    public string? SubdistrictName => Community?.SubdistrictName;

    /// <summary>What the home page shows of the community; it changes rarely, so it is cached for a minute.</summary>
    public sealed record CommunityCard(string Name, string ShortName, string? Address, string? Phone, string? SubdistrictName, string DivisionCode);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true) return Page();
        if (User.IsStaff()) return LocalRedirect("/console");
        // The tenant filter leaves only the communities of the resident's own scope; the cache key is that scope.
        var key = "portal-community:" + string.Join(',', scope.CommunityIds.Order());
        Community = await cache.GetOrCreateAsync(key, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            var c = await db.Communities.AsNoTracking().OrderBy(c => c.DivisionCode).FirstOrDefaultAsync();
            if (c is null) return null;
            var subdistrict = await db.Divisions.AsNoTracking().Where(d => d.Code == c.SubdistrictCode).Select(d => d.Name).FirstOrDefaultAsync();
            return new CommunityCard(c.Name, c.ShortName, c.Address, c.Phone, subdistrict, c.DivisionCode);
        });
        return Page();
    }
}
