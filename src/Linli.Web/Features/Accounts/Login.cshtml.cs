using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Accounts;

[AllowAnonymous]
public sealed class LoginModel(SignInService signIn) : LinliPageModel
{
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await signIn.PasswordSignInAsync(Phone, Password, persistent: true);
        if (outcome.Result.RequiresTwoFactor) return RedirectToPage("TwoFactor", new { ReturnUrl });
        if (!outcome.Result.Succeeded)
        {
            ModelState.AddModelError(outcome.Message == T.Get("validation.mobile") ? nameof(Phone) : "", outcome.Message);
            return Page();
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
