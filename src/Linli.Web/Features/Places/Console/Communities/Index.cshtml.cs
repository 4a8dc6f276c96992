using Linli.Web.Features.Places;
using Linli.Web.Features.Places.Divisions;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Places.Console.Communities;

/// <summary>The system administrator creates communities (tenants) by picking them from the official division list.</summary>
[Authorize(Policy = PlacePolicies.ManageCommunities)]
public sealed class IndexModel(CommunitiesService communities, AppDbContext db, TenantScope scope) : LinliPageModel
{
    [BindProperty] public CommunityInput Input { get; set; } = new();
    [FromQuery(Name = "l1")] public string? Province { get; set; }
    [FromQuery(Name = "l2")] public string? City { get; set; }
    [FromQuery(Name = "l3")] public string? District { get; set; }
    [FromQuery(Name = "l4")] public string? Subdistrict { get; set; }
    [FromQuery(Name = "l5")] public string? Community { get; set; }

    public bool HasDivisions { get; private set; }
    public List<(DivisionLevel Level, List<DivisionRow> Rows, string? Selected)> Levels { get; } = [];
    public List<(string Key, string Value, DivisionLevel Level)> ChainRaw { get; } = [];
    public IEnumerable<(string Key, string Value, DivisionLevel Level)> Chain => ChainRaw;
    public List<CommunityRow> Communities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Community is not null) Input.DivisionCode = Community;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Places.Community? created = null;
        if (await TryAsync(async () => created = await communities.CreateAsync(Input), nameof(Input)))
            return RedirectWithFlash("/console/communities", T.Get("communities.created", created!.Name, created.DivisionCode));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        // The system administrator works on the tenant list itself, across communities.
        scope.UseSystem();
        HasDivisions = await db.Divisions.AnyAsync();
        Communities = await communities.ListVisibleAsync();
        if (!HasDivisions) return;
        string? parent = null;
        var selections = new[] { (DivisionLevel.Province, Province), (DivisionLevel.City, City), (DivisionLevel.District, District), (DivisionLevel.Subdistrict, Subdistrict), (DivisionLevel.Community, Community) };
        foreach (var (level, selected) in selections)
        {
            var rows = await communities.ChildrenAsync(parent);
            if (rows.Count == 0) break;
            var valid = rows.Any(r => r.Code == selected) ? selected : null;
            Levels.Add((level, rows, valid));
            if (valid is null) break;
            ChainRaw.Add(("l" + (int)level, valid, level));
            parent = valid;
        }
    }
}
