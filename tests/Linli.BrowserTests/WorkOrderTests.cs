using Microsoft.Playwright;
using SkiaSharp;
using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>
/// The work-order loop in browsers: a resident reports a blocked sink on a phone, staff dispatch it, the property
/// company takes and completes it with an after-photo, the resident rates it. The public board then shows it without personal data.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkOrderTests(LinliAppFixture app, ITestOutputHelper output)
{
    private static byte[] Photo(SKColor color)
    {
        using var bitmap = new SKBitmap(640, 480);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(color);
        using var data = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    private static BrowserNewContextOptions Phone() => new()
    {
        ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 1,
    };

    [Fact]
    public async Task A_blocked_sink_from_report_on_a_phone_to_a_five_star_rating()
    {
        string orderPath;
        await using (var r = await BrowserSession.StartAsync(app, output, "order-resident", Phone()))
        {
            await r.SignInAsync("13900000001", staff: false, landing: "/");
            await r.GotoAsync("/orders", "orders-empty-or-list");
            await r.SubmitAsync(r.Page.Locator("a[href='/orders/new']"), "order-new");
            await r.Page.SelectOptionAsync("#category", new SelectOptionValue { Label = "管道堵塞" });
            await r.Page.FillAsync("#description", "厨房水池堵了，水下不去");
            await r.Page.Locator("#photos").SetInputFilesAsync(new FilePayload { Name = "sink.jpg", MimeType = "image/jpeg", Buffer = Photo(new SKColor(90, 90, 90)) });
            await r.SubmitAsync(r.Page.Locator("main form button[type=submit]"), "order-reported");
            await Expect(r.Page.Locator(".flash")).ToContainTextAsync("已提交");
            orderPath = new Uri(r.Page.Url).AbsolutePath;
            await r.FinishAsync();
        }
        var id = orderPath.Split('/')[^1];

        await using (var s = await BrowserSession.StartAsync(app, output, "order-staff"))
        {
            await s.SignInAsync("13800000002", staff: true, landing: "/console");
            await s.GotoAsync("/console/orders", "console-orders");
            await s.SubmitAsync(s.Page.Locator($"a[href='/console/orders/{id}']"), "console-order");
            await s.SubmitAsync(s.Page.Locator("form[action*='step=accept'] button"), "accepted");
            await s.Page.SelectOptionAsync("#handler-dispatch", new SelectOptionValue { Label = "融创物业" });
            await s.SubmitAsync(s.Page.Locator("form[action*='step=dispatch'] button"), "dispatched");
            await Expect(s.Page.Locator("main")).ToContainTextAsync("融创物业");
            await s.FinishAsync();
        }

        await using (var p = await BrowserSession.StartAsync(app, output, "order-property"))
        {
            await p.SignInAsync("13800000004", staff: true, landing: "/console");
            await p.GotoAsync($"/console/orders/{id}", "property-order");
            await p.SubmitAsync(p.Page.Locator("form[action*='step=take'] button"), "taken");
            await p.Page.FillAsync("#result", "疏通了下水管，试水正常");
            await p.Page.Locator("#after-photos").SetInputFilesAsync(new FilePayload { Name = "after.jpg", MimeType = "image/jpeg", Buffer = Photo(new SKColor(40, 160, 90)) });
            await p.SubmitAsync(p.Page.Locator("form[action*='step=complete'] button"), "completed");
            await p.FinishAsync();
        }

        await using (var r = await BrowserSession.StartAsync(app, output, "order-rating", Phone()))
        {
            await r.SignInAsync("13900000001", staff: false, landing: "/");
            await r.GotoAsync(orderPath, "order-done");
            await Expect(r.Page.Locator("main")).ToContainTextAsync("疏通了下水管");
            await Expect(r.Page.Locator("figure.photos img")).ToHaveCountAsync(2); // before and after
            (await r.Page.Locator("figure.photos img").First.EvaluateAsync<int>("img => img.naturalWidth")).ShouldBeGreaterThan(0);
            await r.Page.CheckAsync("input[name=Rating][value='5']");
            await r.SubmitAsync(r.Page.Locator("form[action*='return-visit'] button"), "order-rated");
            await Expect(r.Page.Locator(".timeline")).ToContainTextAsync("谢谢您的评价");

            // The public board shows it, at building level, with its photos and no personal data.
            await r.GotoAsync("/board/130108007024", "board");
            var item = r.Page.Locator(".board-item").Filter(new() { HasText = "管道堵塞" }).First;
            await Expect(item).ToContainTextAsync("融创裕华壹号 1号楼");
            await Expect(item.Locator("img")).ToHaveCountAsync(2);
            var text = await r.Page.Locator("main").InnerTextAsync();
            foreach (var personal in new[] { "王秀兰", "13900000001", "1单元", "101", "周立新", "厨房水池" }) text.ShouldNotContain(personal);

            // She was told at each step: the bell counts, the messages page lists them in plain words.
            await Expect(r.Page.Locator(".bell-count")).ToBeVisibleAsync();
            await r.GotoAsync("/notifications", "notifications");
            await Expect(r.Page.Locator(".notification-list")).ToContainTextAsync("已经处理好了");
            await r.FinishAsync();
        }
    }
}
