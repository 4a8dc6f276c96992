using System.Globalization;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

/// <summary>A category as the office enters it; the parent is given on creation only.</summary>
public sealed class CategoryInput
{
    public Guid? CommunityId { get; set; }
    public Guid? ParentId { get; set; }
    public string? Name { get; set; }
    public int? ResponseHours { get; set; }
    public int? ResolutionHours { get; set; }
    public int? WarningLeadHours { get; set; }
    public bool WorkingHours { get; set; }
    public bool Public { get; set; }
    public bool GridFirst { get; set; }
}

public sealed class RuleInput
{
    public Guid? CommunityId { get; set; }
    public Guid? CategoryId { get; set; }
    public RulePlace Place { get; set; } = RulePlace.Any;
    public Guid? EstateId { get; set; }
    public RuleTime Time { get; set; } = RuleTime.Any;
    public RuleTarget Target { get; set; } = RuleTarget.Handler;
    public HandlerInput? Handler { get; set; }
    public bool DispatchAtOnce { get; set; }
}

public sealed class DutyInput
{
    public Guid? CommunityId { get; set; }
    public Guid? UserId { get; set; }
    public string? Note { get; set; }
}

public sealed record RuleRow(Guid Id, int Position, Guid CategoryId, string Category, RulePlace Place, Guid? EstateId, string? Estate, RuleTime Time,
    RuleTarget Target, HandlerKind? HandlerKind, Guid? HandlerId, string? HandlerName, bool DispatchAtOnce);

public sealed record DutyRow(DateOnly Date, HandlerKind Kind, Guid UserId, string Name, string? Note);

/// <summary>
/// How the office sets up its work orders: the category tree with its limits, the routing rules and the on-call list.
/// The console pages and the API both call this; every change is audited. Limits changed here apply to orders
/// reported afterwards (an order keeps the limits it was reported with).
/// </summary>
public sealed class WorkOrderSetupService(AppDbContext db, TenantScope scope, IHttpContextAccessor http, WorkOrderReference reference,
    WorkOrderRouting routing, AuditLog audit, Texts t)
{
    private System.Security.Claims.ClaimsPrincipal User => http.HttpContext?.User ?? new();

    private void RequireOffice(Guid communityId)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        if (!User.IsInRole(Roles.Staff) && !User.IsInRole(Roles.Secretary))
            throw new DomainException("workorders.step_forbidden", status: StatusCodes.Status403Forbidden);
    }

    // ---------------------------------------------------------------- categories

    public async Task<WorkOrderCategory> CreateCategoryAsync(Guid communityId, CategoryInput input, CancellationToken ct = default)
    {
        RequireOffice(communityId);
        await reference.EnsureCategoriesAsync(communityId, ct);
        WorkOrderCategory? parent = null;
        if (input.ParentId is { } parentId)
            parent = await db.WorkOrderCategories.FirstOrDefaultAsync(c => c.Id == parentId && c.CommunityId == communityId, ct)
                ?? throw DomainException.Invalid(nameof(input.ParentId), "workorders.category_parent");
        if (parent is { IsRetired: true }) throw DomainException.Invalid(nameof(input.ParentId), "workorders.category_parent");
        var siblings = await db.WorkOrderCategories.Where(c => c.CommunityId == communityId && c.ParentId == input.ParentId).ToListAsync(ct);
        var category = new WorkOrderCategory(communityId, parent, input.Name ?? "", input.ResponseHours ?? 0, input.ResolutionHours ?? 0,
            input.WarningLeadHours ?? 0, input.WorkingHours, input.Public, input.GridFirst, siblings.Count == 0 ? 1 : siblings.Max(c => c.SortOrder) + 1);
        if (siblings.Any(c => string.Equals(c.Name, category.Name, StringComparison.OrdinalIgnoreCase)))
            throw DomainException.Invalid(nameof(input.Name), "workorders.category_exists", category.Name);
        db.WorkOrderCategories.Add(category);
        audit.Add(AuditEvents.CategoryChanged, "WorkOrderCategory", category.Id.ToString(), $"created {category.Name}", communityId: communityId);
        await db.SaveChangesAsync(ct);
        return category;
    }

    public async Task<WorkOrderCategory> UpdateCategoryAsync(Guid id, CategoryInput input, CancellationToken ct = default)
    {
        var category = await CategoryAsync(id, ct);
        var name = (input.Name ?? "").Trim();
        if (await db.WorkOrderCategories.AnyAsync(c => c.CommunityId == category.CommunityId && c.ParentId == category.ParentId && c.Id != id && c.Name == name, ct))
            throw DomainException.Invalid(nameof(input.Name), "workorders.category_exists", name);
        var before = Describe(category);
        category.Update(name, input.ResponseHours ?? 0, input.ResolutionHours ?? 0, input.WarningLeadHours ?? 0, input.WorkingHours, input.Public, input.GridFirst);
        audit.Add(AuditEvents.CategoryChanged, "WorkOrderCategory", id.ToString(), $"{before} → {Describe(category)}", communityId: category.CommunityId);
        await db.SaveChangesAsync(ct);
        return category;
    }

    /// <summary>Retires or restores a category; a top category takes its sub-categories with it. Orders already reported keep it.</summary>
    public async Task<WorkOrderCategory> SetRetiredAsync(Guid id, bool retired, CancellationToken ct = default)
    {
        var category = await CategoryAsync(id, ct);
        if (!retired && category.ParentId is { } parentId && await db.WorkOrderCategories.AnyAsync(c => c.Id == parentId && c.IsRetired, ct))
            throw new DomainException("workorders.category_parent_retired");
        var family = await db.WorkOrderCategories.Where(c => c.Id == id || c.ParentId == id).ToListAsync(ct);
        foreach (var c in family)
        {
            if (retired) c.Retire();
            else c.Restore();
        }
        audit.Add(AuditEvents.CategoryChanged, "WorkOrderCategory", id.ToString(), $"{(retired ? "retired" : "restored")} {category.Name}", communityId: category.CommunityId);
        await db.SaveChangesAsync(ct);
        return category;
    }

    public async Task<WorkOrderCategory> SetDefaultHandlerAsync(Guid id, HandlerInput? handler, CancellationToken ct = default)
    {
        var category = await CategoryAsync(id, ct);
        category.SetDefaultHandler(handler is null ? null : await routing.ResolveHandlerAsync(category.CommunityId, handler, ct));
        audit.Add(AuditEvents.CategoryChanged, "WorkOrderCategory", id.ToString(), $"default handler {category.DefaultHandlerName ?? "-"}", communityId: category.CommunityId);
        await db.SaveChangesAsync(ct);
        return category;
    }

    private async Task<WorkOrderCategory> CategoryAsync(Guid id, CancellationToken ct)
    {
        var category = await db.WorkOrderCategories.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException();
        RequireOffice(category.CommunityId);
        return category;
    }

    private static string Describe(WorkOrderCategory c) =>
        $"{c.Name} {c.ResponseHours}/{c.ResolutionHours}/{c.WarningLeadHours}h{(c.WorkingHours ? " working" : "")}{(c.Public ? " public" : "")}{(c.GridFirst ? " grid-first" : "")}";

    // ---------------------------------------------------------------- routing rules

    public async Task<List<RuleRow>> RulesAsync(Guid communityId, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        var rules = await db.RoutingRules.AsNoTracking().Where(r => r.CommunityId == communityId).OrderBy(r => r.Position).ToListAsync(ct);
        var categories = await reference.CategoryNamesAsync(rules.Select(r => r.CategoryId), ct);
        var estateIds = rules.Where(r => r.EstateId != null).Select(r => r.EstateId!.Value).Distinct().ToList();
        var estates = await db.Estates.AsNoTracking().Where(e => estateIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        return rules.Select((r, i) => new RuleRow(r.Id, i + 1, r.CategoryId, categories.GetValueOrDefault(r.CategoryId, "?"), r.Place, r.EstateId,
            r.EstateId is { } e ? estates.GetValueOrDefault(e) : null, r.Time, r.Target, r.HandlerKind, r.HandlerId, r.HandlerName, r.DispatchAtOnce)).ToList();
    }

    public async Task<RoutingRule> AddRuleAsync(Guid communityId, RuleInput input, CancellationToken ct = default)
    {
        RequireOffice(communityId);
        var (category, estate, handler) = await RuleFactsAsync(communityId, input, ct);
        var last = await db.RoutingRules.Where(r => r.CommunityId == communityId).MaxAsync(r => (int?)r.Position, ct) ?? 0;
        var rule = new RoutingRule(category, input.Place, estate, input.Time, input.Target, handler, input.DispatchAtOnce, last + 1);
        db.RoutingRules.Add(rule);
        audit.Add(AuditEvents.RoutingChanged, "RoutingRule", rule.Id.ToString(), $"added {Describe(rule, category.Name)}", communityId: communityId);
        await db.SaveChangesAsync(ct);
        return rule;
    }

    public async Task<RoutingRule> UpdateRuleAsync(Guid id, RuleInput input, CancellationToken ct = default)
    {
        var rule = await RuleAsync(id, ct);
        var (category, estate, handler) = await RuleFactsAsync(rule.CommunityId, input, ct);
        rule.Update(category, input.Place, estate, input.Time, input.Target, handler, input.DispatchAtOnce);
        audit.Add(AuditEvents.RoutingChanged, "RoutingRule", id.ToString(), $"changed {Describe(rule, category.Name)}", communityId: rule.CommunityId);
        await db.SaveChangesAsync(ct);
        return rule;
    }

    /// <summary>Moves a rule one place earlier (<paramref name="up"/>) or later; rules are tried in this order.</summary>
    public async Task MoveRuleAsync(Guid id, bool up, CancellationToken ct = default)
    {
        var rule = await RuleAsync(id, ct);
        var all = await db.RoutingRules.Where(r => r.CommunityId == rule.CommunityId).OrderBy(r => r.Position).ToListAsync(ct);
        var i = all.FindIndex(r => r.Id == id);
        var j = up ? i - 1 : i + 1;
        if (j < 0 || j >= all.Count) return;
        (all[i], all[j]) = (all[j], all[i]);
        for (var k = 0; k < all.Count; k++) all[k].MoveTo(k + 1);
        audit.Add(AuditEvents.RoutingChanged, "RoutingRule", id.ToString(), $"moved to {j + 1}", communityId: rule.CommunityId);
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveRuleAsync(Guid id, CancellationToken ct = default)
    {
        var rule = await RuleAsync(id, ct);
        db.RoutingRules.Remove(rule);
        audit.Add(AuditEvents.RoutingChanged, "RoutingRule", id.ToString(), "removed", communityId: rule.CommunityId);
        await db.SaveChangesAsync(ct);
    }

    private async Task<RoutingRule> RuleAsync(Guid id, CancellationToken ct)
    {
        var rule = await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException();
        RequireOffice(rule.CommunityId);
        return rule;
    }

    private async Task<(WorkOrderCategory, Places.Estate?, Handler?)> RuleFactsAsync(Guid communityId, RuleInput input, CancellationToken ct)
    {
        var category = await db.WorkOrderCategories.FirstOrDefaultAsync(c => c.Id == input.CategoryId && c.CommunityId == communityId && !c.IsRetired, ct)
            ?? throw DomainException.Invalid(nameof(input.CategoryId), "workorders.category_unknown");
        Places.Estate? estate = null;
        if (input.Place == RulePlace.Estate)
            estate = input.EstateId is { } e ? await db.Estates.FirstOrDefaultAsync(x => x.Id == e && x.CommunityId == communityId && !x.IsRetired, ct)
                ?? throw DomainException.Invalid(nameof(input.EstateId), "routing.estate_required")
                : throw DomainException.Invalid(nameof(input.EstateId), "routing.estate_required");
        Handler? handler = null;
        if (input.Target == RuleTarget.Handler)
            handler = await routing.ResolveHandlerAsync(communityId, input.Handler ?? throw DomainException.Invalid("Handler", "workorders.handler_required"), ct);
        return (category, estate, handler);
    }

    private static string Describe(RoutingRule r, string category) =>
        $"{category} {r.Place}{(r.EstateId is { } e ? $"({e})" : "")} {r.Time} → {(r.Target == RuleTarget.OnCall ? "on-call" : r.HandlerName)}{(r.DispatchAtOnce ? " at once" : "")}";

    // ---------------------------------------------------------------- on-call list

    public async Task<List<DutyRow>> DutiesAsync(Guid communityId, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (!scope.CanSee(communityId)) throw new NotFoundException();
        if (to < from || to.DayNumber - from.DayNumber > 366) throw DomainException.Invalid("To", "metrics.range");
        return await db.OnCallDuties.AsNoTracking().Where(d => d.CommunityId == communityId && d.Date >= from && d.Date <= to).OrderBy(d => d.Date)
            .Select(d => new DutyRow(d.Date, d.Kind, d.UserId, d.Name, d.Note)).ToListAsync(ct);
    }

    /// <summary>Puts a staff or grid member of the community on duty for a day (replacing whoever was).</summary>
    public async Task<DutyRow> SetDutyAsync(Guid communityId, DateOnly date, DutyInput input, CancellationToken ct = default)
    {
        RequireOffice(communityId);
        if (input.UserId is not { } userId) throw DomainException.Invalid(nameof(input.UserId), "oncall.person_unknown");
        Handler person;
        try { person = await routing.ResolveHandlerAsync(communityId, new HandlerInput(HandlerKind.Staff, userId), ct); }
        catch (DomainException)
        {
            try { person = await routing.ResolveHandlerAsync(communityId, new HandlerInput(HandlerKind.GridMember, userId), ct); }
            catch (DomainException) { throw DomainException.Invalid(nameof(input.UserId), "oncall.person_unknown"); }
        }
        var duty = await db.OnCallDuties.FirstOrDefaultAsync(d => d.CommunityId == communityId && d.Date == date, ct);
        if (duty is null) db.OnCallDuties.Add(duty = new OnCallDuty(communityId, date, person, input.Note));
        else duty.Assign(person, input.Note);
        audit.Add(AuditEvents.OnCallChanged, "OnCallDuty", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), person.Name, communityId: communityId);
        await db.SaveChangesAsync(ct);
        return new DutyRow(duty.Date, duty.Kind, duty.UserId, duty.Name, duty.Note);
    }

    public async Task RemoveDutyAsync(Guid communityId, DateOnly date, CancellationToken ct = default)
    {
        RequireOffice(communityId);
        var duty = await db.OnCallDuties.FirstOrDefaultAsync(d => d.CommunityId == communityId && d.Date == date, ct) ?? throw new NotFoundException();
        db.OnCallDuties.Remove(duty);
        audit.Add(AuditEvents.OnCallChanged, "OnCallDuty", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "removed", communityId: communityId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The plain-words label of a rule's place, time and target, for pages.</summary>
    public string Label(RuleRow r) => t.Get("routing.rule_label", r.Category,
        r.Place == RulePlace.Estate ? r.Estate ?? "?" : t.Get("routing.place." + r.Place),
        t.Get("routing.time." + r.Time),
        r.Target == RuleTarget.OnCall ? t.Get("routing.target.OnCall") : r.HandlerName ?? "?");
}
