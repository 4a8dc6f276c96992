using System.Text;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Accounts;

/// <summary>TOTP enrolment: staff must complete it before the console opens.</summary>
[Authorize]
public sealed class EnrolModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AuditLog audit) : LinliPageModel
{
    public string SharedKey { get; private set; } = "";
    public string AuthenticatorUri { get; private set; } = "";
    public bool AlreadyEnabled { get; private set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), T.Get("account.2fa_code_wrong"));
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        await audit.WriteAsync(AuditEvents.TwoFactorEnabled, "User", user.Id.ToString());
        await signIn.RefreshSignInAsync(user);
        return RedirectWithFlash(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/console", T.Get("account.enrol_success"));
    }

    private async Task LoadAsync(AppUser user)
    {
        AlreadyEnabled = user.TwoFactorEnabled;
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        SharedKey = Format(key!);
        AuthenticatorUri = $"otpauth://totp/{Uri.EscapeDataString("Linli")}:{Uri.EscapeDataString(user.UserName!)}?secret={key}&issuer=Linli&digits=6";
    }

    private static string Format(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4) sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        return sb.ToString().TrimEnd().ToLowerInvariant();
    }
}
