using Linli.Web.Features.Notifications;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// Who hears of a work order's new timeline steps, added to the same unit of work as the steps (so a step that is
/// rolled back, e.g. the losing side of two processes escalating one order, notifies nobody):
/// the resident who reported it hears of every step someone else took, in plain words; the handler's people hear of
/// what is sent to them, urged, warned or overdue; the community's staff hear of new reports, returns, extension
/// requests, urging, reopening and every missed limit; the subdistrict hears of what is escalated to it.
/// </summary>
public sealed class WorkOrderNotifier(AppDbContext db, Infrastructure.Caching.ReferenceCache cache)
{
    /// <summary>Adds the notifications of the order's steps this context is about to save.</summary>
    public async Task AddForNewStepsAsync(WorkOrder o, CancellationToken ct = default)
    {
        var steps = db.ChangeTracker.Entries<WorkOrderEvent>().Where(e => e.State == EntityState.Added && e.Entity.WorkOrderId == o.Id)
            .Select(e => e.Entity).ToList();
        if (steps.Count > 0) db.Notifications.AddRange(await ForStepsAsync(o, steps, ct));
    }

    /// <summary>The notifications of these new steps of the order (for a save that is not this context's: a new order's first steps).</summary>
    public async Task<List<Notification>> ForStepsAsync(WorkOrder o, IEnumerable<WorkOrderEvent> newSteps, CancellationToken ct = default)
    {
        var steps = newSteps.OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        var notifications = new List<Notification>();
        if (steps.Count == 0) return notifications;
        var handlers = new Lazy<Task<List<Guid>>>(() => HandlerAccountsAsync(o, ct));
        var staff = new Lazy<Task<List<Guid>>>(() => CommunityStaffAsync(o.CommunityId, ct));
        var grid = new Lazy<Task<List<Guid>>>(() => GridAccountsAsync(o, ct));
        var subdistrict = new Lazy<Task<List<Guid>>>(() => SubdistrictAdminsAsync(o.CommunityId, ct));
        var sent = new HashSet<(Guid, string)>();
        foreach (var e in steps)
        {
            var step = e.Step;
            // The resident: every step someone else took, except the clock's internal warnings.
            if (o.ReporterAccountId is { } reporter && e.ActorId != reporter && step is not (Step.ResponseWarned or Step.ResolutionWarned))
                Add(reporter, "notify.resident_step", ["@workorders.plain." + step], $"/orders/{o.Id}");
            var staffLink = $"/console/orders/{o.Id}";
            IEnumerable<Guid> to = step switch
            {
                Step.Dispatched or Step.Transferred or Step.Urged or Step.ExtensionApproved or Step.ExtensionRefused or Step.Reopened or Step.ReturnVisited
                    or Step.ResponseWarned or Step.ResolutionWarned => await handlers.Value,
                _ => [],
            };
            foreach (var id in to) Add(id, "notify.step", [o.Number, "@workorders.step_name." + step], staffLink);
            IEnumerable<Guid> office = step switch
            {
                Step.Submitted when o.Channel == Channel.ResidentApp => await staff.Value,
                Step.Returned or Step.ExtensionRequested or Step.Urged or Step.Reopened or Step.ResponseOverdue or Step.ResolutionOverdue
                    or Step.EscalatedToCommunity => await staff.Value,
                // No handler yet: the office hears the warnings.
                Step.ResponseWarned or Step.ResolutionWarned when o.HandlerKind is null => await staff.Value,
                _ => [],
            };
            if (o.Tier == Tier.Grid && step is Step.ResponseWarned or Step.ResolutionWarned) office = office.Concat(await grid.Value);
            foreach (var id in office) Add(id, "notify.step", [o.Number, "@workorders.step_name." + step], staffLink);
            if (step == Step.EscalatedToSubdistrict)
                foreach (var id in await subdistrict.Value) Add(id, "notify.step", [o.Number, "@workorders.step_name." + step], staffLink);
            if (step is Step.ResponseOverdue or Step.ResolutionOverdue)
                foreach (var id in await handlers.Value) Add(id, "notify.step", [o.Number, "@workorders.step_name." + step], staffLink);

            void Add(Guid recipient, string key, string[] args, string link)
            {
                if (recipient == e.ActorId || !sent.Add((recipient, key + string.Join('|', args)))) return;
                notifications.Add(new Notification(o.CommunityId, recipient, key, args, link, e.At));
            }
        }
        return notifications;
    }

    private async Task<List<Guid>> HandlerAccountsAsync(WorkOrder o, CancellationToken ct)
    {
        if (o.HandlerId is not { } id) return [];
        return o.HandlerKind switch
        {
            HandlerKind.Staff or HandlerKind.GridMember => [id],
            HandlerKind.PropertyCompany or HandlerKind.PartnerUnit => await db.UserScopes.IgnoreQueryFilters()
                .Where(s => s.Kind == ScopeKind.PartnerUnit && s.TargetId == id).Select(s => s.UserId).Distinct().ToListAsync(ct),
            HandlerKind.Team => await db.UserScopes.IgnoreQueryFilters()
                .Where(s => s.Kind == ScopeKind.Team && s.TargetId == id).Select(s => s.UserId).Distinct().ToListAsync(ct),
            HandlerKind.Craftsman => await db.Residents.IgnoreQueryFilters().Where(r => r.Id == id && r.AccountId != null).Select(r => r.AccountId!.Value).ToListAsync(ct),
            _ => [],
        };
    }

    /// <summary>The office's accounts (kept in the reference cache: accounts, roles and scopes that change evict it).</summary>
    private Task<List<Guid>> CommunityStaffAsync(Guid communityId, CancellationToken ct) => cache.GetAsync(communityId, "office-accounts", () =>
        AccountsWithRolesAsync(db.UserScopes.Where(s => s.Kind == ScopeKind.Community && s.CommunityId == communityId).Select(s => s.UserId),
            [Roles.Staff, Roles.Secretary], ct));

    private async Task<List<Guid>> SubdistrictAdminsAsync(Guid communityId, CancellationToken ct)
    {
        var code = await db.Communities.IgnoreQueryFilters().Where(c => c.Id == communityId).Select(c => c.SubdistrictCode).FirstAsync(ct);
        return await AccountsWithRolesAsync(db.UserScopes.Where(s => s.Kind == ScopeKind.Subdistrict && s.SubdistrictCode == code).Select(s => s.UserId),
            [Roles.SubdistrictAdmin], ct);
    }

    private async Task<List<Guid>> GridAccountsAsync(WorkOrder o, CancellationToken ct) => o.GridId is { } grid
        ? await db.GridMembers.IgnoreQueryFilters().Where(m => m.GridId == grid && m.UserId != null).Select(m => m.UserId!.Value).Distinct().ToListAsync(ct)
        : [];

    private async Task<List<Guid>> AccountsWithRolesAsync(IQueryable<Guid> users, string[] roles, CancellationToken ct) =>
        await db.Users.Where(u => users.Contains(u.Id) && !u.IsDisabled)
            .Join(db.UserRoles, u => u.Id, ur => ur.UserId, (u, ur) => new { u.Id, ur.RoleId })
            .Join(db.Roles, x => x.RoleId, r => r.Id, (x, r) => new { x.Id, r.Name })
            .Where(x => roles.Contains(x.Name!)).Select(x => x.Id).Distinct().ToListAsync(ct);
}
