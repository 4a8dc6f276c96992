using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Inspections;

/// <summary>
/// A walk on a phone: its coverage, the next building to walk, every building with its state in words, the problems
/// found with their orders, and the button that ends the walk.
/// </summary>
[Authorize(Policy = InspectionPolicies.Inspections)]
public sealed class WalkModel(InspectionsService walks) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    public WalkDetail Walk { get; private set; } = null!;
    public WalkBuildingRow? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostFinishAsync(CancellationToken ct)
    {
        if (await TryAsync(() => walks.FinishAsync(Id, HttpContext.RequestAborted)))
        {
            var w = await walks.DetailAsync(Id, HttpContext.RequestAborted);
            return RedirectWithFlash($"/inspections/{Id}", T.Get("inspections.finished_flash", w.Done, w.Total, w.Problems.Count));
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        Walk = await walks.DetailAsync(Id, HttpContext.RequestAborted);
        Next = Walk.Finished ? null : Walk.Buildings.FirstOrDefault(b => !b.Walked);
    }
}
