using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Places.Console.Estates;

public sealed class DetailModel(PlacesService places, IAuthorizationService authz) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public BuildingInput Building { get; set; } = new();
    public Estate Estate { get; private set; } = null!;
    public List<BuildingRow> Buildings { get; private set; } = [];
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostBuildingAsync(CancellationToken ct)
    {
        if (!await MayManageAsync()) return Forbid();
        Places.Building? created = null;
        if (await TryAsync(async () => created = await places.CreateBuildingAsync(Id, Building), nameof(Building)))
            return RedirectWithFlash($"/console/buildings/{created!.Id}", T.Get("buildings.created", created.Number, created.Homes.Count));
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostRetireAsync() => SetRetiredAsync(true);

    public Task<IActionResult> OnPostRestoreAsync() => SetRetiredAsync(false);

    private async Task<IActionResult> SetRetiredAsync(bool retired)
    {
        if (!await MayManageAsync()) return Forbid();
        if (await TryAsync(() => places.SetEstateRetiredAsync(Id, retired)))
            return RedirectWithFlash($"/console/estates/{Id}", T.Get(retired ? "places.retired_done" : "places.restored_done"));
        await LoadAsync();
        return Page();
    }

    private async Task<bool> MayManageAsync() => (await authz.AuthorizeAsync(User, PlacePolicies.ManagePlaces)).Succeeded;

    private async Task LoadAsync()
    {
        Estate = await places.GetEstateAsync(Id);
        Buildings = await places.ListBuildingsAsync(Id, includeRetired: true);
        CanManage = await MayManageAsync();
    }
}
