using Linli.Web.Features.Places;
using Linli.Web.Features.Residents;
using Linli.Web.Infrastructure.Localization;

namespace Linli.Web.Features.Residents.Survey;

/// <summary>What the survey pages on a phone share: how a building and a home are named, and the walking order.</summary>
public static class SurveyPages
{
    /// <summary>"融创裕华壹号 1号楼". Call after <see cref="SurveyService.ProgressAsync"/>, which refuses a building outside the caller's grids.</summary>
    public static async Task<string> BuildingLabelAsync(PlacesService places, Texts t, Guid buildingId, CancellationToken ct)
    {
        var building = await places.GetBuildingAsync(buildingId, ct: ct);
        var estate = await places.GetEstateAsync(building.EstateId, ct);
        return $"{estate.Name} {t.Get("places.building_label", building.Number)}";
    }

    /// <summary>"1单元 101".</summary>
    public static string HomeLabel(Texts t, SurveyHome home) => t.Get("survey.home_label", home.Entrance, home.Number);

    /// <summary>How a volunteer walks a building: entrance by entrance, from the ground floor up, door by door.</summary>
    public static IEnumerable<SurveyHome> WalkOrder(IEnumerable<SurveyHome> homes) =>
        homes.OrderBy(h => h.Entrance).ThenBy(h => h.Floor).ThenBy(h => h.Number.Length).ThenBy(h => h.Number, StringComparer.Ordinal);
}
