using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

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
