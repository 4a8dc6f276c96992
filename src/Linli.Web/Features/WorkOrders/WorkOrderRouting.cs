using System.ComponentModel;
using System.Globalization;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.Partners;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

/// <summary>A handler as a caller names it: JSON <c>{ kind, id }</c>, or "Kind:Id" as the forms' selects post it.</summary>
[TypeConverter(typeof(HandlerInputConverter))]
public sealed record HandlerInput(HandlerKind Kind, Guid Id)
{
    /// <summary>A handler as the forms' selects give it, "Kind:Id"; null when empty or not of that shape.</summary>
    public static HandlerInput? Parse(string? value) =>
        value?.Split(':') is [var kind, var id] && Enum.TryParse<HandlerKind>(kind, out var k) && Enum.IsDefined(k) && Guid.TryParse(id, out var g) ? new HandlerInput(k, g) : null;
}

/// <summary>Binds a form's "Kind:Id" to a <see cref="HandlerInput"/> (a page's form model); anything else binds to none.</summary>
public sealed class HandlerInputConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string s ? HandlerInput.Parse(s) : base.ConvertFrom(context, culture, value);
}

/// <summary>The handler select of the console's forms (see _HandlerSelect); <paramref name="Selected"/> as "Kind:Id".</summary>
public sealed record HandlerSelect(string Id, string Name, IReadOnlyList<Handler> Handlers, string? Selected, string? EmptyLabel, string? DescribedBy = null);

/// <summary>Why the routing chose a handler.</summary>
public enum RouteReason { Rule = 1, OnCall = 2, Grid = 3, CategoryDefault = 4 }

/// <summary>The routing's choice for an order: the handler, why, the rule that chose it, and whether that rule dispatches at once.</summary>
public sealed record RouteChoice(Handler Handler, RouteReason Reason, Guid? RuleId, bool DispatchAtOnce);

/// <summary>
/// Where an order goes: the routing (rules, on call, grid first, the category's default handler), the dispatcher's
/// hint and why, a new order a rule dispatches at once, and the handlers a community may send orders to (checked
/// against the community, named from the database, never from the caller).
/// </summary>
public sealed class WorkOrderRouting(AppDbContext db, ReferenceCache cache, WorkOrderCaller caller, WorkCalendarService calendar)
{
    /// <summary>Where the routing sends the order at this moment (a dispatch without a handler); null when nobody is set up.</summary>
    public async Task<RouteChoice?> RouteNowAsync(WorkOrder o, CancellationToken ct)
    {
        var category = await db.WorkOrderCategories.AsNoTracking().FirstAsync(c => c.Id == o.CategoryId, ct);
        return await RouteAsync(o, category, caller.Now, await calendar.CurrentAsync(ct), ct);
    }

    /// <summary>Where the routing would send an order now, for the dispatcher's form (whoever may dispatch; null when nobody is set up).</summary>
    public async Task<RouteChoice?> SuggestAsync(Guid id, CancellationToken ct = default)
    {
        var o = await caller.Visible().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        if (!WorkOrderFlow.MayTake(WorkOrderFlow.Find("dispatch")!, caller.PartiesOf(o)))
            throw new DomainException("workorders.step_forbidden", status: StatusCodes.Status403Forbidden);
        return await RouteNowAsync(o, ct);
    }

    /// <summary>A routing rule that dispatches at once sends a new order straight on (accepted and dispatched by the system).</summary>
    public async Task DispatchAtOnceAsync(WorkOrder order, WorkOrderCategory category, DateTime now, WorkingTime time, CancellationToken ct)
    {
        var rules = await CachedRulesAsync(order.CommunityId, ct);
        if (!rules.Any(r => r.DispatchAtOnce && (r.CategoryId == category.Id || r.CategoryId == category.ParentId))) return;
        if (await RouteAsync(order, category, now, time, ct, rulesOnly: true) is not { DispatchAtOnce: true } route) return;
        if (order.Status == WorkOrderStatus.Submitted) order.Accept(Actor.System, now);
        order.Dispatch(route.Handler, Actor.System, now);
    }

    /// <summary>The community's routing rules in their order, as the reference cache keeps them.</summary>
    private Task<List<RoutingRule>> CachedRulesAsync(Guid communityId, CancellationToken ct) =>
        cache.GetAsync(communityId, "routing-rules", () => db.RoutingRules.AsNoTracking().Where(r => r.CommunityId == communityId).OrderBy(r => r.Position).ToListAsync(ct));

    /// <summary>
    /// 派单规则: the community's routing rules for the category (a top category's rules cover its sub-categories), in
    /// their order, at the order's place and this moment; the first that matches and has someone to send to wins (an
    /// on-call rule with nobody on duty, or a handler since retired, passes to the next). Then "small matters stay in
    /// the grid" for grid-first categories, then the category's default handler, then its parent's.
    /// </summary>
    /// <param name="rulesOnly">Only the rules (a new order: is it to be dispatched at once?), not the grid and the defaults.</param>
    public async Task<RouteChoice?> RouteAsync(WorkOrder o, WorkOrderCategory category, DateTime at, WorkingTime time, CancellationToken ct, bool rulesOnly = false)
    {
        var rules = (await CachedRulesAsync(o.CommunityId, ct)).Where(r => r.CategoryId == category.Id || r.CategoryId == category.ParentId).ToList();
        if (rules.Count > 0)
        {
            var hasCompany = true;
            if (o.EstateId is { } estate && rules.Any(r => r.Place == RulePlace.EstateWithoutPropertyCompany))
                hasCompany = await db.Estates.Where(e => e.Id == estate).Select(e => e.PropertyCompanyName != null).FirstOrDefaultAsync(ct);
            var office = time.IsOfficeHours(at);
            foreach (var rule in rules.Where(r => r.Matches(category, o.EstateId, hasCompany, office)))
            {
                var handler = rule.Target == RuleTarget.OnCall
                    ? await OnDutyAsync(o.CommunityId, time.DutyDate(at), ct)
                    : await StillThereAsync(o.CommunityId, rule.Handler!, ct);
                if (handler is not null) return new RouteChoice(handler, rule.Target == RuleTarget.OnCall ? RouteReason.OnCall : RouteReason.Rule, rule.Id, rule.DispatchAtOnce);
            }
        }
        if (rulesOnly) return null;
        if (category.GridFirst && o.BuildingId is { } building)
        {
            var member = await db.GridAreas.Where(a => a.BuildingId == building && (a.EntranceNumber == 0 || a.EntranceNumber == o.EntranceNumber))
                .Join(db.GridMembers.Where(m => m.UserId != null), a => a.GridId, m => m.GridId, (a, m) => new { m.UserId, m.Name, m.Role })
                .OrderBy(m => m.Role).FirstOrDefaultAsync(ct);
            if (member is not null) return new RouteChoice(new Handler(HandlerKind.GridMember, member.UserId!.Value, member.Name), RouteReason.Grid, null, false);
        }
        if (category.DefaultHandler is { } own) return new RouteChoice(own, RouteReason.CategoryDefault, null, false);
        if (category.ParentId is { } parentId
            && await db.WorkOrderCategories.AsNoTracking().Where(c => c.Id == parentId).FirstOrDefaultAsync(ct) is { DefaultHandler: { } inherited })
            return new RouteChoice(inherited, RouteReason.CategoryDefault, null, false);
        return null;
    }

    /// <summary>Whoever is on duty for the duty day, if they can still be sent orders.</summary>
    private async Task<Handler?> OnDutyAsync(Guid communityId, DateOnly date, CancellationToken ct) =>
        await db.OnCallDuties.AsNoTracking().Where(d => d.CommunityId == communityId && d.Date == date).FirstOrDefaultAsync(ct) is { } duty
            ? await StillThereAsync(communityId, duty.Person, ct)
            : null;

    /// <summary>The handler as it is today (renamed, or null when retired, disabled or moved out).</summary>
    private async Task<Handler?> StillThereAsync(Guid communityId, Handler h, CancellationToken ct)
    {
        try { return await ResolveHandlerAsync(communityId, new HandlerInput(h.Kind, h.Id), ct); }
        catch (DomainException) { return null; }
    }

    /// <summary>A handler named by kind and id, checked against the community; its name is read here, never taken from the caller.</summary>
    public async Task<Handler> ResolveHandlerAsync(Guid communityId, HandlerInput h, CancellationToken ct)
    {
        string? name = h.Kind switch
        {
            HandlerKind.Staff => await AccountNameAsync(communityId, h.Id, [Roles.Staff, Roles.Secretary], ct),
            HandlerKind.GridMember => await AccountNameAsync(communityId, h.Id, [Roles.GridMember], ct),
            HandlerKind.PropertyCompany => await db.PartnerUnits.Where(u => u.Id == h.Id && u.CommunityId == communityId && u.Kind == PartnerKind.PropertyCompany && !u.IsRetired)
                .Select(u => u.Name).FirstOrDefaultAsync(ct),
            HandlerKind.PartnerUnit => await db.PartnerUnits.Where(u => u.Id == h.Id && u.CommunityId == communityId && !u.IsRetired).Select(u => u.Name).FirstOrDefaultAsync(ct),
            HandlerKind.Team => await db.Teams.Where(x => x.Id == h.Id && x.CommunityId == communityId && !x.IsRetired).Select(x => x.Name).FirstOrDefaultAsync(ct),
            HandlerKind.Craftsman => await db.Residents.Where(r => r.Id == h.Id && r.CommunityId == communityId).Select(r => r.Name).FirstOrDefaultAsync(ct),
            _ => null,
        };
        return name is null ? throw DomainException.Invalid("Handler", "workorders.handler_unknown") : new Handler(h.Kind, h.Id, name);
    }

    private async Task<string?> AccountNameAsync(Guid communityId, Guid userId, string[] roles, CancellationToken ct)
    {
        var inCommunity = await db.UserScopes.AnyAsync(s => s.UserId == userId && s.CommunityId == communityId, ct);
        if (!inCommunity) return null;
        var hasRole = await db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).AnyAsync(n => roles.Contains(n!), ct);
        return hasRole ? await db.Users.Where(u => u.Id == userId && !u.IsDisabled).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
    }

    /// <summary>Everyone an order of the community can be dispatched to, grouped by kind, for the dispatch form.</summary>
    public async Task<List<Handler>> HandlerChoicesAsync(Guid communityId, CancellationToken ct = default)
    {
        if (!caller.CanSee(communityId)) throw new NotFoundException();
        string[] roles = [Roles.Staff, Roles.Secretary, Roles.GridMember];
        var accounts = await (
            from sc in db.UserScopes
            where sc.CommunityId == communityId && (sc.Kind == ScopeKind.Community || sc.Kind == ScopeKind.Grid)
            join u in db.Users on sc.UserId equals u.Id
            where !u.IsDisabled
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where roles.Contains(r.Name!)
            select new { u.Id, u.DisplayName, Role = r.Name }).Distinct().ToListAsync(ct);
        var list = accounts.GroupBy(a => a.Id).Select(g => g.Any(x => x.Role == Roles.GridMember) && g.All(x => x.Role != Roles.Staff && x.Role != Roles.Secretary)
            ? new Handler(HandlerKind.GridMember, g.Key, g.First().DisplayName) : new Handler(HandlerKind.Staff, g.Key, g.First().DisplayName)).ToList();
        list.AddRange(await db.PartnerUnits.Where(u => u.CommunityId == communityId && !u.IsRetired).OrderBy(u => u.Name)
            .Select(u => new Handler(u.Kind == PartnerKind.PropertyCompany ? HandlerKind.PropertyCompany : HandlerKind.PartnerUnit, u.Id, u.Name)).ToListAsync(ct));
        list.AddRange(await db.Teams.Where(x => x.CommunityId == communityId && !x.IsRetired).OrderBy(x => x.Name)
            .Select(x => new Handler(HandlerKind.Team, x.Id, x.Name)).ToListAsync(ct));
        list.AddRange(await db.Residents.Where(r => r.CommunityId == communityId && r.Skills != null).OrderBy(r => r.Name).Take(100)
            .Select(r => new Handler(HandlerKind.Craftsman, r.Id, r.Name + "（" + r.Skills + "）")).ToListAsync(ct));
        return list.OrderBy(h => h.Kind).ThenBy(h => h.Name).ToList();
    }
}
