using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>The pages of this round: the bell and the messages page, the live order page, the calendar page.</summary>
[Collection(AppCollection.Name)]
public sealed class LiveAndNotificationPagesTests(LinliFactory app)
{
    private async Task<(Guid Id, int Version)> ReportAsync()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var categories = await (await resident.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);
        var category = categories.EnumerateArray().First(c => c.GetProperty("name").GetString() == "路灯").GetProperty("id").GetGuid();
        var order = await (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = category, description = "东门路灯不亮", place = new { text = "东门口" } }))
            .JsonAsync(HttpStatusCode.Created);
        return (order.GetProperty("id").GetGuid(), order.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task An_open_order_page_polls_cheaply_and_shows_the_news_when_staff_act_and_the_resident_is_told()
    {
        var (id, version) = await ReportAsync();
        var pages = await app.PagesAsAsync(Clients.Resident, totpKey: null);
        var page = await (await pages.GetAsync($"/orders/{id}")).Content.ReadAsStringAsync();
        page.ShouldContain($"handler=Live&amp;v={version}");
        (await pages.GetAsync($"/orders/{id}?handler=Live&v={version}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var staff = await app.ApiAsAsync(Clients.Staff);
        (await staff.PostAsJsonAsync($"/api/work-orders/{id}/accept", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var news = await pages.GetAsync($"/orders/{id}?handler=Live&v={version}");
        news.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await news.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"order-live\"");
        html.ShouldContain("hx-swap-oob");
        html.ShouldContain("社区已受理您的诉求");

        // The bell and the messages page.
        var bell = await (await pages.GetAsync("/notifications?handler=Bell")).Content.ReadAsStringAsync();
        bell.ShouldContain("bell-count");
        var list = await (await pages.GetAsync("/notifications")).Content.ReadAsStringAsync();
        list.ShouldContain("您的诉求有新进展：社区已受理您的诉求。");
        (await pages.PostFormAsync("/notifications?handler=ReadAll", [], "/notifications")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await (await pages.GetAsync("/notifications?handler=Bell")).Content.ReadAsStringAsync()).ShouldNotContain("bell-count");

        // Another resident's order cannot be polled; staff poll the console page.
        var other = await app.PagesAsAsync(Clients.OtherSecretary);
        (await other.GetAsync($"/console/orders/{id}?handler=Live&v=0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var office = await app.PagesAsAsync(Clients.Staff);
        (await office.GetAsync($"/console/orders/{id}?handler=Live&v=0")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_calendar_page_is_the_system_administrators_and_refuses_a_workday_on_a_weekday()
    {
        var admin = await app.PagesAsAsync(Clients.SystemAdmin);
        var page = await (await admin.GetAsync("/console/calendar?year=2026")).Content.ReadAsStringAsync();
        page.ShouldContain("国庆节调休上班");
        page.ShouldContain("2026 年共 248 个工作日");
        var bad = await admin.PostFormAsync("/console/calendar", new() { ["Date"] = "2026-12-02", ["Input.Kind"] = "Workday", ["Input.Name"] = "调休" }, "/console/calendar");
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("调休上班日必须是周六或周日");
        var ok = await admin.PostFormAsync("/console/calendar", new() { ["Date"] = "2026-12-31", ["Input.Kind"] = "Holiday", ["Input.Name"] = "测试假日" }, "/console/calendar");
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await (await admin.GetAsync("/console/calendar?year=2026")).Content.ReadAsStringAsync()).ShouldContain("测试假日");
        (await admin.PostFormAsync("/console/calendar?handler=Remove&date=2026-12-31", [], "/console/calendar")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var staff = await app.PagesAsAsync(Clients.Staff);
        (await staff.GetAsync("/console/calendar")).StatusCode.ShouldBe(HttpStatusCode.Redirect); // denied
    }
}
