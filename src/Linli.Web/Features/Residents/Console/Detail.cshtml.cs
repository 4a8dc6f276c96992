using System.Text.Encodings.Web;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Residents.Console;

[Authorize(Policy = ResidentPolicies.Registry)]
public sealed class DetailModel(ResidentsService residents, AppDbContext db, IAuthorizationService authz, HtmlEncoder encoder) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "building")] public Guid? BuildingId { get; set; }
    [BindProperty] public ResidentInput Input { get; set; } = new();
    [BindProperty] public MoveInput Move { get; set; } = new();
    public ResidentDetail Resident { get; private set; } = null!;
    public string? Revealed { get; private set; }
    public bool CanManage { get; private set; }
    public bool CanReveal { get; private set; }
    public IReadOnlyList<(string, string)> Buildings { get; private set; } = [];
    public IReadOnlyList<(string, string)> Homes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store"; // personal data: never kept by the browser or a proxy
        await LoadAsync(fillInput: true);
    }

    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken ct) =>
        await RunAsync(() => residents.UpdateAsync(Id, Input), nameof(Input), "residents.saved");

    public async Task<IActionResult> OnPostMoveAsync(CancellationToken ct) =>
        await RunAsync(() => residents.MoveAsync(Id, Move), nameof(Move), "residents.moved");

    public bool HasAccount { get; private set; }

    public async Task<IActionResult> OnPostLinkAsync(string? phone, CancellationToken ct) =>
        await RunAsync(() => residents.LinkAccountAsync(Id, phone), null, "residents.saved");

    public async Task<IActionResult> OnPostTagsAsync(List<TagKind> kinds, string? customTags, CancellationToken ct) =>
        await RunAsync(() => residents.SetTagsAsync(Id, new TagsInput
        {
            Kinds = kinds,
            CustomTags = (customTags ?? "").Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries).ToList(),
        }), null, "residents.saved");

    /// <summary>Shows the full number once, for this response only (no-store; htmx keeps it out of its history).</summary>
    public async Task<IActionResult> OnPostRevealAsync(string? reason, CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(User, ResidentPolicies.RevealIdNumbers)).Succeeded) return Forbid();
        Response.Headers.CacheControl = "no-store";
        string? number = null;
        var ok = await TryAsync(async () => number = await residents.RevealIdNumberAsync(Id, reason));
        if (Request.Headers["HX-Request"] == "true")
        {
            var masked = ok ? "" : (await residents.DetailAsync(Id, ct)).IdNumberMasked ?? "";
            var html = ok
                ? $"<span id=\"id-number\"><code>{encoder.Encode(number!)}</code> <small class=\"muted\">{encoder.Encode(T.Get("residents.revealed_logged"))}</small></span>"
                : $"<span id=\"id-number\"><code>{encoder.Encode(masked)}</code></span>"
                  + $"<form method=\"post\" class=\"reveal\" hx-post=\"/console/residents/{Id}?handler=Reveal\" hx-target=\"#id-number-box\" hx-swap=\"innerHTML\">"
                  + $"<label for=\"reason\" class=\"sr-only\">{encoder.Encode(T.Get("field.reason"))}</label>"
                  + $"<input id=\"reason\" name=\"reason\" placeholder=\"{encoder.Encode(T.Get("residents.reveal_reason_hint"))}\" maxlength=\"200\" required aria-invalid=\"true\" aria-describedby=\"reason-error\" />"
                  + $"<button type=\"submit\" class=\"btn btn-small\">{encoder.Encode(T.Get("residents.reveal"))}</button>"
                  + $"<p class=\"error\" id=\"reason-error\" role=\"alert\">{encoder.Encode(string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)))}</p></form>";
            return Content(html, "text/html; charset=utf-8");
        }
        Revealed = number;
        await LoadAsync(fillInput: true);
        return Page();
    }

    private async Task<IActionResult> RunAsync(Func<Task> action, string? prefix, string done)
    {
        if (!(await authz.AuthorizeAsync(User, ResidentPolicies.ManageRegistry)).Succeeded) return Forbid();
        if (await TryAsync(action, prefix)) return RedirectWithFlash($"/console/residents/{Id}", T.Get(done));
        await LoadAsync(fillInput: false);
        return Page();
    }

    private async Task LoadAsync(bool fillInput)
    {
        Resident = await residents.DetailAsync(Id);
        CanManage = (await authz.AuthorizeAsync(User, ResidentPolicies.ManageRegistry)).Succeeded;
        CanReveal = (await authz.AuthorizeAsync(User, ResidentPolicies.RevealIdNumbers)).Succeeded;
        HasAccount = (await residents.GetAsync(Id)).AccountId is not null;
        if (fillInput)
        {
            var entity = await residents.GetAsync(Id);
            Input = new ResidentInput
            {
                Name = entity.Name, Gender = entity.Gender, BirthDate = entity.BirthDate, Phone = entity.Phone, EmergencyContactName = entity.EmergencyContactName,
                EmergencyContactPhone = entity.EmergencyContactPhone, Skills = entity.Skills, Notes = entity.Notes,
            };
        }
        if (!CanManage) return;
        var communityId = (await residents.GetAsync(Id)).CommunityId;
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.CommunityId == communityId && !b.IsRetired)
            .Join(db.Estates, b => b.EstateId, e => e.Id, (b, e) => new { b.Id, b.Number, Estate = e.Name }).ToListAsync();
        var options = new List<(string, string)> { ("", T.Get("communities.choose")) };
        options.AddRange(buildings.OrderBy(b => b.Estate, StringComparer.Ordinal).ThenBy(b => Places.PlacesService.NaturalKey(b.Number), StringComparer.Ordinal)
            .Select(b => (b.Id.ToString(), $"{b.Estate} {T.Get("places.building_label", b.Number)}")));
        Buildings = options;
        if (BuildingId is { } bid && buildings.Any(b => b.Id == bid))
        {
            var homes = await db.Homes.AsNoTracking().Where(h => h.BuildingId == bid && !h.IsRetired)
                .OrderBy(h => h.EntranceNumber).ThenBy(h => h.Floor).ThenBy(h => h.Number).ToListAsync();
            Homes = homes.Select(h => (h.Id.ToString(), h.Label)).ToList();
        }
    }
}
