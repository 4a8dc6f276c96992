using Linli.Web.Features.Grids;
using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Grids.Console;

public sealed class IndexModel(CurrentCommunity console, GridsService grids, IAuthorizationService authz) : LinliPageModel
{
    [BindProperty] public GridInput Input { get; set; } = new();
    public List<GridRow> Rows { get; private set; } = [];
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(User, PlacePolicies.ManagePlaces)).Succeeded) return Forbid();
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        Grid? grid = null;
        if (await TryAsync(async () => grid = await grids.CreateAsync(community.Id, Input), nameof(Input)))
            return RedirectWithFlash($"/console/grids/{grid!.Id}", T.Get("grids.created", grid.Name));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        CanManage = (await authz.AuthorizeAsync(User, PlacePolicies.ManagePlaces)).Succeeded;
        if (await console.CurrentAsync() is { } c) Rows = await grids.ListAsync(c.Id);
    }
}
