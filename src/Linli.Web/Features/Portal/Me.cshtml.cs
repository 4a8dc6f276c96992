using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Web.Features.Portal;

public sealed class MeModel : PageModel
{
    public void OnGet() { }
}
