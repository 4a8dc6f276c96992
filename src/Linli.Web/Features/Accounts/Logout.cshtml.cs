using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Accounts;

[AllowAnonymous]
public sealed class LogoutModel(SignInManager<AppUser> signIn, AuditLog audit) : LinliPageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            var id = User.UserId();
            await audit.WriteAsync(AuditEvents.SignOut, "User", id?.ToString());
            await signIn.SignOutAsync();
        }
        return RedirectToPage();
    }
}
