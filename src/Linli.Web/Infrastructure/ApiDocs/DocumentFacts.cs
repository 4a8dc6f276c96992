using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Linli.Web.Infrastructure.ApiDocs;

/// <summary>The document as a whole: what a client developer reads first, the security schemes, the tags' descriptions.</summary>
public sealed class DocumentFacts(IEnumerable<ApiTag> tags, SecuritySchemes schemes) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Linli API",
            Version = "v1",
            Description = Introduction,
        };
        // "http://host/" → "http://host": the paths start with a slash of their own.
        foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
        schemes.Ensure(document);
        var described = tags.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Description);
        if (document.Tags is { } used)
        {
            foreach (var tag in used.OfType<OpenApiTag>())
                if (tag.Name is { } name && described.TryGetValue(name, out var text)) tag.Description = text;
        }
        return Task.CompletedTask;
    }

    private const string Introduction = """
        The JSON API of Linli 邻里 for programs: the residents' mini-program and app, the office's tools, integrations.

        **Signing in.** `POST /api/auth/token` with the mobile number and password (staff add the current TOTP code) answers
        `accessToken` and `refreshToken`; send `Authorization: Bearer <accessToken>` on every call. The access token lasts
        15 minutes, the refresh token 14 days: `POST /api/auth/refresh` gives a new pair. The staff console's pages call the
        same API with their sign-in cookie; a cookie caller sends the antiforgery header `RequestVerificationToken` to the
        operations whose security names it (uploads, marking notifications read).

        **Errors** are `application/problem+json` (RFC 9457): `title`, `detail` in the caller's language, `status`; a 400
        has `errors`, field name → messages. Each operation lists the statuses it can answer with.

        **Language.** `Accept-Language: zh-CN` (the default) or `en` chooses the language of messages and of texts such as
        timeline lines.

        **Values.** Enumerations travel as their names (`"Submitted"`, `"Residential"`), ids are UUIDs, times are UTC
        (ISO 8601) and dates (`yyyy-MM-dd`) are China dates. Phone numbers in answers are masked (`138****0001`).

        **Visibility.** Every answer is limited to what the caller may see: their community, grids, partner unit or team.
        Something outside that scope is a 404, exactly like something that does not exist.
        """;
}

/// <summary>The ways in, declared once in the document's components (named as the app configures them); operations refer to them by name.</summary>
public sealed class SecuritySchemes(IOptionsMonitor<CookieAuthenticationOptions> cookies, IOptions<AntiforgeryOptions> antiforgery)
{
    public void Ensure(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        var schemes = document.Components.SecuritySchemes;
        if (schemes.ContainsKey(OperationFacts.BearerScheme)) return;
        schemes[OperationFacts.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The `accessToken` from `POST /api/auth/token` or `POST /api/auth/refresh` (an opaque token, not a JWT), as `Authorization: Bearer <accessToken>`.",
        };
        schemes[OperationFacts.CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name,
            Description = "The sign-in cookie of the web pages (`/account/login`), which the console's own pages use. Programs use the bearer token.",
        };
        schemes[OperationFacts.AntiforgeryScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = antiforgery.Value.HeaderName,
            Description = $"With the cookie only: the antiforgery request token the page embeds, bound to the `{antiforgery.Value.Cookie.Name}` cookie. Bearer callers never send it.",
        };
    }
}
