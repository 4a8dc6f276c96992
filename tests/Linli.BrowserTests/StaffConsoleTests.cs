using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>Community staff at a desk: estates, buildings, grids and the community profile, in Chinese and English.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffConsoleTests(LinliAppFixture app, ITestOutputHelper output)
{
    /// <summary>赵文静, Staff of 融华府社区.</summary>
    private const string Staff = "13800000002";

    private sealed record Counts(int Estates, int Buildings, int Homes, int InGrids, int InGridsOf);

    private static async Task<Counts> ReadCountsAsync(BrowserSession s)
    {
        var p = s.Page;
        var (inGrids, of) = BrowserSession.Fraction(await p.GetByTestId("count-in-grids").InnerTextAsync());
        return new(await BrowserSession.NumberAsync(p.GetByTestId("count-estates")), await BrowserSession.NumberAsync(p.GetByTestId("count-buildings")),
            await BrowserSession.NumberAsync(p.GetByTestId("count-homes")), inGrids, of);
    }

    /// <summary>Short and unique per run, so tests sharing the database never collide.</summary>
    private static string Unique() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>From the estates list: "登记小区"/"New estate" → form → the new estate's page.</summary>
    private static async Task<Guid> CreateEstateAsync(BrowserSession s, string name, string newEstateLabel)
    {
        var page = s.Page;
        await s.GotoAsync("/console/estates", "estates");
        await s.SubmitAsync(page.Locator("main").GetByRole(AriaRole.Link, new() { Name = newEstateLabel }).First, "estate-form");
        new Uri(page.Url).AbsolutePath.ShouldBe("/console/estates/new");
        await page.Locator("input[name='Input.Name']").FillAsync(name);
        await page.Locator("input[name='Input.Address']").FillAsync("石家庄市裕华区东岗路51号");
        await page.Locator("input[name='Input.PropertyCompanyName']").FillAsync("测试物业");
        await s.SubmitAsync(page.Locator("form:has(input[name='Input.Name']) button[type=submit]"), "estate-created");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/console/estates/[0-9a-f-]{36}$"));
        await Expect(page.Locator("main h1")).ToContainTextAsync(name);
        await Expect(page.Locator(".flash")).ToContainTextAsync(name);
        return s.IdFromUrl();
    }

    private static async Task FillBuildingAsync(BrowserSession s, string number, int entrances, int floors, int homesPerFloor)
    {
        var form = s.Page.Locator("form:has(input[name='Building.Number'])");
        await form.Locator("input[name='Building.Number']").FillAsync(number);
        await form.Locator("input[name='Building.Entrances']").FillAsync(entrances.ToString(CultureInfo.InvariantCulture));
        await form.Locator("input[name='Building.Floors']").FillAsync(floors.ToString(CultureInfo.InvariantCulture));
        await form.Locator("input[name='Building.HomesPerFloor']").FillAsync(homesPerFloor.ToString(CultureInfo.InvariantCulture));
    }

    private static ILocator BuildingSubmit(IPage page) => page.Locator("form:has(input[name='Building.Number']) button[type=submit]");

    [Fact]
    public async Task Staff_registers_estate_and_building_assigns_it_to_a_grid_and_the_profile_counts_it()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "staff-flow");
        var page = s.Page;
        await s.SignInAsync(Staff, staff: true, landing: "/console");
        await Expect(page.Locator("main h1")).ToContainTextAsync("赵文静");

        await s.GotoAsync("/console/community", "profile-before");
        (await page.TitleAsync()).ShouldBe("社区概况 · 邻里");
        var before = await ReadCountsAsync(s);

        var suffix = Unique();
        var estateName = $"测试花园{suffix}";
        await CreateEstateAsync(s, estateName, "登记小区");

        // A building of 2 entrances × 18 floors × 4 homes: the form previews the count, the app creates 144 homes.
        await FillBuildingAsync(s, "1", entrances: 2, floors: 18, homesPerFloor: 4);
        await Expect(page.Locator("form[data-homes-preview] .preview")).ToContainTextAsync("= 144 户");
        await s.SubmitAsync(BuildingSubmit(page), "building-created");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/console/buildings/[0-9a-f-]{36}$"));
        var buildingId = s.IdFromUrl();
        await Expect(page.Locator(".flash")).ToContainTextAsync("1号楼已创建，共144户");
        await Expect(page.GetByTestId("home-count")).ToHaveTextAsync("144");
        await Expect(page.Locator(".homes-grid")).ToHaveCountAsync(2);   // one table per entrance
        await Expect(page.Locator(".homes-grid td")).ToHaveCountAsync(144);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "1-1801", Exact = true })).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "2-1804", Exact = true })).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "1-1901", Exact = true })).ToHaveCountAsync(0);

        // A new grid, then the building goes into it.
        await s.GotoAsync("/console/grids", "grids");
        var gridName = $"测试网格{suffix}";
        var gridForm = page.Locator("form:has(input[name='Input.Name'])");
        await gridForm.Locator("input[name='Input.Name']").FillAsync(gridName);
        await gridForm.Locator("select[name='Input.ParentId']").SelectOptionAsync("");
        await s.SubmitAsync(gridForm.Locator("button[type=submit]"), "grid-created");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/console/grids/[0-9a-f-]{36}$"));
        await Expect(page.Locator("main h1")).ToContainTextAsync(gridName);
        await Expect(page.GetByTestId("grid-areas")).ToHaveCountAsync(0);

        await page.Locator("select[name='Area.BuildingId']").SelectOptionAsync(buildingId.ToString());
        await s.SubmitAsync(page.Locator("form:has(select[name='Area.BuildingId']) button[type=submit]"), "building-assigned");
        await Expect(page.GetByTestId("grid-areas")).ToContainTextAsync($"{estateName} 1号楼");
        await Expect(page.Locator($"[data-testid=grid-areas] a[href='/console/buildings/{buildingId}']")).ToHaveCountAsync(1);

        await s.GotoAsync($"/console/buildings/{buildingId}", "building-in-grid");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync(gridName);

        // The profile is computed: it now includes the estate, the building, its homes and the building in a grid.
        await s.GotoAsync("/console/community", "profile-after");
        var after = await ReadCountsAsync(s);
        after.ShouldBe(before with
        {
            Estates = before.Estates + 1,
            Buildings = before.Buildings + 1,
            Homes = before.Homes + 144,
            InGrids = before.InGrids + 1,
            InGridsOf = before.InGridsOf + 1,
        });
        var row = page.Locator("main table tbody tr").Filter(new() { HasText = estateName });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td.num").Last).ToHaveTextAsync("144");
        await s.FinishAsync();
    }

    [Fact]
    public async Task Staff_works_in_English_after_switching_the_language()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "english");
        var page = s.Page;
        await s.GotoAsync("/account/login", "login-zh");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "English" }), "login-en");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Sign in");

        await s.SignInAsync(Staff, staff: true, landing: "/console", openLoginPage: false);
        var nav = page.Locator("nav.sidenav");
        await Expect(nav).ToContainTextAsync("Estates & buildings");
        await Expect(nav).ToContainTextAsync("Community profile");
        await Expect(nav).ToContainTextAsync("Grids");
        var navText = await nav.InnerTextAsync();
        BrowserSession.HasChinese(navText).ShouldBeFalse($"The English console navigation shows Chinese labels: {navText}");
        await Expect(page.Locator("main h1")).ToContainTextAsync("赵文静");   // data stays as entered

        var estateName = $"Browser Gardens {Unique()}";
        await CreateEstateAsync(s, estateName, "Add an estate");
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Estate “{estateName}” saved.");
        await Expect(page.Locator("#new-building h2")).ToHaveTextAsync("New building");
        await FillBuildingAsync(s, "7", entrances: 1, floors: 6, homesPerFloor: 2);
        await Expect(page.Locator("form[data-homes-preview] .preview")).ToContainTextAsync("= 12");
        await s.SubmitAsync(BuildingSubmit(page), "building-created");
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Building 7 created with 12 homes.");
        await Expect(page.GetByTestId("home-count")).ToHaveTextAsync("12");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "1-601", Exact = true })).ToHaveCountAsync(1);

        await s.SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = "Community profile" }), "profile");
        new Uri(page.Url).AbsolutePath.ShouldBe("/console/community");
        (await page.TitleAsync()).ShouldStartWith("Community profile");
        var stats = page.GetByTestId("profile-stats");
        await Expect(stats).ToContainTextAsync("Estates");
        await Expect(stats).ToContainTextAsync("Homes");
        await Expect(stats).ToContainTextAsync("Buildings in a grid");
        BrowserSession.HasChinese(await stats.InnerTextAsync()).ShouldBeFalse();
        BrowserSession.HasChinese(await nav.InnerTextAsync()).ShouldBeFalse();
        await Expect(page.Locator("main table tbody tr").Filter(new() { HasText = estateName })).ToHaveCountAsync(1);

        // And back to Chinese with the header button.
        await s.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "中文" }), "back-to-chinese");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(nav).ToContainTextAsync("社区概况");
        await s.FinishAsync();
    }

    [Fact]
    public async Task Bad_building_input_is_explained_beside_the_field_and_creates_nothing()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "bad-input");
        var page = s.Page;
        await s.SignInAsync(Staff, staff: true, landing: "/console");
        var estateName = $"校验小区{Unique()}";
        var estateId = await CreateEstateAsync(s, estateName, "登记小区");
        Task<int> BuildingsInDb() => app.QueryAsync(db => db.Buildings.CountAsync(b => b.EstateId == estateId));

        // 0 floors: the message sits in the Floors field, the field is marked invalid, nothing is created.
        await FillBuildingAsync(s, "1", entrances: 2, floors: 0, homesPerFloor: 4);
        await s.SubmitAsync(BuildingSubmit(page), "zero-floors");
        var floors = page.Locator(".field:has(#Building_Floors)");
        await Expect(floors).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\binvalid\b"));
        await Expect(floors.Locator(".error")).ToHaveTextAsync("层数应在 1 到 99 之间。");
        await Expect(page.Locator("#Building_Floors")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#Building_Floors")).ToHaveAttributeAsync("aria-describedby", "Building_Floors-error");
        await Expect(page.Locator(".field.invalid")).ToHaveCountAsync(1);
        await Expect(page.Locator("#Building_Number")).ToHaveValueAsync("1");   // what was typed stays
        await Expect(page.Locator("main table")).ToHaveCountAsync(0);
        (await BuildingsInDb()).ShouldBe(0);
        await s.GotoAsync($"/console/estates/{estateId}", "still-empty");
        await Expect(page.Locator("main table")).ToHaveCountAsync(0);
        await Expect(page.Locator("main")).ToContainTextAsync("这个小区还没有楼栋");

        // A good building, then the same number again: the duplicate is refused beside the number.
        await FillBuildingAsync(s, "1", entrances: 1, floors: 6, homesPerFloor: 2);
        await s.SubmitAsync(BuildingSubmit(page), "first-building");
        await Expect(page.GetByTestId("home-count")).ToHaveTextAsync("12");
        await s.GotoAsync($"/console/estates/{estateId}", "estate-with-building");
        await FillBuildingAsync(s, "1", entrances: 1, floors: 6, homesPerFloor: 2);
        await s.SubmitAsync(BuildingSubmit(page), "duplicate-number");
        var number = page.Locator(".field:has(#Building_Number)");
        await Expect(number).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\binvalid\b"));
        await Expect(number.Locator(".error")).ToHaveTextAsync($"{estateName}已有1号楼。");
        await Expect(page.Locator("main table tbody tr")).ToHaveCountAsync(1);
        (await BuildingsInDb()).ShouldBe(1);
        await s.FinishAsync();
    }
}
