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
