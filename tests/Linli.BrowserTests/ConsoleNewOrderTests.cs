using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>
/// Staff enter orders on a resident's behalf at a 1024 px desk: one at a home chosen building → home, then a phone call
/// from 王秀兰, picked by typing her name (keyboard only), her home filled in, the hint offering the first order, linked.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleNewOrderTests(LinliAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Staff_type_a_name_pick_the_resident_see_the_hint_at_her_home_and_link()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "console-new-order", new() { ViewportSize = new() { Width = 1024, Height = 900 } });
        var page = s.Page;
        await s.SignInAsync("13800000002", staff: true, landing: "/console");

        // A first report at her home (1号楼 1-101), the place chosen building → home.
        await s.GotoAsync("/console/orders/new", "new-order");
        await page.SelectOptionAsync("#category", new SelectOptionValue { Label = "漏水" });
        await page.SelectOptionAsync("#building", new SelectOptionValue { Label = "融创裕华壹号 1号楼" });
        await Expect(page.Locator("#home option", new() { HasText = "1-101" })).ToHaveCountAsync(1);
        await s.HtmxIdleAsync();
        await page.SelectOptionAsync("#home", new SelectOptionValue { Label = "1-101" });
        await s.HtmxIdleAsync();
        await Expect(page.Locator("#entrance")).ToHaveValueAsync("1"); // the home names its entrance
        await page.FillAsync("#description", "楼上渗水到卫生间");
        await page.Locator("#place-text").PressAsync("Enter"); // Enter in a text box does not enter the order
        await page.WaitForTimeoutAsync(300);
        new Uri(page.Url).AbsolutePath.ShouldBe("/console/orders/new");
        await s.SubmitAsync(page.Locator("main form button.btn-primary"), "first-entered");
        await Expect(page.Locator(".flash")).ToContainTextAsync("已登记");
        var firstId = s.IdFromUrl();

        // The phone call: her name typed, the list answers (phone masked), ArrowDown + Enter picks her.
        await s.GotoAsync("/console/orders/new", "second");
        await page.Locator("#resident-q").PressSequentiallyAsync("王秀兰", new() { Delay = 50 });
        var wang = page.Locator(".picker-result", new() { HasText = "王秀兰" });
        await Expect(wang).ToContainTextAsync("139****0001");
        await s.CheckPageAsync("picker-answer");
        await page.Locator("#resident-q").PressAsync("ArrowDown");
        await Expect(page.Locator(".picker-result").First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#resident-change")).ToBeFocusedAsync();
        await Expect(page.Locator("#resident-picked")).ToContainTextAsync("王秀兰");
        await Expect(page.Locator("#home option:checked")).ToHaveTextAsync("1-101");
        await s.HtmxIdleAsync(); // the pick redraws the place; a category chosen meanwhile is redrawn away

        // The same kind of problem at that building: the hint offers the first order; staff link to it.
        await page.SelectOptionAsync("#category", new SelectOptionValue { Label = "漏水" });
        var hint = page.Locator("#similar fieldset");
        await Expect(hint).ToBeVisibleAsync();
        await s.CheckPageAsync("hint");
        await hint.Locator($"input[type=radio][value='{firstId}']").CheckAsync();
        await page.FillAsync("#description", "王秀兰来电：卫生间顶上渗水");
        await s.SubmitAsync(page.Locator("main form button.btn-primary"), "linked");
        await Expect(page.Locator("#order-resident")).ToContainTextAsync("王秀兰");
        await Expect(page.Locator($"main a[href='/console/orders/{firstId}']")).ToBeVisibleAsync();

        // In English, the picker's empty answer teaches what to type.
        await s.GotoAsync("/console/orders/new?culture=en", "new-order-en");
        await page.Locator("#resident-q").PressSequentiallyAsync("Nobody", new() { Delay = 30 });
        await Expect(page.Locator("#resident-results")).ToContainTextAsync("No resident matches");
        await s.CheckPageAsync("picker-empty-en");
        await s.FinishAsync();
    }
}
