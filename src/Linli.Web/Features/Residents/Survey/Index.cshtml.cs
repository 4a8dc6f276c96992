using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Linli.Web.Features.Residents.Survey;

/// <summary>
/// The door-to-door survey on a phone (老龄化调查), for volunteers and for staff out in the estates: the buildings the
/// caller may survey, each with homes done / total. Volunteers reach nothing else of the console.
/// </summary>
[Authorize(Policy = ResidentPolicies.Survey)]
public sealed class IndexModel(SurveyService survey) : LinliPageModel
{
    public IReadOnlyList<SurveyBuilding> Buildings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        Buildings = await survey.BuildingsAsync(HttpContext.RequestAborted);
    }
}
