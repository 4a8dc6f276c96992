using Linli.Web.Features.Places;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Places.Console.Buildings;

public sealed class DetailModel(PlacesService places, AppDbContext db, IAuthorizationService authz) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public BuildingUpdateInput Input { get; set; } = new();
    public Building Building { get; private set; } = null!;
    public Estate Estate { get; private set; } = null!;
    public List<string> GridNames { get; private set; } = [];
    public bool CanManage { get; private set; }
    public bool CanSeeHouseholds { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync();
        Input = new BuildingUpdateInput { Number = Building.Number, Kind = Building.Kind };
    }

    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken ct)
    {
        if (!await MayManageAsync()) return Forbid();
        if (await TryAsync(() => places.UpdateBuildingAsync(Id, Input), nameof(Input)))
            return RedirectWithFlash($"/console/buildings/{Id}", T.Get("buildings.saved"));
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostRetireAsync() => SetRetiredAsync(true);

    public Task<IActionResult> OnPostRestoreAsync() => SetRetiredAsync(false);

    private async Task<IActionResult> SetRetiredAsync(bool retired)
    {
        if (!await MayManageAsync()) return Forbid();
        if (await TryAsync(() => places.SetBuildingRetiredAsync(Id, retired)))
            return RedirectWithFlash($"/console/buildings/{Id}", T.Get(retired ? "places.retired_done" : "places.restored_done"));
        await LoadAsync();
        Input = new BuildingUpdateInput { Number = Building.Number, Kind = Building.Kind };
        return Page();
    }

    private async Task<bool> MayManageAsync() => (await authz.AuthorizeAsync(User, PlacePolicies.ManagePlaces)).Succeeded;

    private async Task LoadAsync()
    {
        Building = await places.GetBuildingAsync(Id, withHomes: true);
        Estate = await places.GetEstateAsync(Building.EstateId);
        GridNames = await db.GridAreas.Where(a => a.BuildingId == Id).Join(db.Grids, a => a.GridId, g => g.Id, (a, g) => g.Name).Distinct().ToListAsync();
        CanManage = await MayManageAsync();
        CanSeeHouseholds = (await authz.AuthorizeAsync(User, ResidentPolicies.Registry)).Succeeded;
    }
}
