using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Residents;

[Collection(AppCollection.Name)]
public sealed class SurveyTests(LinliFactory app)
{
    [Fact]
    public async Task Going_door_to_door_records_each_home_shows_progress_and_tags_residents_living_alone()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var estate = await (await api.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("调查小区") })).JsonAsync(HttpStatusCode.Created);
        var building = await (await api.PostAsJsonAsync($"/api/estates/{estate.GetProperty("id").GetGuid()}/buildings", new { number = "1", floors = 2, entrances = 1, homesPerFloor = 2 }))
            .JsonAsync(HttpStatusCode.Created);
        var buildingId = building.GetProperty("id").GetGuid();
        var homes = building.GetProperty("homes").EnumerateArray().Select(h => h.GetProperty("id").GetGuid()).ToList();
        var grandma = await (await api.PostAsJsonAsync("/api/residents", new { name = "独居奶奶", birthDate = "1939-09-09", gender = "Female" })).JsonAsync(HttpStatusCode.Created);
        var grandmaId = grandma.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/residents/{grandmaId}/move", new { homeId = homes[0], relation = "Head" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var start = await (await api.GetAsync($"/api/buildings/{buildingId}/survey")).JsonAsync(HttpStatusCode.OK);
        start.GetProperty("done").GetInt32().ShouldBe(0);
        start.GetProperty("total").GetInt32().ShouldBe(4);

        await (await api.PostAsJsonAsync("/api/survey-visits", new { homeId = homes[0], outcome = "Visited", people = 3, livingAlone = true })).ShouldBeFieldErrorAsync("LivingAlone");
        var after = await (await api.PostAsJsonAsync("/api/survey-visits", new { homeId = homes[0], outcome = "Visited", people = 1, livingAlone = true, elderlyLivingHere = true, needs = "需要助餐" }))
            .JsonAsync(HttpStatusCode.Created);
        after.GetProperty("done").GetInt32().ShouldBe(1);
        after.GetProperty("livingAlone").GetInt32().ShouldBe(1);

        // A volunteer records too; "nobody home" does not count as done.
        var volunteer = await app.ApiAsAsync(Clients.Volunteer, totpKey: null);
        (await volunteer.PostAsJsonAsync("/api/survey-visits", new { homeId = homes[1], outcome = "NobodyHome" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await volunteer.PostAsJsonAsync("/api/survey-visits", new { homeId = homes[2], outcome = "Vacant" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var progress = await (await api.GetAsync($"/api/buildings/{buildingId}/survey")).JsonAsync(HttpStatusCode.OK);
        progress.GetProperty("done").GetInt32().ShouldBe(2);

        var detail = await (await api.GetAsync($"/api/residents/{grandmaId}")).JsonAsync(HttpStatusCode.OK);
        detail.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("LivingAlone");

        (await (await app.ApiAsAsync(Clients.OtherSecretary)).GetAsync($"/api/buildings/{buildingId}/survey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The grid member of 第一网格 surveys only the own grid's buildings; this new building is in no grid.
        (await (await app.ApiAsAsync(Clients.GridMember)).GetAsync($"/api/buildings/{buildingId}/survey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await app.ApiAsAsync(Clients.Resident)).PostAsJsonAsync("/api/survey-visits", new { homeId = homes[3], outcome = "Visited" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var pages = await app.PagesAsAsync(Clients.Staff);
        var html = await pages.GetStringAsync($"/console/buildings/{buildingId}/survey");
        html.ShouldContain("已完成 2 / 4 户");
        html.ShouldContain("需要助餐");
    }
}
