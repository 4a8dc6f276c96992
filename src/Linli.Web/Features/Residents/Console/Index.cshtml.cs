using System.Globalization;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Residents.Console;

[Authorize(Policy = ResidentPolicies.Registry)]
public sealed class IndexModel(CurrentCommunity console, ResidentsService residents, ResidentsExport export, IAuthorizationService authz) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Phone { get; set; }
    /// <summary>Only from a POST (<see cref="OnPostIdSearchAsync"/>): a full ID number never goes into a URL.</summary>
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty(SupportsGet = true)] public TagKind? Tag { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public int Total { get; private set; }
    public bool Filtered => !string.IsNullOrWhiteSpace(Name) || !string.IsNullOrWhiteSpace(Phone) || !string.IsNullOrWhiteSpace(IdNumber) || Tag is not null;
    [BindProperty] public ResidentInput Input { get; set; } = new();
    public List<ResidentRow> Rows { get; private set; } = [];
    public bool CanManage { get; private set; }
    /// <summary>Staff and the secretary: may search by ID number and export full details (both audited).</summary>
    public bool CanReveal { get; private set; }

    /// <summary>The query keys a list or export link carries on (nothing else from the URL is echoed).</summary>
    private static readonly HashSet<string> ListFilters = new(["name", "phone", "tag"], StringComparer.OrdinalIgnoreCase);

    public async Task OnGetAsync(CancellationToken ct)
    {
        IdNumber = null;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostIdSearchAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        if (string.IsNullOrWhiteSpace(IdNumber)) ModelState.AddModelError(nameof(IdNumber), T.Get("validation.required", T.Get("field.id_number")));
        else await LoadAsync();
        if (!ModelState.IsValid) await LoadAsync(withIdNumber: false);
        return Page();
    }

    /// <summary>The list's filters with full ID numbers and phones, with a reason; audited.</summary>
    public async Task<IActionResult> OnPostExportFullAsync(CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(User, ResidentPolicies.RevealIdNumbers)).Succeeded) return Forbid();
        var c = await console.CurrentAsync() ?? throw new NotFoundException();
        (MemoryStream Content, string FileName)? file = null;
        if (await TryAsync(async () => file = await export.CreateAsync(c.Id, new ResidentFilter { Name = Name, Phone = Phone, Tag = Tag }, Reason ?? "", HttpContext.RequestAborted)))
        {
            Response.Headers.CacheControl = "no-store";
            return File(file!.Value.Content, ResidentsExport.ContentType, file.Value.FileName);
        }
        await LoadAsync(withIdNumber: false);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(User, ResidentPolicies.ManageRegistry)).Succeeded) return Forbid();
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        Resident? created = null;
        if (await TryAsync(async () => created = await residents.CreateAsync(community.Id, Input), nameof(Input)))
            return RedirectWithFlash($"/console/residents/{created!.Id}", T.Get("residents.created", created.Name));
        await LoadAsync();
        return Page();
    }

    /// <summary>The export takes exactly the filters of the list (cookie-authenticated like the page).</summary>
    public string ExportUrl => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/console/residents?handler=Export",
        Request.Query.Where(kv => ListFilters.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString()));

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var c = await console.CurrentAsync() ?? throw new NotFoundException();
        var (content, fileName) = await export.CreateAsync(c.Id, new ResidentFilter { Name = Name, Phone = Phone, Tag = Tag }, ct: HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        return File(content, ResidentsExport.ContentType, fileName);
    }

    public string PageUrl(int page)
    {
        var q = Request.Query.Where(kv => ListFilters.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
        q["p"] = page.ToString(CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/console/residents", q);
    }

    private async Task LoadAsync(bool withIdNumber = true)
    {
        CanManage = (await authz.AuthorizeAsync(User, ResidentPolicies.ManageRegistry)).Succeeded;
        CanReveal = (await authz.AuthorizeAsync(User, ResidentPolicies.RevealIdNumbers)).Succeeded;
        if (await console.CurrentAsync() is not { } c) return;
        ResidentPage? page = null;
        var filter = new ResidentFilter { Name = Name, Phone = Phone, IdNumber = withIdNumber ? IdNumber : null, Tag = Tag, Page = PageNumber, Size = 50 };
        if (await TryAsync(async () => page = await residents.SearchAsync(c.Id, filter)))
        {
            Rows = page!.Rows.ToList();
            Total = page.Total;
        }
    }
}
