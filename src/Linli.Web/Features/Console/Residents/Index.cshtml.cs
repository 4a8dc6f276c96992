using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Console.Residents;

[Authorize(Policy = Policies.Registry)]
public sealed class IndexModel(ConsoleContext console, ResidentsService residents, IAuthorizationService authz) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty] public ResidentInput Input { get; set; } = new();
    public List<ResidentRow> Rows { get; private set; } = [];
    public bool CanManage { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!(await authz.AuthorizeAsync(User, Policies.ManageRegistry)).Succeeded) return Forbid();
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        Resident? created = null;
        if (await TryAsync(async () => created = await residents.CreateAsync(community.Id, Input), nameof(Input)))
            return RedirectWithFlash($"/console/residents/{created!.Id}", T.Get("residents.created", created.Name));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        CanManage = (await authz.AuthorizeAsync(User, Policies.ManageRegistry)).Succeeded;
        if (await console.CurrentAsync() is { } c) Rows = await residents.ListAsync(c.Id, Name);
    }
}
