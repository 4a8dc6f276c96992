using Linli.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Notifications;

/// <summary>消息: the signed-in person's notifications, newest first; opening one reads it. Staff see it in the console frame.</summary>
[Authorize]
public sealed class IndexModel(NotificationsService notifications) : LinliPageModel
{
    public List<NotificationRow> Rows { get; private set; } = [];
    public int Unread { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Rows = await notifications.ListAsync(take: 100, ct: ct);
        Unread = Rows.Count(r => !r.Read);
    }

    /// <summary>The bell's count, fetched by htmx so that cached pages never show a stale one.</summary>
    public async Task<IActionResult> OnGetBellAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var unread = await notifications.UnreadAsync(ct);
        return Partial("_Bell", unread);
    }

    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct)
    {
        var link = await notifications.OpenAsync(id, ct);
        return LocalRedirect(Url.IsLocalUrl(link) ? link : "/notifications");
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await notifications.MarkAllReadAsync(ct);
        return RedirectWithFlash("/notifications", T.Get("notifications.marked"));
    }
}
