using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Web;

namespace Linli.Web.Features.Notifications;

/// <summary>In-app notifications (站内消息): the list, the bell, marking read. Modules add the notifications themselves.</summary>
public static class NotificationsModule
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<NotificationsService>();
        builder.Services.AddWidget(
            new Widget(WidgetPlace.ConsoleHeader, typeof(BellViewComponent), null, 10),
            new Widget(WidgetPlace.PortalHeader, typeof(BellViewComponent), null, 10));
        return builder;
    }

    public static void MapNotificationsApi(this WebApplication app)
    {
        var notes = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();
        notes.MapGet("/", async (bool? unread, NotificationsService n) => TypedResults.Ok(await n.ListAsync(unread ?? false)));
        notes.MapGet("/unread-count", async (NotificationsService n) => TypedResults.Ok(new { count = await n.UnreadAsync() }));
        notes.MapPost("/{id:guid}/read", async (Guid id, NotificationsService n) =>
        {
            await n.OpenAsync(id);
            return TypedResults.NoContent();
        }).RequireAntiforgeryForCookies();
        notes.MapPost("/read-all", async (NotificationsService n) => TypedResults.Ok(new { count = await n.MarkAllReadAsync() }))
            .RequireAntiforgeryForCookies();
    }
}
