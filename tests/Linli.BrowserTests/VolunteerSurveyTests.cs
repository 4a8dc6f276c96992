using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>A volunteer with a phone walks a building door to door (/survey), in normal and elder mode, in Chinese and English.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class VolunteerSurveyTests(LinliAppFixture app, ITestOutputHelper output)
{
    /// <summary>郑晓燕, volunteer of 融华府社区 (no console role, no TOTP).</summary>
    private const string Volunteer = "13800000006";

    /// <summary>东华国樾府 4号楼: 2 entrances × 26 floors × 2 homes, walked by no other test.</summary>
    private const string Estate = "东华国樾府";

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

    private static async Task<(int Done, int Total)> ProgressAsync(IPage page) =>
        BrowserSession.Fraction(await page.GetByTestId("survey-progress").InnerTextAsync());

    [Fact]
    public async Task Volunteer_records_a_home_as_living_alone_on_a_phone_and_sees_progress_move()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "volunteer-survey", Phone());
        var page = s.Page;
        var buildingId = await app.DemoBuildingIdAsync(Estate, "4");
        await s.SignInAsync(Volunteer, staff: false, landing: "/");

        // The home page offers the survey to a volunteer; the list shows the community's buildings with progress.
        await s.SubmitAsync(page.Locator("nav.tiles").GetByRole(AriaRole.Link, new() { Name = "入户调查" }), "survey-list");
        new Uri(page.Url).AbsolutePath.ShouldBe("/survey");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("入户调查");
        var link = page.Locator($"a[href='/survey/{buildingId}']");
        await Expect(link).ToContainTextAsync("4号楼");
        await Expect(link).ToContainTextAsync("/ 104 户");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "no sideways scrolling on a phone");

        await s.SubmitAsync(link, "building");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("东华国樾府 4号楼");
        var (done, total) = await ProgressAsync(page);
        total.ShouldBe(104);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);

        // The next home, with the form on its own screen.
        var next = page.GetByTestId("survey-next");
        var label = NextHome().Match(await next.InnerTextAsync()).Groups[1].Value;
        label.ShouldNotBeEmpty();
        await s.SubmitAsync(next, "home-form");
        await Expect(page.Locator("main h1")).ToHaveTextAsync(label);
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "已入户" })).ToBeCheckedAsync();
        await page.Locator("#Input_People").FillAsync("3");
        await page.GetByText("一人独居", new() { Exact = true }).ClickAsync();     // the whole label is the target
        await page.GetByText("有60岁以上老人", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator("#Input_LivingAlone")).ToBeCheckedAsync();
        await page.Locator("#Input_Needs").FillAsync("腿脚不便，需要助餐");

        // SurveyService's rule answers beside the field; what was entered stays.
        await s.SubmitAsync(page.Locator("main form button[type=submit]"), "alone-but-three");
        await Expect(page.Locator("#Input_LivingAlone-error")).ToHaveTextAsync("一人独居时人数应为1。");
        await Expect(page.Locator("#Input_LivingAlone")).ToBeCheckedAsync();
        await Expect(page.Locator("#Input_Needs")).ToHaveValueAsync("腿脚不便，需要助餐");
        await page.Locator("#Input_People").FillAsync("1");
        await s.SubmitAsync(page.Locator("main form button[type=submit]"), "recorded");

        new Uri(page.Url).AbsolutePath.ShouldBe($"/survey/{buildingId}");
        await Expect(page.Locator(".flash")).ToContainTextAsync($"已记录 {label}：一人独居");
        (await ProgressAsync(page)).ShouldBe((done + 1, total));
        await Expect(page.GetByTestId("survey-next")).Not.ToHaveTextAsync($"下一户：{label}");
        var number = label.Split(' ')[^1];
        var cell = page.Locator("details[open] a.survey-home", new() { HasText = number }).First;
        await Expect(cell).ToContainTextAsync("已入户");
        await Expect(cell).ToHaveClassAsync(new Regex(@"\bsurvey-home-done\b"));

        // 长辈版 on the same page: larger text, 60 px targets, still one column without sideways scrolling.
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "长辈版", Exact = true }), "building-elder");
        await AssertElderAsync(page, "main p, main summary span, main .survey-home span:not(.sr-only), main .survey-counts li, main .survey-legend li",
            "main a.btn, main summary, details[open] a.survey-home, nav.tabbar a");
        (await ProgressAsync(page)).ShouldBe((done + 1, total));

        // The form in elder mode; choosing "vacant" puts away the household questions (site.js), without saving.
        await s.SubmitAsync(page.GetByTestId("survey-next"), "home-form-elder");
        await AssertElderAsync(page, "main p, main legend, main label span", "main label.survey-choice, main button[type=submit], main a.btn, #Input_People");
        await Expect(page.Locator("fieldset.survey-visited")).ToBeVisibleAsync();
        await page.GetByText("空置", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator("fieldset.survey-visited")).ToBeHiddenAsync();
        await page.GetByText("已入户", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator("fieldset.survey-visited")).ToBeVisibleAsync();
        await s.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = "返回楼栋" }), "back-elder");
        (await ProgressAsync(page)).ShouldBe((done + 1, total));
        await s.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = "全部楼栋" }), "survey-list-elder");
        await AssertElderAsync(page, "main p, main .survey-building span", "main a.survey-building, nav.tabbar a");
        await Expect(page.Locator($"a[href='/survey/{buildingId}']")).ToContainTextAsync($"{done + 1} / 104 户");
        await s.SubmitAsync(page.Locator($"a[href='/survey/{buildingId}']"), "building-again");

        // English, complete, and back to normal size.
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "关闭长辈版" }), "building-normal");
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "English" }), "building-en");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("东华国樾府 Building 4");
        await Expect(page.GetByTestId("survey-progress")).ToHaveTextAsync($"{done + 1} of {total} homes done");
        var english = (await page.Locator("main").InnerTextAsync()).Replace(Estate, "");
        BrowserSession.HasChinese(english).ShouldBeFalse("only the estate's own name stays Chinese: " + english);
        await s.FinishAsync();
    }

    private static async Task AssertElderAsync(IPage page, string texts, string targets)
    {
        await Expect(page.Locator("body")).ToHaveClassAsync(new Regex(@"\belder\b"));
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "no sideways scrolling in elder mode");
        foreach (var text in await page.Locator(texts).AllAsync())
        {
            if (!await text.IsVisibleAsync()) continue;
            var px = await PixelsAsync(text);
            px.ShouldBeGreaterThanOrEqualTo(18, $"'{await text.InnerTextAsync()}' is {px}px in elder mode");
        }
        foreach (var target in await page.Locator(targets).AllAsync())
        {
            if (!await target.IsVisibleAsync()) continue;
            var box = await target.BoundingBoxAsync() ?? throw new InvalidOperationException("A target has no box.");
            box.Height.ShouldBeGreaterThanOrEqualTo(60, $"'{await target.InnerTextAsync()}' is {box.Height}px high in elder mode");
        }
    }

    [GeneratedRegex("下一户：(.+)$")]
    private static partial Regex NextHome();
}
