using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Linli.Web.Infrastructure.Web;

/// <summary>
/// Server-side output caching for pages whose HTML depends only on who asks and how they view it — the residents'
/// home page. A cached copy is served only to the same account (and the same scope claims), in the same language and
/// elder mode, holding the same antiforgery cookie (the page embeds a request token bound to it), for a short time.
/// Responses that set a cookie or are not 200 are never stored, so a re-issued sign-in or a new antiforgery cookie
/// always comes from a fresh render. The default ASP.NET Core policy refuses signed-in requests outright; this one
/// makes them safe to cache by varying on the person instead.
/// </summary>
public sealed class PersonalPageCache(IOptions<AntiforgeryOptions> antiforgery) : IOutputCachePolicy
{
    public const string Name = "personal";
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        // A pending flash message (TempData cookie) must be rendered and consumed, never answered from the cache.
        var cacheable = (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            && !http.HasFlash();
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = Lifetime;

        var vary = context.CacheVaryByRules;
        vary.QueryKeys = "*";
        vary.VaryByValues["who"] = Who(http.User);
        vary.VaryByValues["culture"] = CultureInfo.CurrentUICulture.Name;
        vary.VaryByValues["elder"] = http.IsElderMode() ? "1" : "0";
        vary.VaryByValues["af"] = http.Request.Cookies[antiforgery.Value.Cookie.Name!] ?? "";
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }

    /// <summary>The account and every claim that shapes what it sees (roles, community, grid … scopes).</summary>
    private static string Who(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return "";
        return string.Join('|', user.Claims.Select(c => c.Type + "=" + c.Value).Order(StringComparer.Ordinal));
    }
}
