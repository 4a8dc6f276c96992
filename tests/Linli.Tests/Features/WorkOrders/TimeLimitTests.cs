using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.Notifications;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>Working time: weekends, public holidays and adjusted working days (调休) of the bundled 2026 calendar.</summary>
public sealed class WorkingTimeTests
{
    private static readonly WorkingTime Calendar = new(CalendarDay.Bundled().ToDictionary(d => d.Date, d => d.Kind), new TimeOnly(8, 30), new TimeOnly(17, 30));

    /// <summary>A China time as UTC.</summary>
    private static DateTime China(int month, int day, int hour, int minute = 0) => new DateTime(2026, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    [Fact]
    public void Working_hours_skip_the_night_the_weekend_and_the_national_day_holiday_and_count_an_adjusted_sunday()
    {
        // Friday 18 Sep 16:30 + 4 h: one hour on Friday, Saturday is off, Sunday 20 Sep is a working day (国庆调休).
        Calendar.Add(China(9, 18, 16, 30), 4, workingHours: true).ShouldBe(China(9, 20, 11, 30));
        // Wednesday 30 Sep 17:00 + 2 h: half an hour, then 1–7 Oct are holidays; Thursday 8 Oct 10:00.
        Calendar.Add(China(9, 30, 17), 2, workingHours: true).ShouldBe(China(10, 8, 10));
        Calendar.Subtract(China(10, 8, 10), 2, workingHours: true).ShouldBe(China(9, 30, 17));
        Calendar.Between(China(9, 30, 17), China(10, 8, 10), workingHours: true).ShouldBe(TimeSpan.FromHours(2));
        // A report at night counts from the office's opening.
        Calendar.Add(China(11, 23, 22), 1, workingHours: true).ShouldBe(China(11, 24, 9, 30));
        // Clock hours are clock hours, holidays or not.
        Calendar.Add(China(9, 30, 17), 2, workingHours: false).ShouldBe(China(9, 30, 19));
        Calendar.IsWorkingDay(new DateOnly(2026, 10, 10)).ShouldBeTrue();  // Saturday, 调休上班
        Calendar.IsWorkingDay(new DateOnly(2026, 10, 5)).ShouldBeFalse();  // Monday, 国庆
    }
}

/// <summary>The clock: warnings before a limit, overdue at the limit, escalation grid → community → subdistrict, with the time moved by a fake clock.</summary>
public sealed class TimeLimitTests(FakeClockFactory app) : IClassFixture<FakeClockFactory>
{
    private const string SubdistrictAdmin = "13800000007";
    private const string PropertyStaff = "13800000004";

    private static async Task<Guid> CategoryAsync(HttpClient client, string name) =>
        (await (await client.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()
            .First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private static async Task<Guid> BuildingOneAsync(HttpClient staff)
    {
        var estates = await (await staff.GetAsync("/api/estates")).JsonAsync(HttpStatusCode.OK);
        var estate = estates.EnumerateArray().First(e => e.GetProperty("name").GetString() == "融创裕华壹号").GetProperty("id").GetGuid();
        var buildings = await (await staff.GetAsync($"/api/estates/{estate}/buildings")).JsonAsync(HttpStatusCode.OK);
        return buildings.EnumerateArray().First(b => b.GetProperty("number").GetString() == "1").GetProperty("id").GetGuid();
    }

    private static async Task<Guid> ReportAsync(HttpClient client, string category, object place)
    {
        var order = await (await client.PostAsJsonAsync("/api/work-orders", new { categoryId = await CategoryAsync(client, category), description = "测试时限：" + category, place }))
            .JsonAsync(HttpStatusCode.Created);
        return order.GetProperty("id").GetGuid();
    }

    private static Task<int> TickAsync(LinliFactory host) => Run(host, sp => WorkOrderClock.RunOnceAsync(sp));

    private static async Task<T> Run<T>(LinliFactory host, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        return await work(scope.ServiceProvider);
    }

    private static Task<List<Step>> StepsAsync(LinliFactory host, Guid id) => Run(host, sp => sp.GetRequiredService<AppDbContext>().WorkOrderEvents
        .Where(e => e.WorkOrderId == id).OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Step).ToListAsync());

    private static Task<WorkOrder> OrderAsync(LinliFactory host, Guid id) => Run(host, sp => sp.GetRequiredService<AppDbContext>().WorkOrders.AsNoTracking().FirstAsync(o => o.Id == id));

    private static async Task<List<string>> NotificationsAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/notifications")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(n => n.GetProperty("text").GetString()!).ToList();

    [Fact]
    public async Task A_report_is_warned_half_way_then_overdue_and_escalated_once_and_everyone_concerned_is_told()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var staff = await app.ApiAsAsync(Clients.Staff);
        var id = await ReportAsync(resident, "管道堵塞", new { buildingId = await BuildingOneAsync(staff) }); // respond in 1 h, lead 2 h
        (await OrderAsync(app, id)).Tier.ShouldBe(Tier.Community);

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await TickAsync(app);
        await TickAsync(app); // nothing new: each warning once (the app's own clock loop may run beside these)
        (await StepsAsync(app, id)).Count(s => s == Step.ResponseWarned).ShouldBe(1);
        // Nobody has it yet: the office hears the warning; the resident does not hear of internal warnings.
        staff = await app.ApiAsAsync(Clients.Staff); // staff tokens end after 15 idle minutes
        (await NotificationsAsync(staff)).ShouldContain(n => n.Contains("即将超时") || n.Contains("will soon"));

        (await staff.PostAsJsonAsync($"/api/work-orders/{id}/accept", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await staff.PostAsJsonAsync($"/api/work-orders/{id}/dispatch", new { })).StatusCode.ShouldBe(HttpStatusCode.OK); // → 融创物业
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await TickAsync(app);
        await TickAsync(app);
        var steps = await StepsAsync(app, id);
        steps.Count(s => s == Step.ResponseOverdue).ShouldBe(1);
        steps.Count(s => s == Step.EscalatedToSubdistrict).ShouldBe(1);   // from the community, one tier up
        var order = await OrderAsync(app, id);
        order.Tier.ShouldBe(Tier.Subdistrict);
        order.IsOverdue.ShouldBeTrue();

        (await NotificationsAsync(await app.ApiAsAsync(SubdistrictAdmin))).ShouldContain(n => n.Contains(order.Number));
        (await NotificationsAsync(await app.ApiAsAsync(PropertyStaff))).ShouldContain(n => n.Contains(order.Number));
        resident = await app.ApiAsAsync(Clients.Resident, totpKey: null); // access tokens last 15 minutes
        var residentHears = await NotificationsAsync(resident);
        residentHears.Count.ShouldBeGreaterThanOrEqualTo(3);               // accepted, dispatched, overdue, escalated
        residentHears.ShouldNotContain(n => n.Contains("融创物业"));         // plain words, no names

        // The list and the console show it as overdue; the unread count feeds the bell.
        var count = await (await resident.GetAsync("/api/notifications/unread-count")).JsonAsync(HttpStatusCode.OK);
        count.GetProperty("count").GetInt32().ShouldBe(residentHears.Count);
        (await resident.PostAsync("/api/notifications/read-all", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await resident.GetAsync("/api/notifications/unread-count")).JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task A_grid_matter_escalates_to_the_community_then_to_the_subdistrict_and_a_paused_order_stands_still()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var building = await BuildingOneAsync(staff);
        var id = await ReportAsync(staff, "环境卫生", new { buildingId = building });  // grid first: 1号楼 is in 第一网格
        var order = await OrderAsync(app, id);
        order.Tier.ShouldBe(Tier.Grid);
        order.GridId.ShouldNotBeNull();

        app.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        await TickAsync(app);
        (await OrderAsync(app, id)).Tier.ShouldBe(Tier.Community);
        app.Clock.Advance(TimeSpan.FromHours(20));
        await TickAsync(app);
        await TickAsync(app);
        staff = await app.ApiAsAsync(Clients.Staff);
        var steps = await StepsAsync(app, id);
        steps.Count(s => s == Step.EscalatedToCommunity).ShouldBe(1);
        steps.Count(s => s == Step.ResolutionOverdue).ShouldBe(1);
        steps.Count(s => s == Step.EscalatedToSubdistrict).ShouldBe(1);

        // Paused while waiting for the resident: the clock stands still, and the limit moves by the paused time.
        var other = await ReportAsync(staff, "管道堵塞", new { buildingId = building });
        (await staff.PostAsJsonAsync($"/api/work-orders/{other}/dispatch", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var property = await app.ApiAsAsync(PropertyStaff);
        (await property.PostAsJsonAsync($"/api/work-orders/{other}/take", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await property.PostAsJsonAsync($"/api/work-orders/{other}/pause", new { reason = "住户出差，周末回来" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var due = (await OrderAsync(app, other)).ResolutionDueAt;
        app.Clock.Advance(TimeSpan.FromHours(30));
        await TickAsync(app);
        (await StepsAsync(app, other)).ShouldNotContain(Step.ResolutionOverdue);
        property = await app.ApiAsAsync(PropertyStaff);
        (await property.PostAsJsonAsync($"/api/work-orders/{other}/resume", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await OrderAsync(app, other)).ResolutionDueAt.ShouldBe(due.AddHours(30), TimeSpan.FromSeconds(1));
        await TickAsync(app);
        (await StepsAsync(app, other)).ShouldNotContain(Step.ResolutionOverdue);
    }

    [Fact]
    public async Task Two_app_processes_on_one_database_escalate_an_order_exactly_once()
    {
        await using var second = FakeClockFactory.SecondProcessOf(app);
        await ((IAsyncLifetime)second).InitializeAsync();
        var staff = await app.ApiAsAsync(Clients.Staff);
        var id = await ReportAsync(staff, "安全隐患", new { buildingId = await BuildingOneAsync(staff) }); // respond in 1 h
        second.Clock.SetUtcNow(app.Clock.GetUtcNow());

        foreach (var clock in new[] { app.Clock, second.Clock }) clock.Advance(TimeSpan.FromMinutes(61));
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => TickAsync(i % 2 == 0 ? app : second)));

        var steps = await StepsAsync(second, id);
        steps.Count(s => s == Step.ResponseOverdue).ShouldBe(1);
        steps.Count(s => s == Step.EscalatedToSubdistrict).ShouldBe(1);
        var number = (await OrderAsync(app, id)).Number;
        var told = await Run(app, sp => sp.GetRequiredService<AppDbContext>().Notifications.Where(n => n.Args.StartsWith(number)).ToListAsync());
        told.GroupBy(n => (n.RecipientId, n.Args)).ShouldAllBe(g => g.Count() == 1);
        told.ShouldNotBeEmpty();
    }
}

/// <summary>The calendar the administrator edits, and working-hour limits that follow it.</summary>
public sealed class WorkCalendarTests(LinliFactory app) : IClassFixture<LinliFactory>
{
    [Fact]
    public async Task The_system_administrator_edits_the_calendar_others_read_it_and_bad_days_are_refused()
    {
        var admin = await app.ApiAsAsync(Clients.SystemAdmin);
        var year = await (await admin.GetAsync("/api/calendar?year=2026")).JsonAsync(HttpStatusCode.OK);
        year.EnumerateArray().ShouldContain(d => d.GetProperty("date").GetString() == "2026-10-10" && d.GetProperty("kind").GetString() == "Workday");
        year.GetArrayLength().ShouldBe(39);

        var set = await admin.PutAsJsonAsync("/api/calendar/2027-06-07", new { kind = "Holiday", name = "端午节" });
        (await set.JsonAsync(HttpStatusCode.OK)).GetProperty("name").GetString().ShouldBe("端午节");
        (await (await admin.PutAsJsonAsync("/api/calendar/2027-06-08", new { kind = "Workday", name = "调休" })).ShouldBeFieldErrorAsync("Date")).ShouldNotBeEmpty();
        (await (await admin.PutAsJsonAsync("/api/calendar/2027-06-09", new { kind = "Holiday", name = "" })).ShouldBeFieldErrorAsync("Name")).ShouldNotBeEmpty();
        (await admin.PutAsJsonAsync("/api/calendar/not-a-date", new { kind = "Holiday", name = "x" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var staff = await app.ApiAsAsync(Clients.Staff);
        (await staff.GetAsync("/api/calendar?year=2027")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await staff.PutAsJsonAsync("/api/calendar/2027-06-10", new { kind = "Holiday", name = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        (await resident.GetAsync("/api/calendar")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Working-hour limits use it at once: 4 h from Friday 4 Jun 2027 16:30 skip the weekend and the new holiday.
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var time = await scope.ServiceProvider.GetRequiredService<WorkCalendarService>().CurrentAsync();
        var friday = new DateTime(2027, 6, 4, 8, 30, 0, DateTimeKind.Utc); // 16:30 in China
        time.Add(friday, 4, workingHours: true).ShouldBe(new DateTime(2027, 6, 8, 3, 30, 0, DateTimeKind.Utc)); // Tuesday 11:30

        (await admin.DeleteAsync("/api/calendar/2027-06-07")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync("/api/calendar/2027-06-07")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        var log = await (await audit.GetAsync("/api/audit?event=calendar_day.changed&size=50")).JsonAsync(HttpStatusCode.OK);
        log.GetProperty("rows").GetArrayLength().ShouldBeGreaterThanOrEqualTo(2);
    }
}
