using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Operations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Linli.Web.Infrastructure.Auth;

public static class AuthSetup
{
    public const string Scheme = "Linli";
    public static readonly TimeSpan StaffIdleTimeout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ResidentSession = TimeSpan.FromDays(14);
    /// <summary>How soon a role or scope change, or a disabled account, reaches a signed-in session.</summary>
    public static readonly TimeSpan SecurityStampInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// ASP.NET Core Identity with cookies for pages and bearer tokens for the JSON API (chosen by the
    /// Authorization header), lockout after 5 failures for 15 minutes, the password rules, TOTP, and the policies.
    /// </summary>
    public static WebApplicationBuilder AddLinliAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or bearer", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = StaffIdleTimeout;
                o.RefreshTokenExpiration = ResidentSession;
            })
            .AddIdentityCookies();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = PasswordRules.MinLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.AllowedUserNameCharacters = "0123456789";
                o.User.RequireUniqueEmail = false;
                o.SignIn.RequireConfirmedAccount = true; // "confirmed" means: not disabled (EnabledAccountConfirmation)
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<LinliClaimsFactory>()
            .AddPasswordValidator<PasswordRules>();
        services.AddScoped<IUserConfirmation<AppUser>, EnabledAccountConfirmation>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = SecurityStampInterval);
        TicketCache.Register(services);
        services.AddStartupTask<RoleSeed>();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "linli.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = StaffIdleTimeout;
            o.SlidingExpiration = true;
            o.Events.OnSigningIn = ctx =>
            {
                // Staff sessions end after 15 idle minutes; residents stay signed in on their own phone.
                var now = ctx.Options.TimeProvider?.GetUtcNow() ?? DateTimeOffset.UtcNow;
                var staff = ctx.Principal?.IsStaff() == true;
                ctx.Properties.IsPersistent = !staff;
                ctx.Properties.IssuedUtc = now;
                ctx.Properties.ExpiresUtc = now + (staff ? StaffIdleTimeout : ResidentSession);
                ctx.Properties.AllowRefresh = true;
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = ctx =>
            {
                // The security stamp is checked once a minute; skip building the Identity services in between.
                var now = ctx.Options.TimeProvider?.GetUtcNow() ?? DateTimeOffset.UtcNow;
                return ctx.Properties.IssuedUtc is { } issued && now - issued < SecurityStampInterval
                    ? Task.CompletedTask
                    : SecurityStampValidator.ValidatePrincipalAsync(ctx);
            };
            o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
        });

        // The platform's two policies; each module adds its own (e.g. WorkOrderPolicies) in its AddX().
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Console, p => p.RequireAuthenticatedUser().RequireRole(Roles.StaffRoles).RequireClaim(LinliClaims.TwoFactor))
            .AddPolicy(Policies.Resident, p => p.RequireAuthenticatedUser());
        return builder;
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Headers["HX-Request"] == "true")
        {
            ctx.Response.StatusCode = status;
            if (ctx.Request.Headers["HX-Request"] == "true") ctx.Response.Headers["HX-Redirect"] = ctx.RedirectUri;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Staff who have not enrolled TOTP are sent to the enrolment page; the API answers 403 with a reason.</summary>
    public static IApplicationBuilder UseTwoFactorEnrolment(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        var path = ctx.Request.Path;
        if (ctx.User.MustEnrolTwoFactor() && EnrolmentGuards(path))
        {
            if (path.StartsWithSegments("/api"))
            {
                var t = ctx.RequestServices.GetRequiredService<Localization.Texts>();
                await Results.Problem(statusCode: 403, title: t.Get("account.2fa_required_title"), detail: t.Get("account.2fa_required")).ExecuteAsync(ctx);
                return;
            }
            ctx.Response.Redirect("/account/2fa/enrol?returnUrl=" + Uri.EscapeDataString(path + ctx.Request.QueryString));
            return;
        }
        await next();
    });

    /// <summary>
    /// Whether a staff account without TOTP is stopped at this path (sent to enrolment; 403 on the API). The API document
    /// reads it too, so every operation it guards lists the 403.
    /// </summary>
    public static bool EnrolmentGuards(PathString path) =>
        !path.StartsWithSegments("/account") && !path.StartsWithSegments("/api/auth")
        && !path.StartsWithSegments("/health") && !path.StartsWithSegments("/lib") && !path.StartsWithSegments("/css")
        && !path.StartsWithSegments("/js") && !path.StartsWithSegments("/favicon.svg") && !path.StartsWithSegments("/settings");
}

public static class PolicyBuilding
{
    /// <summary>One of the roles, signed in with the second factor (every console role's policy is of this shape).</summary>
    public static Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder RequireStaffRole(this Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder p, params string[] roles) =>
        p.RequireRole(roles).RequireClaim(LinliClaims.TwoFactor);
}
