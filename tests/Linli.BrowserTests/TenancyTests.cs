using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>A community's staff never see another community's places, even with the URL in hand.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TenancyTests(LinliAppFixture app, ITestOutputHelper output)
{
    /// <summary>蒋晓红, Secretary of 阳光社区.</summary>
    private const string YangguangSecretary = "13800000011";

    [Fact]
    public async Task Secretary_of_another_community_gets_the_friendly_404_for_a_Ronghuafu_building()
    {
        var foreign = await app.DemoBuildingIdAsync(DemoEstates.RongchuangYuhua, "1");   // 融华府社区
        var own = await app.DemoBuildingIdAsync(DemoEstates.DushiYangguang, "1");         // 阳光社区

        await using var s = await BrowserSession.StartAsync(app, output, "other-community");
        var page = s.Page;
        await s.SignInAsync(YangguangSecretary, staff: true, landing: "/console");
        await Expect(page.Locator("header.topbar")).ToContainTextAsync("阳光社区");

        // The control: her own community's building opens.
        await s.GotoAsync($"/console/buildings/{own}", "own-building");
        await Expect(page.Locator("main h1")).ToContainTextAsync(DemoEstates.DushiYangguang);

        // 融华府's building: the friendly not-found page with status 404, and nothing of the building leaks.
        await s.GotoAsync($"/console/buildings/{foreign}", "foreign-building", expectedStatus: 404);
        await Expect(page.Locator("main h1")).ToHaveTextAsync("没有找到");
        await Expect(page.Locator("main")).ToContainTextAsync("您要找的内容不存在，或者不在您的管理范围内。");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(DemoEstates.RongchuangYuhua);
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Exception");
        await Expect(page.Locator("main a.btn-primary")).ToHaveAttributeAsync("href", "/console");
        (await page.TitleAsync()).ShouldStartWith("没有找到");
        await s.FinishAsync();
    }
}
