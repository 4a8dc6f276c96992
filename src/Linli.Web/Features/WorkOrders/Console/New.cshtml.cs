using System.Globalization;
using System.Text.RegularExpressions;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders.Console;

/// <summary>
/// Staff enter an order on a resident's behalf (a phone call, a visit), or a grid member records one from patrol: the
/// resident picked from the registry (roles that read it; the registry's own search, phones masked), the place as
/// building → entrance → home or in words (a picked resident's home by default), the category, and the duplicate hint,
/// which is shown again before creating when it has orders the form has not shown yet. Every part works as a plain form
/// post; htmx swaps only what changed (the picker's list, the place and the hint, the whole form after a pick).
/// </summary>
public sealed partial class NewModel(CurrentCommunity console, WorkOrderIntake intake, WorkOrderReference reference, ResidentsService residents, AppDbContext db,
    IAuthorizationService authz) : LinliPageModel
{
    public const string PagePath = "/console/orders/new";
    /// <summary>How many residents the picker lists; more means the query should be narrower.</summary>
    public const int PickerSize = 8;

    [BindProperty] public NewWorkOrder Input { get; set; } = new();
    /// <summary>What staff typed into the picker: a name, a phone's last 4 digits (or the whole number), or a home as 3-2-1801 / 2-1801.</summary>
    [BindProperty] public string? ResidentQuery { get; set; }
    /// <summary>The similar orders the form has shown (the hint); a create is held back while there are others.</summary>
    [BindProperty] public List<Guid> SimilarShown { get; set; } = [];
    /// <summary>The place came from the picked resident's home: picking another resident replaces it, a place staff chose stays.</summary>
    [BindProperty] public bool PlaceFromResident { get; set; }

    public bool CanPickResident { get; private set; }
    public ResidentPick? Resident { get; private set; }
    /// <summary>The picker's answer; null before anything was searched.</summary>
    public IReadOnlyList<ResidentRow>? Found { get; private set; }
    public int FoundTotal { get; private set; }
    public string? SearchError { get; private set; }
    public List<CategoryRow> Categories { get; private set; } = [];
    public List<BuildingChoice> Buildings { get; private set; } = [];
    public BuildingChoice? Building { get; private set; }
    public List<(Guid Id, string Label)> Homes { get; private set; } = [];
    public List<SimilarOrder> Similar { get; private set; } = [];
    /// <summary>The element htmx (or the browser) focuses after the form comes back: "change" after a pick, the search box after "change".</summary>
    public string? Focus { get; private set; }

    public sealed record BuildingChoice(Guid Id, string Estate, string Number, int EntranceCount);

    private bool IsHtmx => Request.Headers["HX-Request"] == "true";

    /// <summary>A handler's URL; a language chosen by the query string (?culture=en) goes along, so the swapped parts speak it too.</summary>
    public string HandlerUrl(string? handler)
    {
        var query = new Dictionary<string, string?>();
        if (handler is not null) query["handler"] = handler;
        if (Request.Query.TryGetValue("culture", out var culture)) query["culture"] = culture.ToString();
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(PagePath, query);
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.Channel = User.IsInRole(Roles.GridMember) && !Roles.RegistryReaders.Where(r => r != Roles.GridMember).Any(User.IsInRole)
            ? Channel.GridPatrol : Channel.Phone;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var c = await console.CurrentAsync() ?? throw new NotFoundException();
        await LoadAsync();
        // The hint first: an open order of the same kind at the same building that the form has not shown yet holds the
        // create back, so whoever enters it decides (link, or a different problem) before a second case starts.
        if (Input.DuplicateOfId is null && Similar.Any(s => !SimilarShown.Contains(s.Id)))
        {
            ModelState.AddModelError("Input.DuplicateOfId", T.Get("workorders.similar_check"));
            return Page();
        }
        WorkOrder? created = null;
        if (await TryAsync(async () => created = (await intake.ReportAsync(c.Id, Input, [], ct: HttpContext.RequestAborted)).Order, nameof(Input)))
            return RedirectWithFlash($"/console/orders/{created!.Id}", T.Get("workorders.created_flash", created.Number));
        return Page();
    }

    /// <summary>The picker's search (htmx: the list alone; without JavaScript: the page with the list).</summary>
    public async Task<IActionResult> OnPostSearchAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (!await MayPickAsync()) return Forbid();
        var c = await console.CurrentAsync() ?? throw new NotFoundException();
        await SearchAsync(c.Id);
        if (IsHtmx) return Partial("_ResidentResults", this);
        await LoadAsync();
        Focus = "resident-q";
        return Page();
    }

    /// <summary>A resident picked from the list: the form comes back with them, and their home as the place unless staff chose another.</summary>
    public async Task<IActionResult> OnPostPickAsync(Guid pick, CancellationToken ct)
    {
        ModelState.Clear();
        if (!await MayPickAsync()) return Forbid();
        var c = await console.CurrentAsync() ?? throw new NotFoundException();
        if (await residents.PickAsync(c.Id, pick, ct: ct) is not { } r)
        {
            ModelState.AddModelError("Input.ResidentId", T.Get("workorders.resident_unknown"));
            Input.ResidentId = null;
        }
        else
        {
            Input.ResidentId = r.Id;
            ResidentQuery = null;
            var placeEmpty = Input.Place.BuildingId is null && Input.Place.HomeId is null && Input.Place.EstateId is null;
            if (r.Home is { } home && (placeEmpty || PlaceFromResident))
            {
                Input.Place.BuildingId = home.BuildingId;
                Input.Place.EntranceNumber = home.EntranceNumber;
                Input.Place.HomeId = home.HomeId;
                PlaceFromResident = true;
            }
            Focus = "resident-change";
        }
        await LoadAsync(interactive: true);
        return Page();
    }

    /// <summary>"Change": the picked resident is let go (the place stays) and the search box comes back.</summary>
    public async Task<IActionResult> OnPostUnpickAsync(CancellationToken ct)
    {
        ModelState.Clear();
        Input.ResidentId = null;
        Focus = "resident-q";
        await LoadAsync(interactive: true);
        return Page();
    }

    /// <summary>The category or the place changed: the place's choices and the hint follow (htmx picks the part it swaps).</summary>
    public async Task<IActionResult> OnPostRefreshAsync(bool placeChanged, CancellationToken ct)
    {
        ModelState.Clear();
        if (placeChanged) PlaceFromResident = false;
        await LoadAsync(interactive: true);
        return Page();
    }

    private async Task<bool> MayPickAsync() => (await authz.AuthorizeAsync(User, ResidentPolicies.Registry)).Succeeded;

    /// <summary>
    /// The query as the registry's search takes it: 3-2-1801 (building-entrance-home) or 2-1801 (entrance-home), digits as
    /// a phone (the search accepts the last 4 or the whole number and says so otherwise), anything else as a name.
    /// </summary>
    private async Task SearchAsync(Guid communityId)
    {
        var q = ResidentQuery?.Trim();
        if (string.IsNullOrEmpty(q)) return;
        var filter = new ResidentFilter { Size = PickerSize };
        if (HomeQuery().Match(q.Replace('－', '-').Replace('—', '-').Replace(' ', '-')) is { Success: true } m)
        {
            filter.BuildingNumber = m.Groups["b"].Success ? m.Groups["b"].Value : null;
            filter.Entrance = int.Parse(m.Groups["e"].Value, CultureInfo.InvariantCulture);
            filter.HomeNumber = m.Groups["h"].Value;
        }
        else if (q.All(char.IsAsciiDigit)) filter.Phone = q;
        else filter.Name = q;
        ResidentPage? page = null;
        if (await TryAsync(async () => page = await residents.SearchAsync(communityId, filter)))
        {
            Found = page!.Rows;
            FoundTotal = page.Total;
        }
        else
        {
            SearchError = ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).FirstOrDefault();
            ModelState.Clear();
        }
    }

    [GeneratedRegex(@"^(?:(?<b>[0-9A-Za-z]{1,10})-)?(?<e>[0-9]{1,2})-(?<h>[0-9]{3,5})$")]
    private static partial Regex HomeQuery();

    /// <summary>
    /// What the form shows: categories, buildings, the chosen building's homes, the picked resident, the hint. After a
    /// change (<paramref name="interactive"/>) the place is made consistent (an entrance of the building, a home of the
    /// entrance) and a link to an order no longer similar is dropped; a create keeps what was posted, for its checks to name.
    /// </summary>
    private async Task LoadAsync(bool interactive = false)
    {
        CanPickResident = await MayPickAsync();
        if (await console.CurrentAsync() is not { } c) return;
        Categories = (await reference.CategoriesAsync(c.Id)).Where(x => !x.IsRetired).ToList();
        Buildings = (await db.Buildings.AsNoTracking().Where(b => b.CommunityId == c.Id && !b.IsRetired)
            .Join(db.Estates, b => b.EstateId, e => e.Id, (b, e) => new BuildingChoice(b.Id, e.Name, b.Number, b.EntranceCount)).ToListAsync())
            .OrderBy(x => x.Estate, StringComparer.Ordinal).ThenBy(x => Places.PlacesService.NaturalKey(x.Number), StringComparer.Ordinal).ToList();
        var place = Input.Place;
        Building = Buildings.FirstOrDefault(b => b.Id == place.BuildingId);
        if (Building is { } building)
        {
            var entrance = place.EntranceNumber is { } e && e >= 1 && e <= building.EntranceCount ? e : (int?)null;
            var homes = await db.Homes.AsNoTracking().Where(h => h.BuildingId == building.Id && !h.IsRetired)
                .Select(h => new { h.Id, h.EntranceNumber, h.Floor, h.Number }).ToListAsync();
            if (interactive)
            {
                // A home chosen first names its entrance; one of another entrance or building is let go.
                if (place.HomeId is { } hid && homes.FirstOrDefault(h => h.Id == hid) is { } chosen)
                {
                    if (entrance is null || entrance == chosen.EntranceNumber) entrance = chosen.EntranceNumber;
                    else place.HomeId = null;
                }
                else place.HomeId = null;
                place.EntranceNumber = entrance;
            }
            Homes = homes.Where(h => entrance is null || h.EntranceNumber == entrance)
                .OrderBy(h => h.EntranceNumber).ThenBy(h => h.Floor).ThenBy(h => h.Number, StringComparer.Ordinal)
                .Select(h => (h.Id, $"{h.EntranceNumber}-{h.Number}")).ToList();
        }
        else if (interactive)
        {
            place.BuildingId = null;
            place.EntranceNumber = null;
            place.HomeId = null;
        }
        if (CanPickResident && Input.ResidentId is { } rid) Resident = await residents.PickAsync(c.Id, rid);
        if (Input.CategoryId != Guid.Empty)
        {
            // The building as the create takes it: a home's own building first.
            Similar = await intake.SimilarAsync(c.Id, Input.CategoryId, new PlaceInput { HomeId = place.HomeId, BuildingId = place.HomeId is null ? place.BuildingId : null });
        }
        if (interactive && Input.DuplicateOfId is { } dup && Similar.All(s => s.Id != dup)) Input.DuplicateOfId = null;
    }
}
