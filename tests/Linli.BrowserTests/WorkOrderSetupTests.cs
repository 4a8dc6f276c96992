using System.Globalization;
using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>
/// The office sets up its work orders in the console: changes a category's limits, adds a routing rule and a day of
/// duty, and takes them away again (so no other test meets them). Every page is checked with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkOrderSetupTests(LinliAppFixture app, ITestOutputHelper output)
{
    /// <summary>李春华, secretary of 融华府社区.</summary>
    private const string Secretary = "13800000001";

    [Fact]
    public async Task The_secretary_edits_a_category_adds_a_routing_rule_and_puts_someone_on_duty()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "setup");
        await s.SignInAsync(Secretary, staff: true, landing: "/console");
        var page = s.Page;

        // Categories: the tree with its limits; edit 路灯 (a sub-category of 公共设施) to 48 hours.
        await s.SubmitAsync(page.Locator("nav a[href='/console/orders/categories']"), "categories");
        var lamps = page.Locator("tr", new() { Has = page.Locator("th", new() { HasText = "路灯" }) });
        await s.SubmitAsync(lamps.GetByRole(AriaRole.Link, new() { Name = "修改" }), "edit-lamps");
        await Expect(page.Locator("#category-form h2")).ToContainTextAsync("路灯");
        await page.Locator("#resolution").FillAsync("48");
        await page.Locator("#response").FillAsync("100");
        await s.SubmitAsync(page.Locator("#category-form button[type=submit]"), "limits-refused");
        await Expect(page.Locator("#category-form .field.invalid .error").First).ToBeVisibleAsync(); // the resolution limit before the response limit
        await page.Locator("#response").FillAsync("4");
        await s.SubmitAsync(page.Locator("#category-form button[type=submit]"), "limits-saved");
        await Expect(page.Locator(".flash")).ToContainTextAsync("路灯");
        await Expect(lamps.Locator("td").First).ToContainTextAsync("48");

        // Routing: the demo's rules in words; add one for 公共设施 in office hours to the secretary's colleague.
        await s.SubmitAsync(page.Locator("nav a[href='/console/orders/routing']"), "routing");
        await Expect(page.Locator(".rule-list")).ToContainTextAsync("东华国樾府");
        var before = await page.Locator(".rule-list > li").CountAsync();
        await page.Locator("#rule-category").SelectOptionAsync(new SelectOptionValue { Label = "公共设施（含下级类别）" });
        await page.Locator("#rule-time").SelectOptionAsync("OfficeHours");
        await page.Locator("#rule-target").SelectOptionAsync("Handler");
        await page.Locator("#rule-handler").SelectOptionAsync(new SelectOptionValue { Label = "赵文静" });
        await s.SubmitAsync(page.Locator("#rule-form button[type=submit]"), "rule-added");
        await Expect(page.Locator(".rule-list > li")).ToHaveCountAsync(before + 1);
        var added = page.Locator(".rule-list > li").Last;
        await Expect(added).ToContainTextAsync("公共设施｜任何地点｜工作时间 → 赵文静");

        // Move it to the top, then remove it.
        for (var i = 0; i < before; i++) await s.SubmitAsync(page.Locator(".rule-list > li", new() { HasText = "赵文静" }).Locator("button", new() { HasText = "↑" }), $"rule-up-{i}");
        await Expect(page.Locator(".rule-list > li").First).ToContainTextAsync("公共设施");
        await s.SubmitAsync(page.Locator(".rule-list > li").First.GetByRole(AriaRole.Button, new() { Name = "删除" }), "rule-removed");
        await Expect(page.Locator(".rule-list > li")).ToHaveCountAsync(before);

        // The on-call list: the coming two weeks; put the secretary on duty on a day after the demo's month.
        await Expect(page.Locator("#on-call .duties tbody tr")).ToHaveCountAsync(14);
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(45).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.Locator("#duty-date").FillAsync(day);
        await page.Locator("#duty-person").SelectOptionAsync(new SelectOptionValue { Label = "李春华" });
        await page.Locator("#duty-note").FillAsync("值班电话 0311-85000000");
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "安排值班" }), "duty-saved");
        await Expect(page.Locator(".flash")).ToContainTextAsync(day);
        await s.FinishAsync();
    }
}
