using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Web;

namespace Linli.Web.Features.Portal;

/// <summary>
/// The residents' portal: the shell (layout, home page, "me") that renders what the modules declare (tabs, tiles,
/// header widgets). Its own entries are the home and "me" tabs, the way into the console, and the "me" and preferences tiles.
/// </summary>
public static class PortalShell
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(
            new NavEntry(NavPlace.PortalTab, "nav.home", "/", null, 0, Icon: "⌂"),
            new NavEntry(NavPlace.PortalTab, "nav.me", "/me", null, 900, Icon: "☺"),
            new NavEntry(NavPlace.PortalTab, "nav.console", "/console", Policies.Console, 950, Icon: "▦"),
            new NavEntry(NavPlace.PortalTile, "portal.tile_me", "/me", null, 500, Icon: "☺"),
            new NavEntry(NavPlace.PortalTile, "prefs.title", "/settings", null, 700, Icon: "A"));
        return builder;
    }
}
