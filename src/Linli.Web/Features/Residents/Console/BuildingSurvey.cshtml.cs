using Linli.Web.Features.Places;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Residents.Console;

[Authorize(Policy = ResidentPolicies.Survey)]
public sealed class SurveyModel(SurveyService survey, PlacesService places) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public SurveyInput Input { get; set; } = new();
    public SurveyProgress Progress { get; private set; } = null!;
    public string BuildingLabel { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await TryAsync(() => survey.RecordAsync(Input), nameof(Input)))
            return RedirectWithFlash($"/console/buildings/{Id}/survey", T.Get("survey.saved"));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var building = await places.GetBuildingAsync(Id);
        var estate = await places.GetEstateAsync(building.EstateId);
        BuildingLabel = $"{estate.Name} {T.Get("places.building_label", building.Number)}";
        Progress = await survey.ProgressAsync(Id);
    }
}
