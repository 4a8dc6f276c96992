using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Users.Console;

public sealed class IndexModel(UsersService users, CommunitiesService communities, Infrastructure.Tenancy.TenantScope scope) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty] public NewUserInput Input { get; set; } = new();
    public List<UserRow> Rows { get; private set; } = [];
    public List<CommunityRow> Communities { get; private set; } = [];
    public bool IsSecurityAdmin => User.IsInRole(Roles.SecurityAdmin);
    public IReadOnlyList<string> GrantableRoles => IsSecurityAdmin ? Roles.All : Roles.GrantableBySecretary;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        AppUser? created = null;
        if (await TryAsync(async () => created = await users.CreateAsync(User, Input), nameof(Input)))
            return RedirectWithFlash($"/console/users/{created!.Id}", T.Get("users.created", created.DisplayName));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Rows = await users.ListAsync(User, Q);
        if (IsSecurityAdmin) scope.UseSystem();
        Communities = await communities.ListVisibleAsync();
    }
}
