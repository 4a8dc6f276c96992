using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>
/// The office's set-up of work orders: editing the category tree, routing rules by category, place and time, and the
/// on-call list; routing at dispatch and "dispatch at once" at night. The clock is moved to a night and to office hours.
/// </summary>
public sealed class RoutingTests(FakeClockFactory app) : IClassFixture<FakeClockFactory>
{
    private const string PartnerMember = "13800000005";
    private static readonly WorkingTime Bundled = new(CalendarDay.Bundled().ToDictionary(d => d.Date, d => d.Kind), new TimeOnly(8, 30), new TimeOnly(17, 30));

    private static async Task<JsonElement> CategoriesAsync(HttpClient client) =>
        await (await client.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);

    private static async Task<Guid> CategoryAsync(HttpClient client, string name) =>
        (await CategoriesAsync(client)).EnumerateArray().First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private static async Task<Guid> EstateAsync(HttpClient staff, string name) =>
        (await (await staff.GetAsync("/api/estates")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()
            .First(e => e.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private static async Task<Guid> BuildingAsync(HttpClient staff, string estate, string number)
    {
        var buildings = await (await staff.GetAsync($"/api/estates/{await EstateAsync(staff, estate)}/buildings")).JsonAsync(HttpStatusCode.OK);
        return buildings.EnumerateArray().First(b => b.GetProperty("number").GetString() == number).GetProperty("id").GetGuid();
    }

    private async Task<Guid> PartnerUnitIdAsync(string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().PartnerUnits.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
    }

    private static async Task<JsonElement> ReportAsync(HttpClient client, Guid category, object place, string description = "测试派单") =>
        await (await client.PostAsJsonAsync("/api/work-orders", new { categoryId = category, description, place })).JsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> StepAsync(HttpClient client, Guid id, string step, object? body = null) =>
        await (await client.PostAsJsonAsync($"/api/work-orders/{id}/{step}", body ?? new { })).JsonAsync(HttpStatusCode.OK);

    /// <summary>Moves the fake clock forward to the next moment that satisfies <paramref name="fits"/>, on the hour (China time).</summary>
    private void AdvanceTo(Func<DateTime, bool> fits)
    {
        var t = app.Clock.GetUtcNow().UtcDateTime;
        var next = new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
        while (!fits(next)) next = next.AddHours(1);
        app.Clock.SetUtcNow(next.AddMinutes(30));
    }

    private static int ChinaHour(DateTime utc) => (utc.Hour + 8) % 24;

    [Fact]
    public async Task The_office_edits_the_category_tree_and_bad_input_is_refused_naming_the_field()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var name = Clients.Unique("楼道杂物");
        var top = await (await staff.PostAsJsonAsync("/api/work-order-categories", new
        {
            name, responseHours = 4, resolutionHours = 48, warningLeadHours = 8, workingHours = false, @public = true, gridFirst = true,
        })).JsonAsync(HttpStatusCode.Created);
        var topId = top.GetProperty("id").GetGuid();
        top.GetProperty("gridFirst").GetBoolean().ShouldBeTrue();
        var sub = await (await staff.PostAsJsonAsync("/api/work-order-categories", new
        {
            parentId = topId, name = "电动车堵塞通道", responseHours = 2, resolutionHours = 24, warningLeadHours = 4, @public = true,
        })).JsonAsync(HttpStatusCode.Created);
        var subId = sub.GetProperty("id").GetGuid();

        // Rename and change the limits; the counting switches to working hours.
        var changed = await (await staff.PutAsJsonAsync($"/api/work-order-categories/{subId}", new
        {
            name = "电动车占道", responseHours = 3, resolutionHours = 16, warningLeadHours = 2, workingHours = true, @public = false,
        })).JsonAsync(HttpStatusCode.OK);
        changed.GetProperty("name").GetString().ShouldBe("电动车占道");
        changed.GetProperty("workingHours").GetBoolean().ShouldBeTrue();
        changed.GetProperty("resolutionHours").GetInt32().ShouldBe(16);

        // An order of the sub-category copies its limits.
        var order = await ReportAsync(staff, subId, new { text = "3号楼一单元门口" });
        order.GetProperty("category").GetString().ShouldBe($"{name} › 电动车占道");

        // Bad input: a duplicate name, a resolution before the response, a warning longer than the limit, a nameless one,
        // a parent that is itself a sub-category, a parent of another community. Nothing is saved.
        await (await staff.PostAsJsonAsync("/api/work-order-categories", new { name, responseHours = 1, resolutionHours = 2 })).ShouldBeFieldErrorAsync("Name");
        await (await staff.PutAsJsonAsync($"/api/work-order-categories/{subId}", new { name = "电动车占道", responseHours = 10, resolutionHours = 5 }))
            .ShouldBeFieldErrorAsync("ResolutionHours");
        await (await staff.PutAsJsonAsync($"/api/work-order-categories/{subId}", new { name = "电动车占道", responseHours = 1, resolutionHours = 5, warningLeadHours = 5 }))
            .ShouldBeFieldErrorAsync("WarningLeadHours");
        await (await staff.PostAsJsonAsync("/api/work-order-categories", new { name = "  ", responseHours = 1, resolutionHours = 2 })).ShouldBeFieldErrorAsync("Name");
        await (await staff.PostAsJsonAsync("/api/work-order-categories", new { parentId = subId, name = "三级", responseHours = 1, resolutionHours = 2 }))
            .ShouldBeFieldErrorAsync("ParentId");
        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        var otherTop = await CategoryAsync(other, "环境卫生");
        await (await staff.PostAsJsonAsync("/api/work-order-categories", new { parentId = otherTop, name = "越界", responseHours = 1, resolutionHours = 2 }))
            .ShouldBeFieldErrorAsync("ParentId");
        (await other.PutAsJsonAsync($"/api/work-order-categories/{subId}", new { name = "x", responseHours = 1, resolutionHours = 2 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await CategoriesAsync(staff)).EnumerateArray().Count(c => c.GetProperty("name").GetString() is "三级" or "越界").ShouldBe(0);

        // Residents, grid members and partners do not edit categories.
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        (await resident.PostAsJsonAsync("/api/work-order-categories", new { name = "居民加的", responseHours = 1, resolutionHours = 2 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var grid = await app.ApiAsAsync(Clients.GridMember);
        (await grid.PostAsync($"/api/work-order-categories/{topId}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Retiring the top retires its sub-category: no new orders of either; restoring the sub alone is refused.
        (await (await staff.PostAsync($"/api/work-order-categories/{topId}/retire", null)).JsonAsync(HttpStatusCode.OK)).GetProperty("isRetired").GetBoolean().ShouldBeTrue();
        (await CategoriesAsync(staff)).EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == subId).GetProperty("isRetired").GetBoolean().ShouldBeTrue();
        await (await staff.PostAsJsonAsync("/api/work-orders", new { categoryId = subId, description = "停用后", place = new { text = "门口" } })).ShouldBeFieldErrorAsync("CategoryId");
        (await staff.PostAsync($"/api/work-order-categories/{subId}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await (await staff.PostAsync($"/api/work-order-categories/{topId}/restore", null)).JsonAsync(HttpStatusCode.OK);
        (await CategoriesAsync(staff)).EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == subId).GetProperty("isRetired").GetBoolean().ShouldBeFalse();

        // The order already reported keeps its category and limits; every change is in the audit log.
        (await (await staff.GetAsync($"/api/work-orders/{order.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK))
            .GetProperty("category").GetString().ShouldBe($"{name} › 电动车占道");
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var audited = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEntries
            .CountAsync(a => a.Event == Linli.Web.Infrastructure.Auditing.AuditEvents.CategoryChanged && (a.ObjectId == topId.ToString() || a.ObjectId == subId.ToString()));
        audited.ShouldBe(5); // two created, one changed, one retired, one restored
    }

    [Fact]
    public async Task Rules_by_place_pick_the_estates_property_company_and_a_partner_unit_where_there_is_none()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var pipes = await CategoryAsync(staff, "管道堵塞");

        // The demo's rule: 东华国樾府's pipes go to 东华物业; 融创裕华壹号 has no rule and takes the default (融创物业).
        var dong = await ReportAsync(staff, pipes, new { buildingId = await BuildingAsync(staff, "东华国樾府", "1") });
        var dongId = dong.GetProperty("id").GetGuid();
        var hint = await (await staff.GetAsync($"/api/work-orders/{dongId}/route")).JsonAsync(HttpStatusCode.OK);
        hint.GetProperty("handler").GetProperty("name").GetString().ShouldBe("东华物业");
        hint.GetProperty("reason").GetString().ShouldBe("Rule");
        (await StepAsync(staff, dongId, "dispatch")).GetProperty("handlerName").GetString().ShouldBe("东华物业");
        var rong = await ReportAsync(staff, pipes, new { buildingId = await BuildingAsync(staff, "融创裕华壹号", "2") });
        (await StepAsync(staff, rong.GetProperty("id").GetGuid(), "dispatch")).GetProperty("handlerName").GetString().ShouldBe("融创物业");

        // An estate without a property company, and a rule for such estates: the water station takes its pipes.
        var estate = await (await staff.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("老旧小区"), propertyCompanyName = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var estateId = estate.GetProperty("id").GetGuid();
        var building = await (await staff.PostAsJsonAsync($"/api/estates/{estateId}/buildings", new { number = "1", floors = 6, entrances = 1, homesPerFloor = 2 }))
            .JsonAsync(HttpStatusCode.Created);
        var water = await PartnerUnitIdAsync("裕华区供水维修服务站");
        var rule = await (await staff.PostAsJsonAsync("/api/routing-rules", new
        {
            categoryId = await CategoryAsync(staff, "水电维修"), place = "EstateWithoutPropertyCompany", time = "Any", target = "Handler",
            handler = new { kind = "PartnerUnit", id = water },
        })).JsonAsync(HttpStatusCode.Created);
        rule.GetProperty("category").GetString().ShouldBe("水电维修");
        var old = await ReportAsync(staff, pipes, new { buildingId = building.GetProperty("id").GetGuid() });
        (await StepAsync(staff, old.GetProperty("id").GetGuid(), "dispatch")).GetProperty("handlerName").GetString().ShouldBe("裕华区供水维修服务站");
        // ... and the partner sees it, as it sees everything dispatched to its unit.
        var partner = await app.ApiAsAsync(PartnerMember);
        (await partner.GetAsync($"/api/work-orders/{old.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Rules are tried in order: a rule moved first wins. A catch-all for 水电维修 to staff, moved to the top, takes 东华国樾府 too.
        var rules = await (await staff.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK);
        var staffChoice = (await (await staff.GetAsync("/api/on-call")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().First().GetProperty("userId").GetGuid();
        var catchAll = await (await staff.PostAsJsonAsync("/api/routing-rules", new
        {
            categoryId = pipes, place = "Any", time = "Any", target = "Handler", handler = new { kind = "Staff", id = staffChoice },
        })).JsonAsync(HttpStatusCode.Created);
        var catchAllId = catchAll.GetProperty("id").GetGuid();
        catchAll.GetProperty("position").GetInt32().ShouldBe(rules.GetArrayLength() + 1);
        var again = await ReportAsync(staff, pipes, new { buildingId = await BuildingAsync(staff, "东华国樾府", "2") });
        (await (await staff.GetAsync($"/api/work-orders/{again.GetProperty("id").GetGuid()}/route")).JsonAsync(HttpStatusCode.OK))
            .GetProperty("handler").GetProperty("name").GetString().ShouldBe("东华物业");
        for (var i = 0; i < rules.GetArrayLength(); i++)
            (await staff.PostAsync($"/api/routing-rules/{catchAllId}/move?up=true", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await staff.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetGuid().ShouldBe(catchAllId);
        (await (await staff.GetAsync($"/api/work-orders/{again.GetProperty("id").GetGuid()}/route")).JsonAsync(HttpStatusCode.OK))
            .GetProperty("reason").GetString().ShouldBe("Rule");
        (await StepAsync(staff, again.GetProperty("id").GetGuid(), "dispatch")).GetProperty("handlerId").GetGuid().ShouldBe(staffChoice);
        (await staff.DeleteAsync($"/api/routing-rules/{catchAllId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.DeleteAsync($"/api/routing-rules/{rule.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // Bad rules: one estate without the estate, a handler target without a handler, another community's unit or category.
        await (await staff.PostAsJsonAsync("/api/routing-rules", new { categoryId = pipes, place = "Estate", time = "Any", target = "OnCall" })).ShouldBeFieldErrorAsync("EstateId");
        await (await staff.PostAsJsonAsync("/api/routing-rules", new { categoryId = pipes, place = "Any", time = "Any", target = "Handler" })).ShouldBeFieldErrorAsync("Handler");
        await (await staff.PostAsJsonAsync("/api/routing-rules", new { categoryId = pipes, place = "Any", time = "Any", target = "Handler", handler = new { kind = "PartnerUnit", id = Guid.NewGuid() } }))
            .ShouldBeFieldErrorAsync("Handler");
        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        await (await staff.PostAsJsonAsync("/api/routing-rules", new { categoryId = await CategoryAsync(other, "管道堵塞"), place = "Any", time = "Any", target = "OnCall" }))
            .ShouldBeFieldErrorAsync("CategoryId");
        (await (await other.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);
        (await other.DeleteAsync($"/api/routing-rules/{(await (await staff.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetGuid()}"))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var grid = await app.ApiAsAsync(Clients.GridMember);
        (await grid.PostAsJsonAsync("/api/routing-rules", new { categoryId = pipes, place = "Any", time = "Any", target = "OnCall" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await staff.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(rules.GetArrayLength() - 1); // the demo's rules again
    }

    [Fact]
    public async Task At_night_a_power_trip_goes_straight_to_whoever_is_on_duty_and_in_office_hours_it_waits_for_the_office()
    {
        // A night (22:00–23:00 China time) within the demo's month of duties.
        AdvanceTo(t => ChinaHour(t) == 22);
        var night = app.Clock.GetUtcNow().UtcDateTime;
        Bundled.IsOfficeHours(night).ShouldBeFalse();
        var staff = await app.ApiAsAsync(Clients.Staff);
        var duty = (await (await staff.GetAsync("/api/on-call?from=" + Bundled.DutyDate(night).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).JsonAsync(HttpStatusCode.OK))[0];
        duty.GetProperty("date").GetString().ShouldBe(Bundled.DutyDate(night).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var onDuty = duty.GetProperty("userId").GetGuid();
        var trip = await CategoryAsync(staff, "停电跳闸");

        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var order = await ReportAsync(resident, trip, new { text = "1号楼一单元楼道" }, "楼道停电了，黑着不敢下楼");
        order.GetProperty("status").GetString().ShouldBe("Dispatched");
        order.GetProperty("handlerId").GetGuid().ShouldBe(onDuty);
        var id = order.GetProperty("id").GetGuid();
        var detail = await (await staff.GetAsync($"/api/work-orders/{id}")).JsonAsync(HttpStatusCode.OK);
        var steps = detail.GetProperty("timeline").EnumerateArray().Select(e => (Step: e.GetProperty("step").GetString(), Actor: e.GetProperty("actorName").GetString())).ToList();
        steps.Select(s => s.Step).ShouldBe(["Submitted", "Accepted", "Dispatched"]);
        steps.Skip(1).ShouldAllBe(s => s.Actor == "系统");
        // The person on duty hears of it at once.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
            (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Notifications.CountAsync(n => n.RecipientId == onDuty && n.Link.Contains(id.ToString()))).ShouldBeGreaterThan(0);
        }

        // With nobody on duty that night the rule passes: the order waits for the office (no default handler).
        (await staff.DeleteAsync($"/api/on-call/{Bundled.DutyDate(night):yyyy-MM-dd}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var waiting = await ReportAsync(resident, trip, new { text = "2号楼" });
        waiting.GetProperty("status").GetString().ShouldBe("Submitted");
        (await staff.GetAsync($"/api/work-orders/{waiting.GetProperty("id").GetGuid()}/route")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // Put someone on duty again through the API; an unknown person is refused, and a resident cannot do it.
        await (await staff.PutAsJsonAsync($"/api/on-call/{Bundled.DutyDate(night):yyyy-MM-dd}", new { userId = Guid.NewGuid() })).ShouldBeFieldErrorAsync("UserId");
        (await resident.PutAsJsonAsync($"/api/on-call/{Bundled.DutyDate(night):yyyy-MM-dd}", new { userId = onDuty })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var set = await (await staff.PutAsJsonAsync($"/api/on-call/{Bundled.DutyDate(night):yyyy-MM-dd}", new { userId = onDuty, note = "值班电话 85000000" })).JsonAsync(HttpStatusCode.OK);
        set.GetProperty("note").GetString().ShouldBe("值班电话 85000000");
        (await (await staff.GetAsync($"/api/work-orders/{waiting.GetProperty("id").GetGuid()}/route")).JsonAsync(HttpStatusCode.OK))
            .GetProperty("reason").GetString().ShouldBe("OnCall");

        // In office hours of the next working day the same report is not dispatched by the rule: the office accepts it.
        AdvanceTo(t => Bundled.IsOfficeHours(t) && ChinaHour(t) == 10);
        resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var day = await ReportAsync(resident, trip, new { text = "3号楼" });
        day.GetProperty("status").GetString().ShouldBe("Submitted");
    }

    [Fact]
    public async Task The_console_pages_edit_categories_rules_and_duties_with_messages_beside_the_fields()
    {
        var pages = await app.PagesAsAsync(Clients.Secretary);
        var html = await pages.GetStringAsync("/console/orders/categories");
        html.ShouldContain("管道堵塞");
        html.ShouldContain("诉求类别");

        // A new top-level category through the form; an empty name is refused beside the field.
        var bad = await pages.PostFormAsync("/console/orders/categories", new() { ["Input.Name"] = "", ["Input.ResponseHours"] = "2", ["Input.ResolutionHours"] = "8", ["Input.WarningLeadHours"] = "1" });
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("类别名称");
        var name = Clients.Unique("违章搭建");
        var ok = await pages.PostFormAsync("/console/orders/categories", new()
        {
            ["Input.Name"] = name, ["Input.ResponseHours"] = "8", ["Input.ResolutionHours"] = "72", ["Input.WarningLeadHours"] = "12", ["Input.Public"] = "true",
        });
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await pages.GetStringAsync("/console/orders/categories")).ShouldContain(name);

        // The routing page lists the demo's rules in words and the on-call list; a rule for one estate without the estate is refused beside the field.
        var routing = await pages.GetStringAsync("/console/orders/routing");
        routing.ShouldContain("东华国樾府");
        routing.ShouldContain("值班表");
        var staff = await app.ApiAsAsync(Clients.Staff);
        var pipes = await CategoryAsync(staff, "管道堵塞");
        var refused = await pages.PostFormAsync("/console/orders/routing?handler=Rule", new()
        {
            ["Rule.CategoryId"] = pipes.ToString(), ["Rule.Place"] = "Estate", ["Rule.Time"] = "Any", ["Rule.Target"] = "OnCall",
        }, "/console/orders/routing");
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("请选择本社区的小区");
        var count = (await (await staff.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK)).GetArrayLength();
        var lamps = await CategoryAsync(staff, "路灯");
        var added = await pages.PostFormAsync("/console/orders/routing?handler=Rule", new()
        {
            ["Rule.CategoryId"] = lamps.ToString(), ["Rule.Place"] = "Any", ["Rule.Time"] = "OutsideOfficeHours", ["Rule.Target"] = "OnCall", ["Rule.DispatchAtOnce"] = "true",
        }, "/console/orders/routing");
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await (await staff.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK);
        after.GetArrayLength().ShouldBe(count + 1);
        var lampRule = after.EnumerateArray().Single(r => r.GetProperty("categoryId").GetGuid() == lamps);
        lampRule.GetProperty("dispatchAtOnce").GetBoolean().ShouldBeTrue();
        (await pages.GetStringAsync("/console/orders/routing")).ShouldContain("路灯｜任何地点｜夜间、周末和节假日 → 值班人员");
        var removed = await pages.PostFormAsync($"/console/orders/routing?handler=RemoveRule&id={lampRule.GetProperty("id").GetGuid()}", new(), "/console/orders/routing");
        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await (await staff.GetAsync("/api/routing-rules")).JsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(count);

        // A duty without a person is refused beside the field.
        var duty = await pages.PostFormAsync("/console/orders/routing?handler=Duty", new() { ["DutyDate"] = "2026-12-31", ["Duty.UserId"] = "" }, "/console/orders/routing");
        duty.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await duty.Content.ReadAsStringAsync()).ShouldContain("值班人必须是本社区的工作人员或网格员");

        // Not for grid members or residents.
        var grid = await app.PagesAsAsync(Clients.GridMember);
        (await grid.GetAsync("/console/orders/routing")).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
    }
}
