using Linli.Web.Features.Grids;
using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Grids.Console;

public sealed class DetailModel(GridsService grids, IAuthorizationService authz) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public GridAreaInput Area { get; set; } = new();
    [BindProperty] public GridMemberInput Member { get; set; } = new();
    public GridDetail Grid { get; private set; } = null!;
    public List<(Guid Id, string Label, int Entrances)> Assignable { get; private set; } = [];
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public Task<IActionResult> OnPostAssignAsync() =>
        RunAsync(() => grids.AssignAsync(Id, Area), nameof(Area), "grids.assigned");

    public Task<IActionResult> OnPostUnassignAsync(Guid areaId) =>
        RunAsync(() => grids.UnassignAsync(Id, areaId), null, "grids.unassigned");

    public Task<IActionResult> OnPostAddMemberAsync() =>
        RunAsync(() => grids.AddMemberAsync(Id, Member), nameof(Member), "grids.member_added");

    public Task<IActionResult> OnPostRemoveMemberAsync(Guid memberId) =>
        RunAsync(() => grids.RemoveMemberAsync(Id, memberId), null, "grids.member_removed");

    private async Task<IActionResult> RunAsync(Func<Task> action, string? prefix, string done)
    {
        if (!(await authz.AuthorizeAsync(User, PlacePolicies.ManagePlaces)).Succeeded) return Forbid();
        if (await TryAsync(action, prefix)) return RedirectWithFlash($"/console/grids/{Id}", T.Get(done));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Grid = await grids.DetailAsync(Id);
        CanManage = (await authz.AuthorizeAsync(User, PlacePolicies.ManagePlaces)).Succeeded;
        if (CanManage) Assignable = await grids.AssignableBuildingsAsync(await grids.GetAsync(Id));
    }
}
