using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Places;

[Collection(AppCollection.Name)]
public sealed class PlacesApiTests(LinliFactory app)
{
    private async Task<(HttpClient Api, Guid EstateId)> NewEstateAsync(string phone = Clients.Staff)
    {
        var api = await app.ApiAsAsync(phone);
        var estate = await (await api.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("测试小区"), address = "东岗路51号" })).JsonAsync(HttpStatusCode.Created);
        return (api, estate.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_building_of_2_entrances_18_floors_and_4_homes_per_floor_creates_144_homes_numbered_the_usual_way()
    {
        var (api, estateId) = await NewEstateAsync();
        var building = await (await api.PostAsJsonAsync($"/api/estates/{estateId}/buildings",
            new { number = "1", kind = "Residential", floors = 18, entrances = 2, homesPerFloor = 4 })).JsonAsync(HttpStatusCode.Created);

        var labels = building.GetProperty("homes").EnumerateArray().Select(h => h.GetProperty("label").GetString()).ToList();
        labels.Count.ShouldBe(144);
        labels.ShouldContain("1-1801");
        labels.ShouldContain("1-101");
        labels.ShouldContain("2-1804");
        labels.ShouldNotContain("1-1805");
        labels.Distinct().Count().ShouldBe(144);

        var again = await (await api.GetAsync($"/api/buildings/{building.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        again.GetProperty("homes").GetArrayLength().ShouldBe(144);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public async Task A_building_of_impossible_floors_is_refused_naming_the_field_and_nothing_is_saved(int floors)
    {
        var (api, estateId) = await NewEstateAsync();
        var message = await (await api.PostAsJsonAsync($"/api/estates/{estateId}/buildings",
            new { number = "9", floors, entrances = 1, homesPerFloor = 2 })).ShouldBeFieldErrorAsync("Floors");
        message.ShouldContain("层数");
        var buildings = await (await api.GetAsync($"/api/estates/{estateId}/buildings")).JsonAsync(HttpStatusCode.OK);
        buildings.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_building_number_that_already_exists_in_the_estate_is_refused()
    {
        var (api, estateId) = await NewEstateAsync();
        (await api.PostAsJsonAsync($"/api/estates/{estateId}/buildings", new { number = "3", floors = 6, entrances = 1, homesPerFloor = 2 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsJsonAsync($"/api/estates/{estateId}/buildings", new { number = " 3 ", floors = 6, entrances = 1, homesPerFloor = 2 }))
            .ShouldBeFieldErrorAsync("Number");
        (await (await api.GetAsync($"/api/estates/{estateId}/buildings")).JsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task An_over_long_estate_name_is_refused_naming_the_field()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        await (await api.PostAsJsonAsync("/api/estates", new { name = new string('小', 51) })).ShouldBeFieldErrorAsync("Name");
        await (await api.PostAsJsonAsync("/api/estates", new { name = "" })).ShouldBeFieldErrorAsync("Name");
    }

    [Fact]
    public async Task Errors_come_in_English_when_the_client_asks_for_English()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        api.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var message = await (await api.PostAsJsonAsync("/api/estates", new { name = "" })).ShouldBeFieldErrorAsync("Name");
        message.ShouldBe("Estate name is required.");
    }

    [Fact]
    public async Task A_user_of_another_community_gets_404_for_a_building_through_the_api_and_the_page()
    {
        var (api, estateId) = await NewEstateAsync();
        var building = await (await api.PostAsJsonAsync($"/api/estates/{estateId}/buildings", new { number = "5", floors = 6, entrances = 1, homesPerFloor = 2 })).JsonAsync(HttpStatusCode.Created);
        var id = building.GetProperty("id").GetGuid();

        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        (await other.GetAsync($"/api/buildings/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/api/estates/{estateId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PutAsJsonAsync($"/api/buildings/{id}", new { number = "X", kind = "Residential" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostAsJsonAsync($"/api/estates/{estateId}/buildings", new { number = "6", floors = 6, entrances = 1, homesPerFloor = 2 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var page = await app.PagesAsAsync(Clients.OtherSecretary);
        var response = await page.GetAsync($"/console/buildings/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("没有找到");

        var mine = await app.PagesAsAsync(Clients.Staff);
        (await mine.GetAsync($"/console/buildings/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_community_profile_counts_what_is_registered()
    {
        var api = await app.ApiAsAsync(Clients.OtherSecretary); // 阳光社区: 都市阳光小区, 20 buildings of 2 × 18 × 2
        var communityId = (await (await api.GetAsync("/api/communities")).JsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetGuid();
        var before = await (await api.GetAsync($"/api/communities/{communityId}/profile")).JsonAsync(HttpStatusCode.OK);
        before.GetProperty("divisionCode").GetString().ShouldBe("130105013019");

        var estate = await (await api.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("阳光新苑") })).JsonAsync(HttpStatusCode.Created);
        (await api.PostAsJsonAsync($"/api/estates/{estate.GetProperty("id").GetGuid()}/buildings", new { number = "1", floors = 6, entrances = 3, homesPerFloor = 2 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var after = await (await api.GetAsync($"/api/communities/{communityId}/profile")).JsonAsync(HttpStatusCode.OK);
        after.GetProperty("estates").GetInt32().ShouldBe(before.GetProperty("estates").GetInt32() + 1);
        after.GetProperty("buildings").GetInt32().ShouldBe(before.GetProperty("buildings").GetInt32() + 1);
        after.GetProperty("entrances").GetInt32().ShouldBe(before.GetProperty("entrances").GetInt32() + 3);
        after.GetProperty("homes").GetInt32().ShouldBe(before.GetProperty("homes").GetInt32() + 36);
        after.GetProperty("subdistrictName").GetString().ShouldBe("赵陵铺路街道");
    }

    [Fact]
    public async Task An_estate_with_buildings_in_use_cannot_be_retired_until_its_buildings_are()
    {
        var (api, estateId) = await NewEstateAsync();
        var building = await (await api.PostAsJsonAsync($"/api/estates/{estateId}/buildings", new { number = "1", floors = 6, entrances = 1, homesPerFloor = 2 })).JsonAsync(HttpStatusCode.Created);
        (await api.PostAsync($"/api/estates/{estateId}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await api.PostAsync($"/api/buildings/{building.GetProperty("id").GetGuid()}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.PostAsync($"/api/estates/{estateId}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.PostAsJsonAsync($"/api/estates/{estateId}/buildings", new { number = "2", floors = 6, entrances = 1, homesPerFloor = 2 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var list = await (await api.GetAsync("/api/estates")).JsonAsync(HttpStatusCode.OK);
        list.EnumerateArray().ShouldNotContain(e => e.GetProperty("id").GetGuid() == estateId);
        var all = await (await api.GetAsync("/api/estates?includeRetired=true")).JsonAsync(HttpStatusCode.OK);
        all.EnumerateArray().ShouldContain(e => e.GetProperty("id").GetGuid() == estateId);
    }

    [Fact]
    public async Task Residents_and_grid_members_cannot_change_places()
    {
        var resident = await app.ApiAsAsync(Clients.Resident);
        (await resident.GetAsync("/api/estates")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var grid = await app.ApiAsAsync(Clients.GridMember);
        (await grid.GetAsync("/api/estates")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await grid.PostAsJsonAsync("/api/estates", new { name = "不该建" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.CreateClient().GetAsync("/api/estates")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_malformed_json_body_is_a_400_problem_not_a_500()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var response = await api.PostAsync("/api/estates", new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
