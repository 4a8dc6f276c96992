using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Operations;
using Linli.Web.Infrastructure.Web;

namespace Linli.Web.Features.Calendar;

/// <summary>The working-day calendar (工作日历): holidays and adjusted working days that time limits count by.</summary>
public static class CalendarModule
{
    public static WebApplicationBuilder AddCalendar(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(new NavEntry(NavPlace.ConsoleMenu, "nav.calendar", "/console/calendar", CalendarPolicies.ManageCalendar, 820, "nav.system"));
        CalendarPolicies.Add(builder.Services);
        builder.Services.AddScoped<WorkCalendarService>();
        builder.Services.AddStartupTask<BundledCalendarSeed>();
        return builder;
    }

    /// <summary>The working-day calendar: anyone in the console reads it, the system administrator edits it.</summary>
    public static void MapCalendarApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/calendar").WithTags("Calendar").RequireAuthorization(Policies.Console);
        api.MapGet("/", async (int? year, WorkCalendarService c, TimeProvider clock) =>
            TypedResults.Ok(await c.YearAsync(year ?? Infrastructure.Time.ChinaTime.Today(clock).Year)));
        api.MapPut("/{date}", async (DateOnly date, CalendarDayInput input, WorkCalendarService c) => TypedResults.Ok(await c.SetAsync(date, input)))
            .RequireAuthorization(CalendarPolicies.ManageCalendar);
        api.MapDelete("/{date}", async (DateOnly date, WorkCalendarService c) =>
        {
            await c.RemoveAsync(date);
            return TypedResults.NoContent();
        }).RequireAuthorization(CalendarPolicies.ManageCalendar);
    }
}

/// <summary>The bundled State Council days go into an empty calendar table, on every deployment.</summary>
public sealed class BundledCalendarSeed : Infrastructure.Operations.IStartupTask
{
    public int Order => 100;

    public Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        WorkCalendarService.EnsureBundledAsync(services.GetRequiredService<Infrastructure.Data.AppDbContext>(), ct);
}
