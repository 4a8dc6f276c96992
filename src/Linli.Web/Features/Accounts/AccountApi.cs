using System.Security.Claims;
using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Privacy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Linli.Web.Features.Accounts;

/// <summary>Staff add the authenticator's current code; residents send none.</summary>
public sealed record TokenRequest(string? Phone, string? Password, string? TwoFactorCode = null);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record MeResponse(Guid Id, string Phone, string DisplayName, IReadOnlyList<string> Roles, bool TwoFactorEnabled, IReadOnlyList<string> Communities);

/// <summary>The JSON API of accounts: bearer tokens for the API, who am I, change password.</summary>
public static class AccountApi
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(
            new NavEntry(NavPlace.ConsoleMenu, "nav.change_password", "/account/password", null, 1010, "nav.account"),
            new NavEntry(NavPlace.PortalTile, "nav.change_password", "/account/password", null, 600, Icon: "✱"));
        builder.Services.AddScoped<SignInService>();
        builder.Services.AddApiTag("Accounts", "Signing in for a bearer token, renewing it, who the caller is, changing the password.");
        return builder;
    }

    public static void MapAccountApi(this WebApplication app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/token", TokenAsync).AllowAnonymous().DisableAntiforgery()
            .WithName("signIn").WithSummary("Sign in with mobile number and password and get a bearer token")
            .WithDescription("Staff roles must add the current TOTP code (`twoFactorCode`); without it the answer is a 401 that says a code is needed. "
                + "Five wrong passwords lock the account for 15 minutes (401). The access token lasts 15 minutes, the refresh token 14 days.")
            .Produces<AccessTokenResponse>()
            .ProducesProblemBecause(StatusCodes.Status401Unauthorized, "Not signed in: the number or password is wrong, the account is locked or disabled, "
                + "or a staff account needs `twoFactorCode` (or gave a wrong one). `detail` says which.")
            .WithRequestExample("resident", "A resident", new TokenRequest("13900000001", "Linli@2026", null))
            .WithRequestExample("staff", "Staff, with the authenticator's code", new TokenRequest("13800000002", "Linli@2026", "492039"));
        auth.MapPost("/refresh", RefreshAsync).AllowAnonymous().DisableAntiforgery()
            .WithName("refreshToken").WithSummary("Get a new token pair with the refresh token")
            .WithDescription("A refresh token that has expired, or whose account was disabled or changed its password since, is a 401: sign in again.")
            .Produces<AccessTokenResponse>()
            .ProducesProblemBecause(StatusCodes.Status401Unauthorized, "The refresh token is not valid any more: sign in again with `POST /api/auth/token`.")
            .WithRequestExample(new RefreshRequest("CfDJ8LmJ…(the refreshToken of the last answer)"));
        auth.MapPost("/password", ChangePasswordAsync).RequireAuthorization()
            .WithName("changePassword").WithSummary("Change the caller's password")
            .WithRequestExample(new ChangePasswordRequest("Linli@2026", "Qiushui#2027"));
        app.MapGet("/api/me", MeAsync).RequireAuthorization().WithTags("Accounts")
            .WithName("getMe").WithSummary("Who the caller is: name, masked phone, roles and communities");
    }

    /// <summary>Signs in with mobile number and password (and a TOTP code for staff) and returns a bearer token.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult, ValidationProblem>> TokenAsync(TokenRequest request, SignInService signIn, SignInManager<AppUser> manager, Texts t, CancellationToken ct)
    {
        if (!InputValidator.IsMobile(request.Phone?.Trim()))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = [t.Get("validation.mobile")] }, title: t.Get("error.validation_title"));
        manager.AuthenticationScheme = IdentityConstants.BearerScheme;
        var outcome = await signIn.PasswordSignInAsync(request.Phone, request.Password, persistent: false);
        if (outcome.Result.RequiresTwoFactor)
        {
            if (string.IsNullOrWhiteSpace(request.TwoFactorCode))
                return TypedResults.Problem(title: t.Get("account.2fa_code_needed_title"), detail: t.Get("account.2fa_code_needed"), statusCode: 401);
            outcome = await signIn.TwoFactorSignInAsync(request.TwoFactorCode, remember: false, rememberClient: false);
        }
        // The bearer handler has written the token to the response.
        return outcome.Result.Succeeded ? TypedResults.Empty : TypedResults.Problem(title: t.Get("account.sign_in_failed_title"), detail: outcome.Message, statusCode: 401);
    }

    public static async Task<Results<SignInHttpResult, ChallengeHttpResult>> RefreshAsync(RefreshRequest request, SignInManager<AppUser> manager,
        IOptionsMonitor<BearerTokenOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var protector = options.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties?.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await manager.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Challenge();
        }
        var principal = await manager.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    public static async Task<Results<NoContent, ValidationProblem, NotFound>> ChangePasswordAsync(ChangePasswordRequest request, ClaimsPrincipal principal,
        UserManager<AppUser> users, AuditLog audit, Texts t, CancellationToken ct)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.NotFound();
        var errors = ChangePasswordErrors(request.CurrentPassword, request.NewPassword, t);
        if (errors.Count == 0)
        {
            var result = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
            if (result.Succeeded)
            {
                await audit.WriteAsync(AuditEvents.PasswordChanged, "User", user.Id.ToString());
                return TypedResults.NoContent();
            }
            errors[result.Errors.Any(e => e.Code == "PasswordMismatch") ? nameof(request.CurrentPassword) : nameof(request.NewPassword)] =
                result.Errors.Select(e => e.Code == "PasswordMismatch" ? t.Get("account.current_password_wrong") : e.Description).ToArray();
        }
        return TypedResults.ValidationProblem(errors, title: t.Get("error.validation_title"));
    }

    public static Dictionary<string, string[]> ChangePasswordErrors(string? current, string? next, Texts t)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(current)) errors[nameof(ChangePasswordRequest.CurrentPassword)] = [t.Get("validation.required", t.Get("field.current_password"))];
        if (string.IsNullOrEmpty(next)) errors[nameof(ChangePasswordRequest.NewPassword)] = [t.Get("validation.required", t.Get("field.new_password"))];
        else if (!PasswordRules.IsStrong(next)) errors[nameof(ChangePasswordRequest.NewPassword)] = [t.Get("account.password_rules")];
        return errors;
    }

    public static async Task<Results<Ok<MeResponse>, NotFound>> MeAsync(ClaimsPrincipal principal, UserManager<AppUser> users, CancellationToken ct)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.NotFound();
        return TypedResults.Ok(new MeResponse(user.Id, Mask.Phone(user.UserName), user.DisplayName, principal.RoleNames().ToList(), user.TwoFactorEnabled,
            principal.FindAll(LinliClaims.Community).Select(c => c.Value).ToList()));
    }
}

/// <summary>
/// Password and TOTP sign-in for the page and the API alike, with the audit log of every success and failure
/// (IP included) and a plain message for the user.
/// </summary>
public sealed class SignInService(SignInManager<AppUser> manager, UserManager<AppUser> users, AuditLog audit, Texts t)
{
    public sealed record Outcome(SignInResult Result, string Message);

    public async Task<Outcome> PasswordSignInAsync(string? phone, string? password, bool persistent)
    {
        phone = phone?.Trim();
        if (!InputValidator.IsMobile(phone))
        {
            await audit.WriteAsync(AuditEvents.SignInFailed, detail: "not a mobile number", succeeded: false);
            return new(SignInResult.Failed, t.Get("validation.mobile"));
        }
        var user = await users.FindByNameAsync(phone!);
        if (user is null || string.IsNullOrEmpty(password))
        {
            await audit.WriteAsync(AuditEvents.SignInFailed, detail: "unknown account or empty password", succeeded: false, userName: phone);
            return new(SignInResult.Failed, t.Get("account.sign_in_failed"));
        }
        var result = await manager.PasswordSignInAsync(user, password, persistent, lockoutOnFailure: true);
        return await AuditAsync(user, result, "password");
    }

    public async Task<Outcome> TwoFactorSignInAsync(string? code, bool remember, bool rememberClient)
    {
        var user = await manager.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return new(SignInResult.Failed, t.Get("account.2fa_expired"));
        var clean = (code ?? "").Replace(" ", "").Replace("-", "");
        var result = await manager.TwoFactorAuthenticatorSignInAsync(clean, remember, rememberClient);
        return await AuditAsync(user, result, "totp");
    }

    private async Task<Outcome> AuditAsync(AppUser user, SignInResult result, string step)
    {
        if (result.Succeeded)
        {
            await audit.WriteAsync(AuditEvents.SignIn, "User", user.Id.ToString(), step, userId: user.Id, userName: user.UserName);
            return new(result, "");
        }
        if (result.RequiresTwoFactor) return new(result, "");
        if (result.IsLockedOut)
        {
            await audit.WriteAsync(AuditEvents.LockedOut, "User", user.Id.ToString(), step, succeeded: false, userId: user.Id, userName: user.UserName);
            return new(result, t.Get("account.locked_out"));
        }
        if (result.IsNotAllowed)
        {
            await audit.WriteAsync(AuditEvents.SignInFailed, "User", user.Id.ToString(), "disabled", succeeded: false, userId: user.Id, userName: user.UserName);
            return new(result, t.Get("account.disabled"));
        }
        await audit.WriteAsync(AuditEvents.SignInFailed, "User", user.Id.ToString(), step, succeeded: false, userId: user.Id, userName: user.UserName);
        return new(result, step == "totp" ? t.Get("account.2fa_code_wrong") : t.Get("account.sign_in_failed"));
    }
}
