using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Residents.Portal;

/// <summary>A resident's own household: who lives there, the own contact details to correct, consent for sensitive tags.</summary>
[Authorize]
public sealed class HouseholdModel(ResidentsService residents) : LinliPageModel
{
    public Resident? Resident { get; private set; }
    public Household? Household { get; private set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? EmergencyContactName { get; set; }
    [BindProperty] public string? EmergencyContactPhone { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostContactAsync(CancellationToken ct)
    {
        if (await TryAsync(() => residents.CorrectOwnContactAsync(User.UserId()!.Value, Phone, EmergencyContactName, EmergencyContactPhone)))
            return RedirectWithFlash("/me/household", T.Get("portal.contact_saved"));
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostConsentAsync(TagKind kind, bool consent, CancellationToken ct)
    {
        if (await TryAsync(() => residents.SetOwnConsentAsync(User.UserId()!.Value, kind, consent)))
            return RedirectWithFlash("/me/household", T.Get(consent ? "portal.consent_given_done" : "portal.consent_withdrawn_done"));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Resident = await residents.ForAccountAsync(User.UserId()!.Value);
        if (Resident?.Current is { } home) Household = await residents.HouseholdAsync(home.HomeId);
    }
}
