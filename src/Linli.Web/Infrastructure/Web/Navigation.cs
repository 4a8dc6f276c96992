using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Linli.Web.Infrastructure.Web;

/// <summary>Where a module's entry shows: the console's side menu, the residents' tab bar, or a tile on the residents' home page.</summary>
public enum NavPlace { ConsoleMenu = 1, PortalTab = 2, PortalTile = 3 }

/// <summary>
/// One entry a module contributes to a shell. The shells list no module: they render what the modules declared, in
/// <see cref="Order"/>, to the users the <see cref="Policy"/> admits (null: anyone signed in).
/// </summary>
/// <param name="Group">The console menu's group heading (a text key); entries of one group stand together.</param>
/// <param name="Text">The entry's text key.</param>
/// <param name="Url">Where it leads; <c>{community}</c> stands for the current community's division code (the entry is left out without one).</param>
/// <param name="Also">Further URL prefixes that mark the entry current (an estate's buildings under "estates").</param>
public sealed record NavEntry(NavPlace Place, string Text, string Url, string? Policy, int Order, string? Group = null, string? Icon = null, string[]? Also = null)
{
    public const string CommunityToken = "{community}";

    public IEnumerable<string> Prefixes => Also is null ? [Url] : [Url, .. Also];
}

/// <summary>A module's part of a shell's page, drawn by a view component: a panel on the staff home page, an item in a header.</summary>
public enum WidgetPlace { ConsoleHome = 1, ConsoleHeader = 2, PortalHeader = 3 }

/// <param name="Component">The view component that draws it (its view lies in the module's folder).</param>
public sealed record Widget(WidgetPlace Place, Type Component, string? Policy, int Order);

public static class NavigationRegistration
{
    public static IServiceCollection AddNav(this IServiceCollection services, params NavEntry[] entries)
    {
        foreach (var e in entries) services.AddSingleton(e);
        return services;
    }

    public static IServiceCollection AddWidget(this IServiceCollection services, params Widget[] widgets)
    {
        foreach (var w in widgets) services.AddSingleton(w);
        return services;
    }
}

/// <summary>What the modules declared, filtered for one user: the layouts' and home pages' one source of their entries.</summary>
public sealed class Navigation(IEnumerable<NavEntry> entries, IEnumerable<Widget> widgets, IAuthorizationService authz)
{
    private readonly NavEntry[] _entries = [.. entries.OrderBy(e => e.Order)];
    private readonly Widget[] _widgets = [.. widgets.OrderBy(w => w.Order)];

    public sealed record Link(NavEntry Entry, string Url, bool Current);

    public sealed record Group(string? Heading, IReadOnlyList<Link> Links);

    /// <summary>The entries of a place the user may open, with the one that <paramref name="path"/> is in marked current.</summary>
    public async Task<IReadOnlyList<Link>> LinksAsync(NavPlace place, ClaimsPrincipal user, string path, string? communityCode = null)
    {
        var shown = new List<NavEntry>();
        foreach (var e in _entries.Where(e => e.Place == place))
        {
            if (e.Url.Contains(NavEntry.CommunityToken, StringComparison.Ordinal) && communityCode is null) continue;
            if (await AllowsAsync(user, e.Policy)) shown.Add(e);
        }
        // The current entry is the one whose URL is the longest prefix of the path (orders/categories over orders).
        var current = shown.SelectMany(e => e.Prefixes.Select(p => (Entry: e, Prefix: p)))
            .Where(x => IsUnder(path, x.Prefix)).OrderByDescending(x => x.Prefix.Length).Select(x => x.Entry).FirstOrDefault();
        return shown.Select(e => new Link(e, e.Url.Replace(NavEntry.CommunityToken, communityCode, StringComparison.Ordinal), e == current)).ToList();
    }

    /// <summary>The console's menu: the entries in groups, each group where its first entry stands.</summary>
    public async Task<IReadOnlyList<Group>> ConsoleMenuAsync(ClaimsPrincipal user, string path)
    {
        var links = await LinksAsync(NavPlace.ConsoleMenu, user, path);
        return links.GroupBy(l => l.Entry.Group).Select(g => new Group(g.Key, g.ToList())).ToList();
    }

    public async Task<IReadOnlyList<Widget>> WidgetsAsync(WidgetPlace place, ClaimsPrincipal user)
    {
        var shown = new List<Widget>();
        foreach (var w in _widgets.Where(w => w.Place == place))
            if (await AllowsAsync(user, w.Policy)) shown.Add(w);
        return shown;
    }

    // A page asks for its menu, tabs, tiles and widgets: each policy is evaluated once per request (this service is scoped).
    private readonly Dictionary<(ClaimsPrincipal, string), bool> _decided = [];

    private async Task<bool> AllowsAsync(ClaimsPrincipal user, string? policy)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        if (policy is null) return true;
        if (!_decided.TryGetValue((user, policy), out var allowed))
            _decided[(user, policy)] = allowed = (await authz.AuthorizeAsync(user, policy)).Succeeded;
        return allowed;
    }

    private static bool IsUnder(string path, string prefix) =>
        prefix == "/" ? path == "/" : path.Equals(prefix, StringComparison.OrdinalIgnoreCase)
            || (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && path[prefix.Length] == '/');
}
