using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Accounts;

[Authorize]
public sealed class PasswordModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AuditLog audit) : LinliPageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var errors = AccountApi.ChangePasswordErrors(CurrentPassword, NewPassword, T);
        if (errors.Count == 0)
        {
            var result = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
            if (result.Succeeded)
            {
                await audit.WriteAsync(AuditEvents.PasswordChanged, "User", user.Id.ToString());
                await signIn.RefreshSignInAsync(user);
                return RedirectWithFlash("/account/password", T.Get("account.password_changed"));
            }
            errors[result.Errors.Any(e => e.Code == "PasswordMismatch") ? nameof(CurrentPassword) : nameof(NewPassword)] =
                result.Errors.Select(e => e.Code == "PasswordMismatch" ? T.Get("account.current_password_wrong") : e.Description).ToArray();
        }
        foreach (var (k, v) in errors) foreach (var m in v) ModelState.AddModelError(k, m);
        return Page();
    }
}
