using System.Globalization;
using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Scalar.AspNetCore;

namespace Linli.Web.Infrastructure.Web;

public static class WebSetup
{
    public const string CultureCookie = "linli.culture";
    public const string ElderCookie = "linli.elder";
    /// <summary>The cookie that carries a flash message across a redirect (TempData), and the message's key in it.</summary>
    public const string FlashCookie = "linli.flash";
    public const string FlashKey = "Flash";

    public static WebApplicationBuilder AddLinliWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<Texts>();
        services.AddScoped<Navigation>();
        services.AddMemoryCache();
        services.AddSingleton(TimeProvider.System);
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                // Every module's console pages live in its Console/ folder: all of them need the console policy.
                o.Conventions.Add(new ConsoleFolderConvention());
            })
            .AddViewLocalization();
        // Chinese text goes out as UTF-8, not as &#x...; escapes (a third of the bytes on a weak phone network).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.Cookie.Name = "linli.af";
        });
        services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.Name = FlashCookie);
        services.AddOutputCache(o => o.AddPolicy(PersonalPageCache.Name, b => b.AddPolicy<PersonalPageCache>(), excludeDefaultPolicy: true));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions.Remove("exception");
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddLinliApiDocs();
        // The JSON API speaks enum names ("Residential"), not numbers, both ways.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = new[] { new CultureInfo(Texts.Chinese), new CultureInfo(Texts.English) };
            o.DefaultRequestCulture = new RequestCulture(Texts.Chinese);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "culture", UIQueryStringKey = "culture" },
                new CookieRequestCultureProvider { CookieName = CultureCookie },
                // The JSON API honours Accept-Language; pages stay zh-CN until the user switches.
                new CustomRequestCultureProvider(ctx => Task.FromResult(ctx.Request.Path.StartsWithSegments("/api")
                    ? new AcceptLanguageHeaderRequestCultureProvider().DetermineProviderCultureResult(ctx).Result
                    : null)),
            ];
        });
        return builder;
    }

    public static WebApplication UseLinliWeb(this WebApplication app)
    {
        app.UseExceptionHandler("/error");
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), a => a.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), a => a.UseStatusCodePages());
        app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "same-origin";
            h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";
            await next();
        });
        app.UseRequestLocalization();
        app.MapStaticAssets();
        app.UseRouting();
        UploadLimitAttribute.Use(app);
        app.UseAuthentication();
        app.UseTwoFactorEnrolment();
        app.UseAuthorization();
        app.UseOutputCache();
        app.UseAntiforgery();
        app.MapRazorPages().WithStaticAssets();
        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi("/openapi/{documentName}.json");
            app.MapScalarApiReference("/api-reference", o => o.WithTitle("Linli API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        }
        else
        {
            // The document itself is always there for API clients; the interactive reference only in Development.
            app.MapOpenApi("/openapi/{documentName}.json");
        }
        return app;
    }

    public static bool IsElderMode(this HttpContext ctx) => ctx.Request.Cookies[ElderCookie] == "1";

    public static bool HasFlash(this HttpContext ctx) => ctx.Request.Cookies.ContainsKey(FlashCookie);
}

/// <summary>Pages in a <c>Console/</c> folder of any module (and the console's own shell) need the <see cref="Policies.Console"/> policy.</summary>
internal sealed class ConsoleFolderConvention : Microsoft.AspNetCore.Mvc.ApplicationModels.IPageApplicationModelConvention
{
    public void Apply(Microsoft.AspNetCore.Mvc.ApplicationModels.PageApplicationModel model)
    {
        var path = model.ViewEnginePath;
        if (path.StartsWith("/Console/", StringComparison.Ordinal) || path.Contains("/Console/", StringComparison.Ordinal))
            model.EndpointMetadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(Policies.Console));
    }
}
