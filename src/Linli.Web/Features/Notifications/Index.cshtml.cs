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

    public async Task OnGetAsync()
    {
        Rows = await notifications.ListAsync(take: 100);
        Unread = Rows.Count(r => !r.Read);
    }

    /// <summary>The bell's count, fetched by htmx so that cached pages never show a stale one.</summary>
    public async Task<IActionResult> OnGetBellAsync()
    {
        Response.Headers.CacheControl = "no-store";
        var unread = await notifications.UnreadAsync();
        return Partial("_Bell", unread);
    }

    public async Task<IActionResult> OnPostOpenAsync(Guid id)
    {
        var link = await notifications.OpenAsync(id);
        return LocalRedirect(Url.IsLocalUrl(link) ? link : "/notifications");
    }

    public async Task<IActionResult> OnPostReadAllAsync()
    {
        await notifications.MarkAllReadAsync();
        return RedirectWithFlash("/notifications", T.Get("notifications.marked"));
    }
}
