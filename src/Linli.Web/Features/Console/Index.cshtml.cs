using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Console;

public sealed class IndexModel(CurrentCommunity console, PlacesService places) : LinliPageModel
{
    public CommunityProfile? Profile { get; private set; }

    public async Task OnGetAsync()
    {
        if (Roles.CommunityWorkers.Any(User.IsInRole) && await console.CurrentAsync() is { } c)
            Profile = await places.ProfileAsync(c.Id);
    }
}
