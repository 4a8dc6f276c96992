using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Calendar;

/// <summary>The working-day calendar (工作日历): holidays and adjusted working days that time limits count by.</summary>
public static class CalendarModule
{
    public static WebApplicationBuilder AddCalendar(this WebApplicationBuilder builder)
    {
        CalendarPolicies.Add(builder.Services);
        builder.Services.AddScoped<WorkCalendarService>();
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
