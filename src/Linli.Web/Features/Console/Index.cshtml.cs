using Linli.Web.Features.Shared;

namespace Linli.Web.Features.Console;

/// <summary>The staff home page: the panels the modules contribute for the signed-in role (<see cref="Infrastructure.Web.WidgetPlace.ConsoleHome"/>).</summary>
public sealed class IndexModel : LinliPageModel
{
    public void OnGet()
    {
    }
}
