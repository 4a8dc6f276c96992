using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Web.Features.Shared;

/// <summary>
/// Runs a feature operation for a page: validation and business-rule errors go beside the fields (the same
/// messages the API returns), a flash message says what happened, NotFound becomes the 404 page.
/// </summary>
public abstract class LinliPageModel : PageModel
{
    protected Texts T => HttpContext.RequestServices.GetRequiredService<Texts>();

    /// <summary>Runs <paramref name="action"/>; on a rule or shape error, fills ModelState (fields under <paramref name="prefix"/>) and returns false.</summary>
    protected async Task<bool> TryAsync(Func<Task> action, string? prefix = null)
    {
        try
        {
            await action();
            return true;
        }
        catch (ValidationFailedException v)
        {
            foreach (var (field, messages) in v.Errors)
                foreach (var m in messages) ModelState.AddModelError(Key(prefix, field), m);
        }
        catch (DomainException d)
        {
            ModelState.AddModelError(d.Field is null ? "" : Key(prefix, d.Field), ApiExceptionHandler.Localize(d, T));
        }
        return false;
    }

    private static string Key(string? prefix, string field) => string.IsNullOrEmpty(prefix) ? field : $"{prefix}.{field}";

    protected IActionResult RedirectWithFlash(string url, string message)
    {
        // Set explicitly (no [TempData] property): pages without a flash then never load TempData, so they send no
        // Set-Cookie and can be output-cached.
        TempData[WebSetup.FlashKey] = message;
        return LocalRedirect(url);
    }
}
