using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Inspections;

/// <summary>
/// One building of a walk on a phone: mark it walked (with or without problems), record a problem with camera photos
/// (it becomes a work order), see what was recorded here. The rules and messages are <see cref="InspectionsService"/>'s.
/// </summary>
[Authorize(Policy = InspectionPolicies.Inspections)]
[Infrastructure.Web.UploadLimit(WorkOrderPhoto.MaxPerStage * Infrastructure.Media.PhotoStore.MaxBytes)]
public sealed class BuildingModel(InspectionsService walks, WorkOrderReference reference) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid BuildingId { get; set; }
    [BindProperty] public ProblemInput Problem { get; set; } = new();

    public WalkDetail Walk { get; private set; } = null!;
    public WalkBuildingRow Building { get; private set; } = null!;
    public List<WalkProblemRow> Problems { get; private set; } = [];
    public List<CategoryRow> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostWalkedAsync(CancellationToken ct)
    {
        await LoadAsync();
        if (await TryAsync(() => walks.MarkWalkedAsync(Id, BuildingId, HttpContext.RequestAborted)))
            return RedirectWithFlash($"/inspections/{Id}", T.Get("inspections.marked_flash", Building.Label));
        return Page();
    }

    public async Task<IActionResult> OnPostProblemAsync(CancellationToken ct)
    {
        await LoadAsync();
        Problem.BuildingId = BuildingId;
        // A number the browser sent that does not bind gets the service's own message.
        if (ModelState["Problem.EntranceNumber"] is { Errors.Count: > 0 } entrance)
        {
            entrance.Errors.Clear();
            entrance.Errors.Add(T.Get("inspections.entrance_unknown"));
        }
        InspectionProblem? recorded = null;
        if (ModelState.IsValid && await TryAsync(async () =>
            {
                var photos = await WorkOrdersApi.PrepareAsync(Request.Form.Files, HttpContext.RequestAborted, required: false);
                recorded = await walks.RecordProblemAsync(Id, Problem, photos, HttpContext.RequestAborted);
            }, nameof(Problem)))
            return RedirectWithFlash($"/inspections/{Id}/{BuildingId}", T.Get("inspections.recorded_flash", recorded!.WorkOrderNumber));
        return Page();
    }

    private async Task LoadAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        var ct = HttpContext.RequestAborted;
        Walk = await walks.DetailAsync(Id, ct);
        // Not a building of this walk, or not one of a grid member's own grids: not there for the caller.
        Building = Walk.Buildings.FirstOrDefault(b => b.BuildingId == BuildingId) ?? throw new NotFoundException();
        Problems = Walk.Problems.Where(p => p.BuildingId == BuildingId).ToList();
        if (!Walk.Finished) Categories = (await reference.CategoriesAsync(Walk.CommunityId, ct)).Where(c => !c.IsRetired).ToList();
    }
}
