using Linli.Web.Features.Places;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Residents.Survey;

/// <summary>
/// Recording one home on a phone: the outcome, who lives there, living alone, an elderly person, the needs seen. The
/// rules are <see cref="SurveyService.RecordAsync"/>'s; its messages go beside the fields. Saving returns to the
/// building with the next home to visit.
/// </summary>
[Authorize(Policy = ResidentPolicies.Survey)]
public sealed class HomeModel(SurveyService survey, PlacesService places) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid HomeId { get; set; }
    [BindProperty] public SurveyInput Input { get; set; } = new();

    public SurveyHome Home { get; private set; } = null!;
    public string HomeLabel { get; private set; } = "";
    public string BuildingLabel { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        await LoadAsync();
        // The latest record counts, so a second visit corrects it: start from what was recorded ("nobody home" → try again).
        if (Home.Outcome is { } last)
        {
            Input.Outcome = last == SurveyOutcome.NobodyHome ? SurveyOutcome.Visited : last;
            Input.People = Home.People;
            Input.LivingAlone = Home.LivingAlone;
            Input.ElderlyLivingHere = Home.Elderly;
            Input.Needs = Home.Needs;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync();
        Input.HomeId = Home.HomeId;
        LocalizeBindingErrors();
        if (ModelState.IsValid && await TryAsync(() => survey.RecordAsync(Input, HttpContext.RequestAborted), nameof(Input)))
        {
            var visited = Input.Outcome == SurveyOutcome.Visited;
            var message = visited && Input.LivingAlone ? T.Get("survey.saved_home_alone", HomeLabel) : T.Get("survey.saved_home", HomeLabel, T.Get("survey_outcome." + Input.Outcome));
            return RedirectWithFlash($"/survey/{Id}?after={Home.HomeId}", message);
        }
        Response.Headers.CacheControl = "no-cache, no-store";
        return Page();
    }

    /// <summary>A number or choice the browser sent that does not bind gets the same message the service would give.</summary>
    private void LocalizeBindingErrors()
    {
        foreach (var (key, text) in new[]
                 {
                     ("Input.People", T.Get("validation.range_of", T.Get("field.people"), 0, 30)),
                     ("Input.Outcome", T.Get("validation.choose", T.Get("field.outcome"))),
                 })
        {
            if (ModelState[key] is not { Errors.Count: > 0 } entry) continue;
            entry.Errors.Clear();
            entry.Errors.Add(text);
        }
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        // The building's progress refuses a building of another community or outside a grid member's grids (404).
        var progress = await survey.ProgressAsync(Id, ct);
        Home = progress.Homes.FirstOrDefault(h => h.HomeId == HomeId) ?? throw new NotFoundException();
        HomeLabel = SurveyPages.HomeLabel(T, Home);
        BuildingLabel = await SurveyPages.BuildingLabelAsync(places, T, Id, ct);
    }
}
