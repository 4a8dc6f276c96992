using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Residents;

/// <summary>
/// The survey on a phone (/survey): volunteers walk the buildings of their community without the console; a volunteer
/// of another community finds nothing of this one, a resident is refused, a grid member sees the own grid only.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SurveyPagesTests(LinliFactory app)
{
    private sealed record Building(string Estate, Guid Id, IReadOnlyList<Guid> Homes);

    /// <summary>A new estate of 融华府社区 with one building of 1 entrance × 2 floors × 2 homes: 1-101, 1-102, 1-201, 1-202.</summary>
    private static async Task<Building> BuildingAsync(HttpClient staff)
    {
        var name = Clients.Unique("走访小区");
        var estate = await (await staff.PostAsJsonAsync("/api/estates", new { name })).JsonAsync(HttpStatusCode.Created);
        var building = await (await staff.PostAsJsonAsync($"/api/estates/{estate.GetProperty("id").GetGuid()}/buildings", new { number = "1", floors = 2, entrances = 1, homesPerFloor = 2 }))
            .JsonAsync(HttpStatusCode.Created);
        var homes = building.GetProperty("homes").EnumerateArray().OrderBy(h => h.GetProperty("label").GetString(), StringComparer.Ordinal)
            .Select(h => h.GetProperty("id").GetGuid()).ToList();
        return new Building(name, building.GetProperty("id").GetGuid(), homes);
    }

    private static Dictionary<string, string> Visit(string outcome, int? people = null, bool alone = false, bool elderly = false, string? needs = null)
    {
        var form = new Dictionary<string, string> { ["Input.Outcome"] = outcome, ["Input.People"] = people?.ToString(CultureInfo.InvariantCulture) ?? "", ["Input.Needs"] = needs ?? "" };
        if (alone) form["Input.LivingAlone"] = "true";
        if (elderly) form["Input.ElderlyLivingHere"] = "true";
        return form;
    }

    [Fact]
    public async Task A_volunteer_walks_a_building_on_the_phone_pages_records_a_home_and_sees_progress_move()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var b = await BuildingAsync(staff);
        var idNumber = ResidentsApiTests.IdFor(new DateOnly(1937, 5, 6), Random.Shared.Next(100, 999));
        var grandma = await (await staff.PostAsJsonAsync("/api/residents", new { name = "走访奶奶", idNumber, phone = "13912340077" })).JsonAsync(HttpStatusCode.Created);
        var grandmaId = grandma.GetProperty("id").GetGuid();
        (await staff.PostAsJsonAsync($"/api/residents/{grandmaId}/move", new { homeId = b.Homes[0], relation = "Head" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var volunteer = await app.PagesAsAsync(Clients.Volunteer, totpKey: null);
        (await volunteer.GetStringAsync("/")).ShouldContain("href=\"/survey\"");

        var list = await volunteer.GetStringAsync("/survey");
        list.ShouldContain(b.Estate);
        list.ShouldContain($"href=\"/survey/{b.Id}\"");
        list.ShouldContain("已完成 0 / 4 户");

        var building = await volunteer.GetStringAsync($"/survey/{b.Id}");
        building.ShouldContain("已完成 0 / 4 户");
        building.ShouldContain("下一户：1单元 101");
        foreach (var home in b.Homes) building.ShouldContain($"href=\"/survey/{b.Id}/{home}\"");

        // What a volunteer needs at the door, not who lives there: no name, ID number or phone, masked or not.
        var form = await volunteer.GetStringAsync($"/survey/{b.Id}/{b.Homes[0]}");
        foreach (var page in new[] { building, form })
        {
            page.ShouldNotContain("走访奶奶");
            page.ShouldNotContain(idNumber);
            page.ShouldNotContain("****");
            page.ShouldNotContain("13912340077");
        }

        // The service's rules answer beside the field.
        var bad = await volunteer.PostFormAsync($"/survey/{b.Id}/{b.Homes[0]}", Visit("Visited", people: 3, alone: true));
        var badHtml = await bad.Content.ReadAsStringAsync();
        bad.StatusCode.ShouldBe(HttpStatusCode.OK, badHtml);
        badHtml.ShouldContain("一人独居时人数应为1。");
        badHtml.ShouldContain("id=\"Input_LivingAlone-error\"");
        var garbled = await volunteer.PostFormAsync($"/survey/{b.Id}/{b.Homes[0]}", Visit("Visited", alone: true).With("Input.People", "很多"));
        (await garbled.Content.ReadAsStringAsync()).ShouldContain("居住人数应在 0 到 30 之间。");

        var saved = await volunteer.PostFormAsync($"/survey/{b.Id}/{b.Homes[0]}", Visit("Visited", people: 1, alone: true, elderly: true, needs: "需要助餐"));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        saved.Headers.Location!.OriginalString.ShouldBe($"/survey/{b.Id}?after={b.Homes[0]}");
        var after = await volunteer.GetStringAsync(saved.Headers.Location.OriginalString);
        after.ShouldContain("已记录 1单元 101：一人独居");
        after.ShouldContain("已完成 1 / 4 户");
        after.ShouldContain("下一户：1单元 102");
        (await volunteer.GetStringAsync("/survey")).ShouldContain("已完成 1 / 4 户");

        // "Nobody home" is not done: the next home moves on, the count stays; the recorded home shows what was found.
        (await volunteer.PostFormAsync($"/survey/{b.Id}/{b.Homes[1]}", Visit("NobodyHome"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var later = await volunteer.GetStringAsync($"/survey/{b.Id}?after={b.Homes[1]}");
        later.ShouldContain("已完成 1 / 4 户");
        later.ShouldContain("下一户：1单元 201");
        var again = await volunteer.GetStringAsync($"/survey/{b.Id}/{b.Homes[0]}");
        again.ShouldContain("需要助餐");
        again.ShouldContain("上次记录");

        // The survey updated the registry, and the API lists the same progress.
        var detail = await (await staff.GetAsync($"/api/residents/{grandmaId}")).JsonAsync(HttpStatusCode.OK);
        detail.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("LivingAlone");
        var mine = await (await (await app.ApiAsAsync(Clients.Volunteer, totpKey: null)).GetAsync("/api/survey/buildings")).JsonAsync(HttpStatusCode.OK);
        var row = mine.EnumerateArray().Single(x => x.GetProperty("buildingId").GetGuid() == b.Id);
        row.GetProperty("done").GetInt32().ShouldBe(1);
        row.GetProperty("total").GetInt32().ShouldBe(4);

        // Nothing else of the console.
        foreach (var path in new[] { "/console", "/console/estates", $"/console/buildings/{b.Id}/survey", "/console/residents" })
        {
            var denied = await volunteer.GetAsync(path);
            denied.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            denied.Headers.Location!.OriginalString.ShouldContain("/account/denied", customMessage: path);
        }
    }

    [Fact]
    public async Task A_volunteer_of_another_community_finds_no_building_of_this_one()
    {
        var b = await BuildingAsync(await app.ApiAsAsync(Clients.Staff));
        var phone = Features.Users.UsersApiTests.NewPhone();
        var sunshine = await app.ApiAsAsync(Clients.OtherSecretary);
        (await sunshine.PostAsJsonAsync("/api/users", new { phone, displayName = "阳光志愿者", password = "Welcome#2026", role = "Volunteer" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var other = await app.PagesAsAsync(phone, "Welcome#2026", totpKey: null);

        var list = await other.GetStringAsync("/survey");
        list.ShouldContain("都市阳光小区");
        list.ShouldNotContain(b.Estate);
        list.ShouldNotContain("融创裕华壹号");
        (await other.GetAsync($"/survey/{b.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/survey/{b.Id}/{b.Homes[0]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostFormAsync($"/survey/{b.Id}/{b.Homes[0]}", Visit("Vacant"), formPage: "/survey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Nor can a home of this building be recorded under a building of the own community.
        var own = (await (await (await app.ApiAsAsync(phone, "Welcome#2026", totpKey: null)).GetAsync("/api/survey/buildings")).JsonAsync(HttpStatusCode.OK))[0].GetProperty("buildingId").GetGuid();
        (await other.PostFormAsync($"/survey/{own}/{b.Homes[0]}", Visit("Vacant"), formPage: "/survey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var progress = await (await (await app.ApiAsAsync(Clients.Staff)).GetAsync($"/api/buildings/{b.Id}/survey")).JsonAsync(HttpStatusCode.OK);
        progress.GetProperty("done").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task A_resident_is_refused_and_sees_no_survey_tile()
    {
        var b = await BuildingAsync(await app.ApiAsAsync(Clients.Staff));
        var resident = await app.PagesAsAsync(Clients.Resident);
        (await resident.GetStringAsync("/")).ShouldNotContain("href=\"/survey\"");
        foreach (var path in new[] { "/survey", $"/survey/{b.Id}", $"/survey/{b.Id}/{b.Homes[0]}" })
        {
            var refused = await resident.GetAsync(path);
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            refused.Headers.Location!.OriginalString.ShouldContain("/account/denied", customMessage: path);
        }
        var post = await resident.PostFormAsync($"/survey/{b.Id}/{b.Homes[0]}", Visit("Vacant"), formPage: "/");
        post.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        post.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        (await (await app.ApiAsAsync(Clients.Resident, totpKey: null)).GetAsync("/api/survey/buildings")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_grid_member_surveys_only_the_own_grids_buildings()
    {
        var b = await BuildingAsync(await app.ApiAsAsync(Clients.Staff));
        var grid = await app.PagesAsAsync(Clients.GridMember);
        var list = await grid.GetStringAsync("/survey");
        list.ShouldContain("融创裕华壹号");
        list.ShouldNotContain(b.Estate);
        list.ShouldNotContain("东华国樾府");
        (await grid.GetAsync($"/survey/{b.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // 第一网格 holds buildings 1–3 of 融创裕华壹号 (other tests may give it more of their own).
        var rows = (await (await (await app.ApiAsAsync(Clients.GridMember)).GetAsync("/api/survey/buildings")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        var seeded = rows.Where(r => r.GetProperty("estate").GetString() == "融创裕华壹号").ToList();
        seeded.Select(r => r.GetProperty("number").GetString()).ShouldBe(["1", "2", "3"]);
        rows.ShouldNotContain(r => r.GetProperty("estate").GetString() == "东华国樾府" || r.GetProperty("buildingId").GetGuid() == b.Id);
        var first = seeded[0].GetProperty("buildingId").GetGuid();
        (await grid.GetStringAsync($"/survey/{first}")).ShouldContain("1单元");
    }
}

internal static class FormExtensions
{
    public static Dictionary<string, string> With(this Dictionary<string, string> form, string key, string value)
    {
        form[key] = value;
        return form;
    }
}
