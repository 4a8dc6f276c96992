using Linli.Web.Features.Inspections;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Inspections.Console;

/// <summary>
/// The console's list of walks in the current community, newest first, each with its coverage (buildings walked / total)
/// and the problems found; open or finished in the query string. Starting a walk leads to the walk on a phone.
/// </summary>
[Authorize(Policy = InspectionPolicies.Inspections)]
public sealed class IndexModel(CurrentCommunity console, InspectionsService walks) : LinliPageModel
{
    /// <summary>"open", "finished" or nothing (all).</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty] public StartWalkInput Input { get; set; } = new();
    public List<WalkRow> Rows { get; private set; } = [];
    public List<WalkEstate> Estates { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        InspectionWalk? walk = null;
        if (await TryAsync(async () => walk = await walks.StartAsync(Input, HttpContext.RequestAborted), nameof(Input)))
        {
            var estate = (await walks.DetailAsync(walk!.Id, HttpContext.RequestAborted)).Estate;
            return RedirectWithFlash($"/inspections/{walk.Id}", T.Get("inspections.started_flash", estate));
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        if (await console.CurrentAsync() is not { } c) return;
        bool? finished = Status switch { "open" => false, "finished" => true, _ => null };
        Rows = await walks.ListAsync(c.Id, finished, ct: HttpContext.RequestAborted);
        Estates = await walks.EstatesAsync(c.Id, HttpContext.RequestAborted);
    }
}
