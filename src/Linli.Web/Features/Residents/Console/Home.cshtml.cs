using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Linli.Web.Features.Residents.Console;

/// <summary>A household: the people living in one home now.</summary>
[Authorize(Policy = ResidentPolicies.Registry)]
public sealed class HomeModel(ResidentsService residents) : LinliPageModel
{
    public Household Household { get; private set; } = null!;

    public async Task OnGetAsync(Guid id, CancellationToken ct) => Household = await residents.HouseholdAsync(id, ct);
}
