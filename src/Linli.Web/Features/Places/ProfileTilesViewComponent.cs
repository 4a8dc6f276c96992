using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Places;

/// <summary>The staff home page's figures of the current community: estates, buildings, homes, grids (or where to start).</summary>
public sealed class ProfileTilesViewComponent(CurrentCommunity current, PlacesService places) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (await current.CurrentAsync() is not { } c) return Content("");
        return View("/Features/Places/Console/_ProfileTiles.cshtml", await places.ProfileAsync(c.Id, HttpContext.RequestAborted));
    }
}
