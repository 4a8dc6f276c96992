using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Notifications;

/// <summary>
/// An in-app notification (站内消息) for one account. It stores a text key and its arguments, not sentences, so it reads
/// in the language the recipient uses when reading it; it links to what it is about. Other modules (activities,
/// notices) add their own text keys.
/// </summary>
public sealed class Notification : ICommunityOwned
{
    public const int ArgsMax = 300;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid RecipientId { get; private set; }
    public string TextKey { get; private set; } = "";
    /// <summary>The text's arguments, joined by <see cref="Separator"/>; an argument "@key" is a text key, translated when shown.</summary>
    public string Args { get; private set; } = "";
    public string Link { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime? ReadAt { get; private set; }

    public const char Separator = '\u001f';

    private Notification() { }

    public Notification(Guid communityId, Guid recipientId, string textKey, IEnumerable<string> args, string link, DateTime now)
    {
        CommunityId = communityId;
        RecipientId = recipientId;
        TextKey = textKey;
        Args = string.Join(Separator, args);
        if (Args.Length > ArgsMax) Args = Args[..ArgsMax];
        Link = link;
        CreatedAt = now;
    }

    public void MarkRead(DateTime now) => ReadAt ??= now;
}

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(x => x.TextKey).HasMaxLength(60).IsUnicode(false);
        b.Property(x => x.Args).HasMaxLength(Notification.ArgsMax);
        b.Property(x => x.Link).HasMaxLength(200).IsUnicode(false);
        b.HasIndex(x => new { x.RecipientId, x.ReadAt, x.CreatedAt });
    }
}

public sealed record NotificationRow(Guid Id, string Text, string Link, DateTime CreatedAt, bool Read);

/// <summary>The signed-in person's notifications: the list, the unread count for the bell, marking read.</summary>
public sealed class NotificationsService(AppDbContext db, IHttpContextAccessor http, TimeProvider clock, Texts t)
{
    private Guid Me => http.HttpContext?.User.UserId() ?? throw new NotFoundException();

    private IQueryable<Notification> Mine() => db.Notifications.Where(n => n.RecipientId == Me);

    public Task<int> UnreadAsync(CancellationToken ct = default) => Mine().CountAsync(n => n.ReadAt == null, ct);

    public async Task<List<NotificationRow>> ListAsync(bool unreadOnly = false, int take = 50, CancellationToken ct = default)
    {
        var rows = await Mine().AsNoTracking().Where(n => !unreadOnly || n.ReadAt == null).OrderByDescending(n => n.CreatedAt).Take(Math.Clamp(take, 1, 200))
            .ToListAsync(ct);
        return rows.Select(n => new NotificationRow(n.Id, Render(n), n.Link, n.CreatedAt, n.ReadAt is not null)).ToList();
    }

    public string Render(Notification n)
    {
        var args = n.Args.Length == 0 ? [] : n.Args.Split(Notification.Separator).Select(a => a.StartsWith('@') ? t.Get(a[1..]) : a)
            .ToArray<object>();
        return t.Get(n.TextKey, args);
    }

    /// <summary>Marks one read and returns where it points (opening a notification reads it).</summary>
    public async Task<string> OpenAsync(Guid id, CancellationToken ct = default)
    {
        var n = await Mine().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException();
        n.MarkRead(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return n.Link;
    }

    public async Task<int> MarkAllReadAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await Mine().Where(n => n.ReadAt == null).ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), ct);
    }
}

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
