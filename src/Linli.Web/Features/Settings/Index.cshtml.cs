using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Web.Features.Settings;

/// <summary>Preferences kept in long-lived cookies: language, elder mode (长辈版), the console's current community.</summary>
public sealed class IndexModel : PageModel
{
    private static readonly CookieOptions Lasting = new() { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true };

    public void OnGet() { }

    public IActionResult OnPostCulture(string? culture, string? returnUrl)
    {
        var c = culture == Texts.English ? Texts.English : Texts.Chinese;
        Response.Cookies.Append(WebSetup.CultureCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(c)), Lasting);
        return LocalRedirect(Safe(returnUrl));
    }

    public IActionResult OnPostElder(bool on, string? returnUrl)
    {
        Response.Cookies.Append(WebSetup.ElderCookie, on ? "1" : "0", Lasting);
        return LocalRedirect(Safe(returnUrl));
    }

    public IActionResult OnPostCommunity(Guid communityId, string? returnUrl)
    {
        Response.Cookies.Append(CurrentCommunity.Cookie, communityId.ToString(), Lasting);
        return LocalRedirect(Safe(returnUrl, "/console"));
    }

    private string Safe(string? returnUrl, string fallback = "/") => Url.IsLocalUrl(returnUrl) ? returnUrl! : fallback;
}
