using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>A resident on a cheap phone: the portal, its bottom tab bar and elder mode (长辈版).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ResidentPortalTests(LinliAppFixture app, ITestOutputHelper output)
{
    /// <summary>王秀兰, resident of 融华府社区.</summary>
    private const string Resident = "13900000001";

    private static BrowserNewContextOptions Phone() => new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 1,
        UserAgent = "Mozilla/5.0 (Linux; Android 12; Redmi 10) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    };

    private static Task<float> PixelsAsync(ILocator locator, string property = "font-size") =>
        locator.EvaluateAsync<float>($"(el) => parseFloat(getComputedStyle(el).getPropertyValue('{property}'))");

    [Fact]
    public async Task Resident_sees_the_portal_on_a_phone_and_elder_mode_enlarges_it_across_pages()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "resident", Phone());
        var page = s.Page;
        await s.SignInAsync(Resident, staff: false, landing: "/");

        await Expect(page.Locator("main h1")).ToHaveTextAsync("王秀兰，您好");
        await Expect(page.Locator("main")).ToContainTextAsync("融华府社区");
        var tabbar = page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" });
        await Expect(tabbar).ToBeVisibleAsync();
        await Expect(tabbar.GetByRole(AriaRole.Link, new() { Name = "首页" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(tabbar.GetByRole(AriaRole.Link, new() { Name = "我的", Exact = true })).ToBeVisibleAsync();
        var bar = await tabbar.BoundingBoxAsync() ?? throw new InvalidOperationException("The tab bar has no box.");
        (bar.Y + bar.Height).ShouldBe(844, 1, "the tab bar sits at the bottom of the screen");
        bar.Width.ShouldBe(390, 1);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "no sideways scrolling on a phone");
        (await page.EvaluateAsync<bool>("() => document.body.classList.contains('elder')")).ShouldBeFalse();
        (await PixelsAsync(page.Locator("main .lead").First)).ShouldBeGreaterThanOrEqualTo(16);

        // 长辈版: larger text and targets.
        var elderOn = page.GetByRole(AriaRole.Button, new() { Name = "长辈版", Exact = true });
        await Expect(elderOn).ToHaveAttributeAsync("aria-pressed", "false");
        await s.SubmitAsync(elderOn, "elder-on");
        new Uri(page.Url).AbsolutePath.ShouldBe("/");
        await AssertElderAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "关闭长辈版" })).ToHaveAttributeAsync("aria-pressed", "true");
        (await PixelsAsync(page.Locator("main h1"))).ShouldBeGreaterThanOrEqualTo(30, "the largest step is at least 30 px");

        // It stays on on the next page (the tab bar's 我的) and on a later visit.
        await s.SubmitAsync(tabbar.GetByRole(AriaRole.Link, new() { Name = "我的", Exact = true }), "me-elder");
        new Uri(page.Url).AbsolutePath.ShouldBe("/me");
        await AssertElderAsync(page);
        await Expect(page.Locator("main dl.facts")).ToContainTextAsync("139****0001");   // the mobile is masked
        await Expect(page.Locator("main")).Not.ToContainTextAsync(Resident);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "linli.elder");
        cookie.Value.ShouldBe("1");
        cookie.Expires.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(300).ToUnixTimeSeconds(), "elder mode lasts across visits");
        await s.FinishAsync();
    }

    private static async Task AssertElderAsync(IPage page)
    {
        await Expect(page.Locator("body")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\belder\b"));
        var main = page.Locator("main");
        (await PixelsAsync(main)).ShouldBeGreaterThanOrEqualTo(18, "main text in elder mode is at least 18 px");
        foreach (var text in await main.Locator("p, dd, dt, .tile span:not(.tile-icon)").AllAsync())
        {
            if (!await text.IsVisibleAsync()) continue;
            var px = await PixelsAsync(text);
            px.ShouldBeGreaterThanOrEqualTo(18, $"'{await text.InnerTextAsync()}' is {px}px in elder mode");
            (await PixelsAsync(text, "line-height") / px).ShouldBeGreaterThanOrEqualTo(1.3f, "line height at least 1.3×");
        }
        foreach (var link in await page.Locator("nav.tabbar a").AllAsync())
        {
            var box = await link.BoundingBoxAsync() ?? throw new InvalidOperationException("A tab has no box.");
            box.Height.ShouldBeGreaterThanOrEqualTo(60, "touch targets are at least 60 px in elder mode");
        }
    }

    [Fact]
    public async Task Resident_opens_the_own_household_on_a_phone_and_corrects_the_emergency_contact()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "household", Phone());
        var page = s.Page;
        await s.SignInAsync(Resident, staff: false, landing: "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "我的家" }).ClickAsync();
        await page.WaitForURLAsync("**/me/household");
        await s.CheckPageAsync("household");
        await Expect(page.Locator("main")).ToContainTextAsync("张德明");
        await page.FillAsync("#EmergencyContactName", "张小燕");
        await page.FillAsync("#EmergencyContactPhone", "1390000");
        await page.ClickAsync("main form[action*=Contact] button[type=submit]");
        await s.CheckPageAsync("bad-phone");
        await Expect(page.Locator("#EmergencyContactPhone-error")).ToBeVisibleAsync();
        await page.FillAsync("#EmergencyContactPhone", "13900000002");
        await page.ClickAsync("main form[action*=Contact] button[type=submit]");
        await page.WaitForSelectorAsync(".flash");
        await s.CheckPageAsync("saved");
        await s.FinishAsync();
    }
}
