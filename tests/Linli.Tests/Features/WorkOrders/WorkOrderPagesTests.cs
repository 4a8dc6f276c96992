using System.Net;
using System.Text.RegularExpressions;
using Linli.Tests.Support;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>The same loop through the pages: the resident's phone pages and the console.</summary>
[Collection(AppCollection.Name)]
public sealed partial class WorkOrderPagesTests(LinliFactory app)
{
    [Fact]
    public async Task A_resident_reports_on_the_phone_staff_dispatch_the_property_company_completes_and_the_resident_rates_it()
    {
        var resident = await app.PagesAsAsync(Clients.Resident, totpKey: null);
        var form = await resident.GetStringAsync("/orders/new");
        form.ShouldContain("融创裕华壹号"); // her home is offered as the place
        var category = CategoryOption().Matches(form).First(m => m.Groups[2].Value == "管道堵塞").Groups[1].Value;

        var bad = await resident.PostFormAsync("/orders/new", new() { ["CategoryId"] = category, ["Description"] = "", ["AtHome"] = "true" });
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("class=\"error\"");

        var reported = await resident.PostFormAsync("/orders/new", new() { ["CategoryId"] = category, ["Description"] = "卫生间地漏堵了", ["AtHome"] = "true" });
        reported.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var orderUrl = reported.Headers.Location!.OriginalString;
        var id = orderUrl.Split('/')[^1];
        (await resident.GetStringAsync(orderUrl)).ShouldContain("卫生间地漏堵了");
        (await resident.GetStringAsync("/orders")).ShouldContain(orderUrl);

        var staff = await app.PagesAsAsync(Clients.Staff);
        (await staff.GetStringAsync("/console/orders")).ShouldContain($"/console/orders/{id}");
        var detail = $"/console/orders/{id}";
        (await staff.PostFormAsync($"{detail}?handler=Step&step=accept", new(), formPage: detail)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await staff.PostFormAsync($"{detail}?handler=Step&step=dispatch", new() { ["Input.Handler"] = "" }, formPage: detail)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await staff.GetStringAsync(detail)).ShouldContain("融创物业");

        var property = await app.PagesAsAsync(WorkOrderFlowTests.PropertyStaff);
        var probe = await property.GetAsync(detail);
        probe.StatusCode.ShouldBe(HttpStatusCode.OK, await probe.Content.ReadAsStringAsync());
        (await property.PostFormAsync($"{detail}?handler=Step&step=take", new(), formPage: detail)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var noResult = await property.PostFormAsync($"{detail}?handler=Step&step=complete", new() { ["Input.Result"] = "" }, formPage: detail);
        noResult.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await noResult.Content.ReadAsStringAsync()).ShouldContain("form-error");
        (await property.PostFormAsync($"{detail}?handler=Step&step=complete", new() { ["Input.Result"] = "疏通地漏" }, formPage: detail)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var rated = await resident.PostFormAsync($"{orderUrl}?handler=Step&step=return-visit", new() { ["Rating"] = "5", ["Comment"] = "很快" }, formPage: orderUrl);
        rated.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var final = await resident.GetStringAsync(orderUrl);
        final.ShouldContain("疏通地漏");
        final.ShouldNotContain("周立新"); // the resident's timeline names no staff
    }

    /// <summary>A category option of a form: its id and its name.</summary>
    [GeneratedRegex("<option value=\"([0-9a-f-]{36})\"[^>]*>([^<]+)</option>")]
    internal static partial Regex CategoryOption();
}
