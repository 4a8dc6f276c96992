using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Users.Console;

public sealed class DetailModel(UsersService users, AppDbContext db, TenantScope scope) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    public UserDetail Detail { get; private set; } = null!;
    public IReadOnlyList<(string, string)> ScopeOptions { get; private set; } = [];
    public IReadOnlyList<string> GrantableRoles => User.IsInRole(Roles.SecurityAdmin) ? Roles.All : Roles.GrantableBySecretary;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public Task<IActionResult> OnPostGrantAsync(string role) => RunAsync(() => users.GrantRoleAsync(User, Id, role), "users.saved");

    public Task<IActionResult> OnPostRevokeAsync(string role) => RunAsync(() => users.RevokeRoleAsync(User, Id, role), "users.saved");

    public Task<IActionResult> OnPostDisableAsync() => RunAsync(() => users.SetDisabledAsync(User, Id, true), "users.disabled_done");

    public Task<IActionResult> OnPostEnableAsync() => RunAsync(() => users.SetDisabledAsync(User, Id, false), "users.enabled_done");

    public Task<IActionResult> OnPostRemoveScopeAsync(Guid scopeId) => RunAsync(() => users.RemoveScopeAsync(User, Id, scopeId), "users.saved");

    /// <summary>The picker's value is "Kind:target" (a community or grid id, or a subdistrict code).</summary>
    public Task<IActionResult> OnPostAddScopeAsync(string? scopeTarget)
    {
        var parts = (scopeTarget ?? "").Split(':', 2);
        var input = new ScopeInput();
        if (parts.Length == 2 && Enum.TryParse<ScopeKind>(parts[0], out var kind))
        {
            input.Kind = kind;
            if (kind == ScopeKind.Subdistrict) input.SubdistrictCode = parts[1];
            else if (Guid.TryParse(parts[1], out var id)) input.TargetId = id;
        }
        return RunAsync(() => users.AddScopeAsync(User, Id, input), "users.saved");
    }

    private async Task<IActionResult> RunAsync(Func<Task> action, string done)
    {
        if (await TryAsync(action)) return RedirectWithFlash($"/console/users/{Id}", T.Get(done));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Detail = await users.DetailAsync(User, Id);
        var securityAdmin = User.IsInRole(Roles.SecurityAdmin);
        if (securityAdmin) scope.UseSystem();
        var communities = await db.Communities.AsNoTracking().OrderBy(c => c.DivisionCode).Select(c => new { c.Id, c.ShortName, c.SubdistrictCode }).ToListAsync();
        var ids = communities.Select(c => c.Id).ToList();
        var grids = await db.Grids.AsNoTracking().Where(g => ids.Contains(g.CommunityId)).OrderBy(g => g.Name).Select(g => new { g.Id, g.Name, g.CommunityId }).ToListAsync();
        var options = new List<(string, string)>();
        foreach (var c in communities)
        {
            options.Add(($"{ScopeKind.Community}:{c.Id}", $"{T.Get("scope.Community")}: {c.ShortName}"));
            options.AddRange(grids.Where(g => g.CommunityId == c.Id).Select(g => ($"{ScopeKind.Grid}:{g.Id}", $"{T.Get("scope.Grid")}: {c.ShortName} · {g.Name}")));
        }
        if (securityAdmin)
        {
            var codes = communities.Select(c => c.SubdistrictCode).Distinct().ToList();
            var subdistricts = await db.Divisions.AsNoTracking().Where(d => codes.Contains(d.Code)).OrderBy(d => d.Code).ToListAsync();
            options.AddRange(subdistricts.Select(d => ($"{ScopeKind.Subdistrict}:{d.Code}", $"{T.Get("scope.Subdistrict")}: {d.Name}")));
        }
        ScopeOptions = options;
    }
}
