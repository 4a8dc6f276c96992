using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Residents;

[Collection(AppCollection.Name)]
public sealed class RegistryFiguresTests(LinliFactory app)
{
    [Fact]
    public async Task The_profile_counts_residents_households_ages_and_groups_from_the_registry()
    {
        var api = await app.ApiAsAsync(Clients.OtherSecretary); // 阳光社区
        var community = (await (await api.GetAsync("/api/communities")).JsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetGuid();
        var before = await (await api.GetAsync($"/api/communities/{community}/registry-figures")).JsonAsync(HttpStatusCode.OK);

        var estate = await (await api.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("统计小区") })).JsonAsync(HttpStatusCode.Created);
        var building = await (await api.PostAsJsonAsync($"/api/estates/{estate.GetProperty("id").GetGuid()}/buildings", new { number = "1", floors = 2, entrances = 1, homesPerFloor = 1 }))
            .JsonAsync(HttpStatusCode.Created);
        var home = building.GetProperty("homes")[0].GetProperty("id").GetGuid();
        var elder = await (await api.PostAsJsonAsync("/api/residents", new { name = "老党员", birthDate = "1936-07-01", gender = "Male" })).JsonAsync(HttpStatusCode.Created);
        var child = await (await api.PostAsJsonAsync("/api/residents", new { name = "小孙女", birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), gender = "Female" }))
            .JsonAsync(HttpStatusCode.Created);
        foreach (var r in new[] { elder, child })
            (await api.PostAsJsonAsync($"/api/residents/{r.GetProperty("id").GetGuid()}/move", new { homeId = home, relation = "Head" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.PutAsJsonAsync($"/api/residents/{elder.GetProperty("id").GetGuid()}/tags", new { kinds = new[] { "PartyMember", "LivingAlone" } })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await (await api.GetAsync($"/api/communities/{community}/registry-figures")).JsonAsync(HttpStatusCode.OK);
        int Diff(string key) => after.GetProperty(key).GetInt32() - before.GetProperty(key).GetInt32();
        Diff("residents").ShouldBe(2);
        Diff("households").ShouldBe(1);
        Diff("aged80Plus").ShouldBe(1);
        Diff("minors").ShouldBe(1);
        Diff("partyMembers").ShouldBe(1);
        int Band(System.Text.Json.JsonElement f, int i, string g) => f.GetProperty("pyramid")[i].GetProperty(g).GetInt32();
        (Band(after, 9, "male") - Band(before, 9, "male")).ShouldBe(1);    // 90+
        (Band(after, 0, "female") - Band(before, 0, "female")).ShouldBe(1); // 0–9
    }

    [Fact]
    public async Task A_subdistrict_admin_sees_the_communities_of_the_subdistrict_side_by_side()
    {
        var system = await app.ApiAsAsync(Clients.SystemAdmin);
        var divisions = await (await system.GetAsync("/api/divisions?parent=130108007")).JsonAsync(HttpStatusCode.OK);
        if (divisions.EnumerateArray().Count(d => d.GetProperty("isTenant").GetBoolean()) < 2)
        {
            var code = divisions.EnumerateArray().First(d => !d.GetProperty("isTenant").GetBoolean()).GetProperty("code").GetString();
            (await system.PostAsJsonAsync("/api/communities", new { divisionCode = code })).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        var pages = await app.PagesAsAsync(Clients.SubdistrictAdmin);
        var html = await pages.GetStringAsync("/console/community");
        html.ShouldContain("data-testid=\"side-by-side\"");
        html.ShouldContain("融华府社区");
        html.ShouldContain("年龄结构");
    }
}
