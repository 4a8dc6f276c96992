using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>The residents registry in a browser: register, mask, reveal with a reason, household.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RegistryTests(LinliAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Secretary_registers_a_resident_moves_her_in_and_reveals_the_id_number_with_a_reason()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "registry");
        var page = s.Page;
        await s.SignInAsync("13800000001", staff: true, landing: "/console");
        await s.GotoAsync("/console/residents", "residents");

        // 11010519491231002X: the GB 11643 example number (a woman born 1949-12-31).
        await page.FillAsync("#Input_Name", "孙桂兰");
        await page.FillAsync("#Input_IdNumber", "11010519491231002X");
        await page.ClickAsync("main form.form-grid button[type=submit]");
        await page.WaitForURLAsync("**/console/residents/*");
        await s.CheckPageAsync("registered");
        await Expect(page.Locator("#id-number")).ToContainTextAsync("110***********002X");
        await Expect(page.Locator("main")).ToContainTextAsync("1949年12月31日");

        // Move into a demo home: pick the building, then the home.
        await page.SelectOptionAsync("#building", new SelectOptionValue { Label = "融创裕华壹号 1号楼" });
        await page.WaitForSelectorAsync("#Move_HomeId");
        await page.SelectOptionAsync("#Move_HomeId", new SelectOptionValue { Label = "1-1801" });
        await page.ClickAsync("form[action*=Move] button[type=submit]");
        await page.WaitForSelectorAsync(".flash");
        await s.CheckPageAsync("moved");
        await Expect(page.Locator("main table")).ToContainTextAsync("1单元 1801");

        // Reveal with a reason: the full number appears in place (htmx), and is gone after reloading.
        await page.FillAsync("#reason", "办理高龄津贴");
        await page.ClickAsync("form.reveal button");
        await Expect(page.Locator("#id-number")).ToContainTextAsync("11010519491231002X");
        await s.CheckPageAsync("revealed");
        await s.GotoAsync(new Uri(page.Url).AbsolutePath, "after-reload");
        await Expect(page.Locator("#id-number")).Not.ToContainTextAsync("11010519491231002X");

        // The household of that home lists her.
        await page.ClickAsync("main table a");
        await page.WaitForURLAsync("**/console/homes/*");
        await s.CheckPageAsync("household");
        await Expect(page.Locator("main table")).ToContainTextAsync("孙桂兰");

        // The door-to-door survey of that building: record her home, see the progress move.
        var building = await app.DemoBuildingIdAsync(DemoEstates.RongchuangYuhua, "1");
        await s.GotoAsync($"/console/buildings/{building}/survey", "survey");
        var before = await page.Locator("[data-testid=survey-progress]").InnerTextAsync();
        await page.SelectOptionAsync("#Input_HomeId", new SelectOptionValue { Label = "1-1801" });
        await page.FillAsync("#Input_People", "1");
        await page.CheckAsync("#Input_LivingAlone");
        await page.FillAsync("#Input_Needs", "需要助餐");
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForSelectorAsync(".flash");
        await s.CheckPageAsync("survey-recorded");
        await Expect(page.Locator("[data-testid=survey-progress]")).Not.ToHaveTextAsync(before);
        await Expect(page.Locator("main table")).ToContainTextAsync("需要助餐");
        await s.FinishAsync();
    }
}
