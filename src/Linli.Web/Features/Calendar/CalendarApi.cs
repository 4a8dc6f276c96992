using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Operations;
using Linli.Web.Infrastructure.Web;

namespace Linli.Web.Features.Calendar;

/// <summary>The working-day calendar (工作日历): holidays and adjusted working days that time limits count by.</summary>
public static class CalendarApi
{
    public static WebApplicationBuilder AddCalendar(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(new NavEntry(NavPlace.ConsoleMenu, "nav.calendar", "/console/calendar", CalendarPolicies.ManageCalendar, 820, "nav.system"));
        CalendarPolicies.Add(builder.Services);
        builder.Services.AddScoped<WorkCalendarService>();
        builder.Services.AddStartupTask<BundledCalendarSeed>();
        builder.Services.AddApiTag("Calendar", "The working-day calendar (工作日历): holidays and adjusted working days (调休) that working-hour time limits count by.");
        return builder;
    }

    /// <summary>The working-day calendar: anyone in the console reads it, the system administrator edits it.</summary>
    public static void MapCalendarApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/calendar").WithTags("Calendar").RequireAuthorization(Policies.Console);
        api.MapGet("/", async (int? year, WorkCalendarService c, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(await c.YearAsync(year ?? Infrastructure.Time.ChinaTime.Today(clock).Year, ct)))
            .WithName("getCalendarYear").WithSummary("A year's holidays and adjusted working days (this year by default)");
        api.MapPut("/{date}", async (DateOnly date, CalendarDayInput input, WorkCalendarService c, CancellationToken ct) => TypedResults.Ok(await c.SetAsync(date, input, ct)))
            .RequireAuthorization(CalendarPolicies.ManageCalendar)
            .WithName("setCalendarDay").WithSummary("Mark a date as a holiday, or a weekend day as an adjusted working day")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample("holiday", "A holiday", new CalendarDayInput { Kind = CalendarDayKind.Holiday, Name = "元旦" })
            .WithRequestExample("workday", "An adjusted working day on a weekend", new CalendarDayInput { Kind = CalendarDayKind.Workday, Name = "春节调休" });
        api.MapDelete("/{date}", async (DateOnly date, WorkCalendarService c, CancellationToken ct) =>
        {
            await c.RemoveAsync(date, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(CalendarPolicies.ManageCalendar)
            .WithName("removeCalendarDay").WithSummary("Make a date an ordinary day again")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}

/// <summary>The bundled State Council days go into an empty calendar table, on every deployment.</summary>
public sealed class BundledCalendarSeed : Infrastructure.Operations.IStartupTask
{
    public int Order => 100;

    public Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        WorkCalendarService.EnsureBundledAsync(services.GetRequiredService<Infrastructure.Data.AppDbContext>(), ct);
}
