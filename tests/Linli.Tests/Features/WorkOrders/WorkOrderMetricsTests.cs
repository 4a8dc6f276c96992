using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>The metrics of 阳光社区 (no other test files orders there): rates, median, by category, the page and its export.</summary>
[Collection(AppCollection.Name)]
public sealed class WorkOrderMetricsTests(LinliFactory app)
{
    [Fact]
    public async Task Rates_and_the_median_are_counted_per_category_and_exported()
    {
        var secretary = await app.ApiAsAsync(Clients.OtherSecretary);
        var me = (await (await secretary.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid();
        var categories = await (await secretary.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);
        Guid Category(string name) => categories.EnumerateArray().First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

        async Task<Guid> OrderAsync(string category, int? rating)
        {
            var o = await (await secretary.PostAsJsonAsync("/api/work-orders", new { categoryId = Category(category), description = "测试", place = new { text = "小区南门" }, channel = "Visit" }))
                .JsonAsync(HttpStatusCode.Created);
            var id = o.GetProperty("id").GetGuid();
            if (rating is null) return id;
            await (await secretary.PostAsJsonAsync($"/api/work-orders/{id}/dispatch", new { handler = new { kind = "Staff", id = me } })).JsonAsync(HttpStatusCode.OK);
            await (await secretary.PostAsJsonAsync($"/api/work-orders/{id}/take", new { })).JsonAsync(HttpStatusCode.OK);
            await (await secretary.PostAsJsonAsync($"/api/work-orders/{id}/complete", new { result = "已处理" })).JsonAsync(HttpStatusCode.OK);
            await (await secretary.PostAsJsonAsync($"/api/work-orders/{id}/return-visit", new { rating })).JsonAsync(HttpStatusCode.OK);
            return id;
        }
        await OrderAsync("环境卫生", 5);
        await OrderAsync("环境卫生", 2);
        await OrderAsync("公共设施", null);

        var report = await (await secretary.GetAsync("/api/work-orders/metrics?by=Category")).JsonAsync(HttpStatusCode.OK);
        var env = report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("group").GetString() == "环境卫生");
        env.GetProperty("reported").GetInt32().ShouldBe(2);
        env.GetProperty("responseRate").GetDouble().ShouldBe(100);
        env.GetProperty("resolutionRate").GetDouble().ShouldBe(100);
        env.GetProperty("satisfactionRate").GetDouble().ShouldBe(50);
        env.GetProperty("onTimeRate").GetDouble().ShouldBe(100);
        env.GetProperty("medianHoursToDone").GetDouble().ShouldBeLessThan(1);
        var facility = report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("group").GetString() == "公共设施");
        facility.GetProperty("resolutionRate").GetDouble().ShouldBe(0);
        facility.GetProperty("satisfactionRate").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var total = report.GetProperty("total");
        total.GetProperty("reported").GetInt32().ShouldBe(3);
        total.GetProperty("resolutionRate").GetDouble().ShouldBe(66.7);

        var byHandler = await (await secretary.GetAsync("/api/work-orders/metrics?by=Handler")).JsonAsync(HttpStatusCode.OK);
        byHandler.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("group").GetString()).ShouldContain("蒋晓红");
        await (await secretary.GetAsync("/api/work-orders/metrics?from=2026-11-10&to=2026-11-01")).ShouldBeFieldErrorAsync("To");
        (await (await app.ApiAsAsync(WorkOrderFlowTests.PropertyStaff)).GetAsync("/api/work-orders/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var pages = await app.PagesAsAsync(Clients.OtherSecretary);
        (await pages.GetStringAsync("/console/orders/metrics")).ShouldContain("66.7%");
        var xlsx = await pages.GetAsync("/console/orders/metrics?handler=Export");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        MiniExcelLibs.MiniExcel.Query(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Count().ShouldBe(3);
    }
}

/// <summary>
/// The medians, exactly, from orders written with set times (March 2024 in 阳光社区, a month no other test reports in):
/// the middle one or the mean of the middle two, and only orders that are done now count (a reopened order's earlier
/// minutes do not).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WorkOrderMetricsMedianTests(LinliFactory app)
{
    [Fact]
    public async Task Medians_are_the_middle_of_the_done_orders_per_group_and_in_total()
    {
        var secretary = await app.ApiAsAsync(Clients.OtherSecretary);
        (await secretary.GetAsync("/api/work-order-categories")).StatusCode.ShouldBe(HttpStatusCode.OK); // the community's categories exist
        var me = (await (await secretary.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid();
        var communityId = (await (await secretary.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("communities")[0].GetGuid();
        var t0 = new DateTime(2024, 3, 5, 2, 0, 0, DateTimeKind.Utc); // 10:00 in China
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<Linli.Web.Infrastructure.Tenancy.TenantScope>().UseSystem();
            var db = scope.ServiceProvider.GetRequiredService<Linli.Web.Infrastructure.Data.AppDbContext>();
            var categories = await db.WorkOrderCategories.Where(c => c.CommunityId == communityId).ToListAsync();
            var by = new Linli.Web.Features.WorkOrders.Actor(me, "蒋晓红");
            var handler = new Linli.Web.Features.WorkOrders.Handler(Linli.Web.Features.WorkOrders.HandlerKind.Staff, me, "蒋晓红");
            var n = 0;
            Linli.Web.Features.WorkOrders.WorkOrder Done(string category, int? minutes)
            {
                var o = Linli.Web.Features.WorkOrders.WorkOrder.Create(communityId, $"240305{++n:0000}", Linli.Web.Features.WorkOrders.Channel.Phone,
                    categories.Single(c => c.Name == category), "测试", new(null, null, null, null, "南门"), null, null, by, t0);
                o.Dispatch(handler, by, t0);
                o.Take(by, t0);
                if (minutes is { } m) o.Complete(by, t0.AddMinutes(m), "已处理");
                db.WorkOrders.Add(o);
                return o;
            }
            Done("环境卫生", 60);
            Done("环境卫生", 120);
            Done("公共设施", 180);
            Done("公共设施", null); // still with the handler
            var reopened = Done("环境卫生", 30);
            reopened.RecordReturnVisit(by, t0.AddHours(1), 1, "没修好");
            reopened.Reopen(by, t0.AddHours(2), "居民反映问题没有解决");
            await db.SaveChangesAsync();
        }

        async Task<JsonElement> ReportAsync(string by) =>
            await (await secretary.GetAsync($"/api/work-orders/metrics?from=2024-03-01&to=2024-03-31&by={by}")).JsonAsync(HttpStatusCode.OK);
        JsonElement Row(JsonElement report, string group) => report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("group").GetString() == group);

        var byCategory = await ReportAsync("Category");
        Row(byCategory, "环境卫生").GetProperty("reported").GetInt32().ShouldBe(3);
        Row(byCategory, "环境卫生").GetProperty("done").GetInt32().ShouldBe(2);
        Row(byCategory, "环境卫生").GetProperty("medianHoursToDone").GetDouble().ShouldBe(1.5);    // (60 + 120) / 2 minutes; the reopened 30 does not count
        Row(byCategory, "公共设施").GetProperty("medianHoursToDone").GetDouble().ShouldBe(3.0);
        Row(byCategory, "公共设施").GetProperty("resolutionRate").GetDouble().ShouldBe(50);
        byCategory.GetProperty("total").GetProperty("reported").GetInt32().ShouldBe(5);
        byCategory.GetProperty("total").GetProperty("medianHoursToDone").GetDouble().ShouldBe(2.0); // 60, 120, 180
        byCategory.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("reported").GetInt32()).ShouldBe([3, 2]); // most reported first

        var byHandler = await ReportAsync("Handler");
        Row(byHandler, "蒋晓红").GetProperty("medianHoursToDone").GetDouble().ShouldBe(2.0);
        Row(byHandler, "蒋晓红").GetProperty("reported").GetInt32().ShouldBe(4);
        byHandler.GetProperty("rows").GetArrayLength().ShouldBe(2); // the reopened order has no handler now
        var byCommunity = await ReportAsync("Community");
        Row(byCommunity, "阳光社区").GetProperty("medianHoursToDone").GetDouble().ShouldBe(2.0);
        Row(byCommunity, "阳光社区").GetProperty("satisfactionRate").ValueKind.ShouldBe(JsonValueKind.Null); // the only rating was taken back by the reopen
    }
}

/// <summary>
/// By grid (融华府社区, where other tests report too, so the figures are read before and after): an order at a building
/// of 第一网格 counts there, one without a building in the row for orders in no grid; the API, the page (both languages)
/// and the export offer it; a grid member still has no metrics.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WorkOrderMetricsByGridTests(LinliFactory app)
{
    [Fact]
    public async Task Orders_count_in_the_grid_of_their_building_on_the_api_the_page_and_the_export()
    {
        var secretary = await app.ApiAsAsync(Clients.Secretary);
        var categories = await (await secretary.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);
        var env = categories.EnumerateArray().First(c => c.GetProperty("name").GetString() == "环境卫生").GetProperty("id").GetGuid();
        var estates = await (await secretary.GetAsync("/api/estates")).JsonAsync(HttpStatusCode.OK);
        var estate = estates.EnumerateArray().First(e => e.GetProperty("name").GetString() == "融创裕华壹号").GetProperty("id").GetGuid();
        var buildings = await (await secretary.GetAsync($"/api/estates/{estate}/buildings")).JsonAsync(HttpStatusCode.OK);
        var buildingOne = buildings.EnumerateArray().First(b => b.GetProperty("number").GetString() == "1").GetProperty("id").GetGuid(); // in 第一网格

        async Task<JsonElement> ByGridAsync(string? culture = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/work-orders/metrics?by=Grid");
            if (culture is not null) request.Headers.AcceptLanguage.ParseAdd(culture);
            return await (await secretary.SendAsync(request)).JsonAsync(HttpStatusCode.OK);
        }
        static int Reported(JsonElement report, string group) =>
            report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("group").GetString() == group).Select(r => r.GetProperty("reported").GetInt32()).SingleOrDefault();

        var before = await ByGridAsync();
        before.GetProperty("by").GetString().ShouldBe("Grid");
        await (await secretary.PostAsJsonAsync("/api/work-orders", new { categoryId = env, description = "楼道堆放杂物", place = new { buildingId = buildingOne }, channel = "Visit" }))
            .JsonAsync(HttpStatusCode.Created);
        await (await secretary.PostAsJsonAsync("/api/work-orders", new { categoryId = env, description = "路边垃圾", place = new { text = "社区南侧马路边" }, channel = "Visit" }))
            .JsonAsync(HttpStatusCode.Created);
        var after = await ByGridAsync();
        Reported(after, "第一网格").ShouldBe(Reported(before, "第一网格") + 1);
        Reported(after, "未划入网格").ShouldBe(Reported(before, "未划入网格") + 1);
        after.GetProperty("total").GetProperty("reported").GetInt32().ShouldBe(before.GetProperty("total").GetProperty("reported").GetInt32() + 2);
        after.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("reported").GetInt32()).ShouldBe(after.GetProperty("total").GetProperty("reported").GetInt32());
        // The same total as by category: one code path, other groups.
        var byCategory = await (await secretary.GetAsync("/api/work-orders/metrics?by=Category")).JsonAsync(HttpStatusCode.OK);
        byCategory.GetProperty("total").ToString().ShouldBe(after.GetProperty("total").ToString());
        Reported(await ByGridAsync("en"), "Not in a grid").ShouldBe(Reported(after, "未划入网格"));
        await (await secretary.GetAsync("/api/work-orders/metrics?by=9")).ShouldBeFieldErrorAsync("By");

        var pages = await app.PagesAsAsync(Clients.Secretary);
        var html = await pages.GetStringAsync("/console/orders/metrics?by=Grid");
        html.ShouldContain("<option value=\"Grid\" selected=\"selected\">网格</option>");
        html.ShouldContain("<th scope=\"row\">第一网格</th>");
        html.ShouldContain("<th scope=\"row\">未划入网格</th>");
        (await pages.GetStringAsync("/console/orders/metrics?by=Grid&culture=en")).ShouldContain("<th scope=\"row\">Not in a grid</th>");
        var xlsx = await pages.GetAsync("/console/orders/metrics?handler=Export&by=Grid");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        sheet.Select(r => r["网格"]?.ToString()).ShouldContain("第一网格");
        sheet.Select(r => r["网格"]?.ToString()).ShouldContain("未划入网格");

        // A grid member's scope has no metrics (policy Metrics: staff, secretaries, subdistrict admins): not by grid either.
        (await (await app.ApiAsAsync(Clients.GridMember)).GetAsync("/api/work-orders/metrics?by=Grid")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var gridPage = await (await app.PagesAsAsync(Clients.GridMember)).GetAsync("/console/orders/metrics?by=Grid");
        gridPage.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        gridPage.Headers.Location!.AbsolutePath.ShouldBe("/account/denied");
    }
}
