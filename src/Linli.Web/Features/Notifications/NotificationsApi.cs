using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Web;

namespace Linli.Web.Features.Notifications;

/// <summary>In-app notifications (站内消息): the list, the bell, marking read. Modules add the notifications themselves.</summary>
public static class NotificationsApi
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<NotificationsService>();
        builder.Services.AddWidget(
            new Widget(WidgetPlace.ConsoleHeader, typeof(BellViewComponent), null, 10),
            new Widget(WidgetPlace.PortalHeader, typeof(BellViewComponent), null, 10));
        builder.Services.AddApiTag("Notifications", "The caller's in-app inbox (站内消息): each notification in the caller's language, with a link to what it is about.");
        return builder;
    }

    public static void MapNotificationsApi(this WebApplication app)
    {
        var notes = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();
        notes.MapGet("/", async (bool? unread, NotificationsService n, CancellationToken ct) => TypedResults.Ok(await n.ListAsync(unread ?? false, ct: ct)))
            .WithName("listNotifications").WithSummary("The caller's latest notifications (only the unread ones with unread=true)");
        notes.MapGet("/unread-count", async (NotificationsService n, CancellationToken ct) => TypedResults.Ok(new NotificationCount(await n.UnreadAsync(ct))))
            .WithName("countUnreadNotifications").WithSummary("How many of the caller's notifications are unread (the bell)");
        notes.MapPost("/{id:guid}/read", async (Guid id, NotificationsService n, CancellationToken ct) =>
        {
            await n.OpenAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAntiforgeryForCookies()
            .WithName("markNotificationRead").WithSummary("Mark a notification read");
        notes.MapPost("/read-all", async (NotificationsService n, CancellationToken ct) => TypedResults.Ok(new NotificationCount(await n.MarkAllReadAsync(ct))))
            .RequireAntiforgeryForCookies()
            .WithName("markAllNotificationsRead").WithSummary("Mark all the caller's notifications read; answers how many were unread");
    }
}

/// <summary>A number of notifications: unread ones, or the ones just marked read.</summary>
public sealed record NotificationCount(int Count);
