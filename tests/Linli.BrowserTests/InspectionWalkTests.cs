using System.Text.RegularExpressions;
using SkiaSharp;
using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>
/// Staff walk an estate with a phone (走访找问题): start in the console, walk two buildings, record a problem with a
/// camera photo, see coverage 2 / N and the order it became; in elder mode and in English too.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class InspectionWalkTests(LinliAppFixture app, ITestOutputHelper output)
{
    /// <summary>赵文静, staff of 融华府社区.</summary>
    private const string Staff = "13800000002";

    /// <summary>李春华, secretary of 融华府社区.</summary>
    private const string Secretary = "13800000001";

    /// <summary>融创裕华壹号: 6 buildings of 2 entrances; no other test walks it.</summary>
    private const string Estate = "融创裕华壹号";

    private static byte[] Photo()
    {
        using var bitmap = new SKBitmap(800, 600);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(70, 70, 80));
            using var paint = new SKPaint { Color = new SKColor(250, 220, 120) };
            canvas.DrawCircle(400, 300, 120, paint);
        }
        using var data = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    private static async Task<(int Done, int Total)> CoverageAsync(IPage page) =>
        BrowserSession.Fraction(await page.GetByTestId("walk-progress").InnerTextAsync());

    private static async Task NoSidewaysScrollingAsync(IPage page) =>
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "no sideways scrolling on a phone");

    [Fact]
    public async Task Staff_walk_two_buildings_with_a_phone_record_a_problem_with_a_photo_and_see_coverage_and_the_order()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "inspection-walk", BrowserSession.Phone());
        var page = s.Page;
        await s.SignInAsync(Staff, staff: true, landing: "/console");

        // The console's list: the nav entry beside 诉求工单, an empty state that teaches, the start form.
        await s.SubmitAsync(page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "走访找问题" }), "walks-empty");
        new Uri(page.Url).AbsolutePath.ShouldBe("/console/inspections");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("走访找问题");
        await page.SelectOptionAsync("#Input_EstateId", new SelectOptionValue { Label = $"{Estate}（6栋楼）" });
        await page.FillAsync("#Input_Note", "重点看楼道照明");
        await s.SubmitAsync(page.Locator("main form button[type=submit]", new() { HasText = "开始走访" }), "walk-started");
        await Expect(page.Locator(".flash")).ToContainTextAsync($"已开始走访{Estate}");
        await Expect(page.Locator("main h1")).ToHaveTextAsync($"{Estate}走访");
        (await CoverageAsync(page)).ShouldBe((0, 6));
        await NoSidewaysScrollingAsync(page);
        var walkPath = new Uri(page.Url).AbsolutePath;

        // Building 1: walked, nothing found.
        await Expect(page.GetByTestId("walk-next")).ToHaveTextAsync("下一栋：1号楼");
        await s.SubmitAsync(page.GetByTestId("walk-next"), "building-1");
        await Expect(page.Locator("main h1")).ToHaveTextAsync($"{Estate} 1号楼");
        await NoSidewaysScrollingAsync(page);
        await s.SubmitAsync(page.GetByTestId("mark-walked"), "building-1-walked");
        await Expect(page.Locator(".flash")).ToHaveTextAsync("1号楼已走完。");
        (await CoverageAsync(page)).ShouldBe((1, 6));

        // Building 2: a problem at entrance 1 with a camera photo, then the building is done.
        await Expect(page.GetByTestId("walk-next")).ToHaveTextAsync("下一栋：2号楼");
        await s.SubmitAsync(page.GetByTestId("walk-next"), "building-2");
        await page.SelectOptionAsync("#Problem_EntranceNumber", new SelectOptionValue { Label = "1单元" });
        await page.SelectOptionAsync("#category", new SelectOptionValue { Label = "路灯" });
        await page.FillAsync("#Problem_Description", "3层楼道灯不亮");
        await Expect(page.Locator("#photo-camera")).ToHaveAttributeAsync("capture", "environment");
        await page.Locator("#photo-camera").SetInputFilesAsync(new FilePayload { Name = "IMG_0003.jpg", MimeType = "image/jpeg", Buffer = Photo() });
        await s.SubmitAsync(page.Locator("main form button[type=submit]", new() { HasText = "记下问题" }), "problem-recorded");
        await Expect(page.Locator(".flash")).ToContainTextAsync("已记下，生成工单");
        var number = RecordedNumber().Match(await page.Locator(".flash").InnerTextAsync()).Groups[1].Value;
        var problem = page.Locator(".walk-problem").First;
        await Expect(problem).ToContainTextAsync("2号楼 1单元");
        await Expect(problem).ToContainTextAsync("3层楼道灯不亮");
        await Expect(problem).ToContainTextAsync($"工单 {number}");
        (await problem.Locator("img").EvaluateAsync<int>("img => img.naturalWidth")).ShouldBeGreaterThan(0);
        await NoSidewaysScrollingAsync(page);
        await s.SubmitAsync(page.GetByTestId("mark-walked"), "building-2-walked");

        // Coverage 2 / 6, the building's state in words, the problem with its order.
        (await CoverageAsync(page)).ShouldBe((2, 6));
        await Expect(page.Locator("a.walk-building.walked")).ToHaveCountAsync(2);
        await Expect(page.Locator("a.walk-building", new() { HasText = "2号楼" })).ToContainTextAsync("已走访 · 1 个问题");
        await Expect(page.Locator("a.walk-building", new() { HasText = "1号楼" })).ToContainTextAsync("已走访 · 未发现问题");
        await Expect(page.GetByTestId("walk-next")).ToHaveTextAsync("下一栋：3号楼");

        // 长辈版: larger text and targets, still one column.
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "长辈版", Exact = true }), "walk-elder");
        await Expect(page.Locator("body")).ToHaveClassAsync(new Regex(@"\belder\b"));
        await NoSidewaysScrollingAsync(page);
        foreach (var target in await page.Locator("main a.walk-building, main a.btn, main button[type=submit]").AllAsync())
            ((await target.BoundingBoxAsync())!.Height).ShouldBeGreaterThanOrEqualTo(60, await target.InnerTextAsync());
        foreach (var text in await page.Locator("main .walk-building-state, main .walk-problem p, main .walk-counts").AllAsync())
            (await text.EvaluateAsync<float>("el => parseFloat(getComputedStyle(el).fontSize)")).ShouldBeGreaterThanOrEqualTo(18, await text.InnerTextAsync());
        await s.SubmitAsync(page.Locator("a.walk-building", new() { HasText = "2号楼" }), "building-2-elder");
        await NoSidewaysScrollingAsync(page);
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "关闭长辈版" }), "building-2-normal");

        // English is complete.
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "English" }), "building-2-en");
        await Expect(page.Locator("main h1")).ToHaveTextAsync($"{Estate} Building 2");
        await Expect(page.Locator("main")).ToContainTextAsync("Walked · problems: 1");
        await Expect(page.Locator("main")).ToContainTextAsync("Record a problem");
        await s.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = "Back to the buildings" }), "walk-en");
        await Expect(page.GetByTestId("walk-progress")).ToHaveTextAsync("2 / 6 buildings walked");
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "中文" }), "walk-zh");

        // The order it became: channel, place, photo; and the console's list with its coverage bar.
        await s.SubmitAsync(page.Locator(".walk-problem a", new() { HasText = $"工单 {number}" }), "order");
        await Expect(page.Locator("main")).ToContainTextAsync("走访找问题");
        await Expect(page.Locator("main")).ToContainTextAsync($"{Estate} 2号楼 1单元");
        await Expect(page.Locator("figure.photos img")).ToHaveCountAsync(1);
        await s.GotoAsync("/console/inspections", "walks-list");
        var row = page.Locator("table.walks tr", new() { Has = page.Locator($"a[href='{walkPath}']") });
        await Expect(row.GetByTestId("walk-coverage")).ToHaveTextAsync("已走 2 / 6 栋");
        await Expect(row.Locator("progress")).ToHaveAttributeAsync("value", "2");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "the table scrolls in its box, not the page");

        // Finishing the walk for today: it says what was covered and takes nothing more.
        await s.SubmitAsync(row.Locator($"a[href='{walkPath}']"), "walk-again");
        await s.SubmitAsync(page.Locator("form button[type=submit]", new() { HasText = "结束走访" }), "walk-finished");
        await Expect(page.Locator(".flash")).ToHaveTextAsync("走访已结束：走了 2 / 6 栋，发现问题 1 件。");
        await Expect(page.GetByTestId("walk-next")).ToHaveCountAsync(0);
        await s.SubmitAsync(page.Locator("a.walk-building", new() { HasText = "3号楼" }), "building-3-finished");
        await Expect(page.Locator("main")).ToContainTextAsync("这次走访已经结束，不能再记录问题。");
        await Expect(page.GetByTestId("mark-walked")).ToHaveCountAsync(0);
        await s.FinishAsync();

        // The secretary at a desk: the console's list with the walk's coverage bar, finished.
        await using var d = await BrowserSession.StartAsync(app, output, "inspection-walks-desk", new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        await d.SignInAsync(Secretary, staff: true, landing: "/console");
        await d.GotoAsync("/console/inspections?status=finished", "walks-desk");
        var desk = d.Page.Locator("table.walks tr", new() { Has = d.Page.Locator($"a[href='{walkPath}']") });
        await Expect(desk.GetByTestId("walk-coverage")).ToHaveTextAsync("已走 2 / 6 栋");
        await Expect(desk).ToContainTextAsync("已结束");
        await Expect(desk.Locator("td.num")).ToHaveTextAsync("1");
        await d.FinishAsync();
    }

    [GeneratedRegex("生成工单 (\\d+)")]
    private static partial Regex RecordedNumber();
}
