using Linli.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Accounts;

[AllowAnonymous]
public sealed class TwoFactorModel(SignInService signIn) : LinliPageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public bool RememberMachine { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await signIn.TwoFactorSignInAsync(Code, remember: false, rememberClient: RememberMachine);
        if (outcome.Result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/console");
        if (outcome.Result.IsLockedOut || outcome.Message == T.Get("account.2fa_expired"))
        {
            return RedirectWithFlash("/account/login", outcome.Message);
        }
        ModelState.AddModelError(nameof(Code), outcome.Message);
        return Page();
    }
}
