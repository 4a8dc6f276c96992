using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Errors;

namespace Linli.Web.Features.Console;

/// <summary>The community profile: every number counted from the registry, none typed in.</summary>
public sealed class CommunityModel(ConsoleContext console, PlacesService places) : LinliPageModel
{
    public CommunityProfile Profile { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var current = await console.CurrentAsync() ?? throw new NotFoundException();
        Profile = await places.ProfileAsync(current.Id);
    }
}
