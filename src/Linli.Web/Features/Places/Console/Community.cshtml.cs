using Linli.Web.Features.Places;
using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;

namespace Linli.Web.Features.Places.Console;

/// <summary>The community profile: every number counted from the registry, none typed in.</summary>
public sealed class CommunityModel(CurrentCommunity console, PlacesService places, RegistryFiguresQuery figures, IAuthorizationService authz) : LinliPageModel
{
    public CommunityProfile Profile { get; private set; } = null!;
    public RegistryFigures? Registry { get; private set; }
    /// <summary>A subdistrict admin sees every community of the subdistrict side by side.</summary>
    public List<(CommunityProfile Places, RegistryFigures Registry)> Side { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var current = await console.CurrentAsync() ?? throw new NotFoundException();
        Profile = await places.ProfileAsync(current.Id, ct);
        if ((await authz.AuthorizeAsync(User, ResidentPolicies.Registry)).Succeeded) Registry = await figures.ForAsync(current.Id, ct);
        if (User.IsInRole(Roles.SubdistrictAdmin))
        {
            foreach (var c in await console.CommunitiesAsync())
                Side.Add((await places.ProfileAsync(c.Id, ct), await figures.ForAsync(c.Id, ct)));
        }
    }
}
