using Linli.Web.Features.Places;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Residents.Survey;

/// <summary>
/// One building on a phone: its progress, the next home to visit, and entrance by entrance, floor by floor, every home
/// with its mark (done, nobody home, not yet). Only marks: what was recorded is shown on the home's own page.
/// </summary>
[Authorize(Policy = ResidentPolicies.Survey)]
public sealed class BuildingModel(SurveyService survey, PlacesService places) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    /// <summary>The home just recorded: the next home to visit is the first not done after it.</summary>
    [BindProperty(SupportsGet = true)] public Guid? After { get; set; }

    public SurveyProgress Progress { get; private set; } = null!;
    public string BuildingLabel { get; private set; } = "";
    public SurveyHome? Next { get; private set; }
    public IReadOnlyList<EntranceView> Entrances { get; private set; } = [];

    public sealed record EntranceView(int Number, int Done, int Total, bool Open, IReadOnlyList<FloorView> Floors);

    public sealed record FloorView(int Floor, IReadOnlyList<SurveyHome> Homes);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        Progress = await survey.ProgressAsync(Id, ct);
        BuildingLabel = await SurveyPages.BuildingLabelAsync(places, T, Id, ct);

        var walk = SurveyPages.WalkOrder(Progress.Homes).ToList();
        var after = After is { } a ? walk.FindIndex(h => h.HomeId == a) : -1;
        var todo = walk.Select((h, i) => (Home: h, Index: i)).Where(x => !SurveyVisit.IsDone(x.Home.Outcome)).ToList();
        Next = (todo.FirstOrDefault(x => x.Index > after).Home ?? todo.FirstOrDefault(x => x.Index != after).Home) ?? todo.FirstOrDefault().Home;

        var openEntrance = Next?.Entrance ?? (after >= 0 ? walk[after].Entrance : (int?)null);
        var byEntrance = walk.GroupBy(h => h.Entrance).ToList();
        Entrances = byEntrance.Select(e => new EntranceView(e.Key, e.Count(h => SurveyVisit.IsDone(h.Outcome)), e.Count(),
                byEntrance.Count == 1 || e.Key == openEntrance,
                e.GroupBy(h => h.Floor).Select(f => new FloorView(f.Key, f.ToList())).ToList()))
            .ToList();
    }
}
