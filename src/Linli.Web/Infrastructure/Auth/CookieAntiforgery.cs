using Linli.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Antiforgery;

namespace Linli.Web.Infrastructure.Auth;

/// <summary>
/// For API endpoints that take a form (file uploads). A form post is a "simple" cross-site request, so when the caller
/// is signed in by cookie (a page's htmx or form) the antiforgery token is required; a bearer-token client is not a
/// browser riding on a cookie and needs none.
/// </summary>
public static class CookieAntiforgery
{
    public static RouteHandlerBuilder RequireAntiforgeryForCookies(this RouteHandlerBuilder builder) => builder.DisableAntiforgery()
        .WithMetadata(AntiforgeryForCookiesMetadata.Instance).AddEndpointFilter(async (ctx, next) =>
    {
        var http = ctx.HttpContext;
        if (!http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            var t = http.RequestServices.GetRequiredService<Texts>();
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: t.Get("error.bad_request_title"), detail: t.Get("error.antiforgery"));
        }
        return await next(ctx);
    });
}

/// <summary>Marks an endpoint that wants the antiforgery header from cookie callers (the API document names it in its security).</summary>
public sealed class AntiforgeryForCookiesMetadata
{
    public static readonly AntiforgeryForCookiesMetadata Instance = new();
    private AntiforgeryForCookiesMetadata() { }
}
