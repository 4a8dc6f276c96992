using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Grids;

[Collection(AppCollection.Name)]
public sealed class GridsApiTests(LinliFactory app)
{
    private async Task<(HttpClient Api, Guid BuildingA, Guid BuildingB)> TwoBuildingsAsync()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var estate = await (await api.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("网格测试小区") })).JsonAsync(HttpStatusCode.Created);
        var id = estate.GetProperty("id").GetGuid();
        var a = await (await api.PostAsJsonAsync($"/api/estates/{id}/buildings", new { number = "1", floors = 6, entrances = 2, homesPerFloor = 2 })).JsonAsync(HttpStatusCode.Created);
        var b = await (await api.PostAsJsonAsync($"/api/estates/{id}/buildings", new { number = "2", floors = 6, entrances = 2, homesPerFloor = 2 })).JsonAsync(HttpStatusCode.Created);
        return (api, a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());
    }

    private static async Task<Guid> NewGridAsync(HttpClient api, Guid? parentId = null) =>
        (await (await api.PostAsJsonAsync("/api/grids", new { name = Clients.Unique("网格"), parentId })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task A_building_belongs_to_one_grid_only()
    {
        var (api, a, _) = await TwoBuildingsAsync();
        var first = await NewGridAsync(api);
        var second = await NewGridAsync(api);
        var detail = await (await api.PostAsJsonAsync($"/api/grids/{first}/areas", new { buildingId = a })).JsonAsync(HttpStatusCode.Created);
        detail.GetProperty("areas").GetArrayLength().ShouldBe(1);
        (await api.PostAsJsonAsync($"/api/grids/{second}/areas", new { buildingId = a })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var list = await (await api.GetAsync("/api/grids")).JsonAsync(HttpStatusCode.OK);
        list.EnumerateArray().First(g => g.GetProperty("id").GetGuid() == first).GetProperty("homes").GetInt32().ShouldBe(24);
    }

    [Fact]
    public async Task A_micro_grid_takes_entrances_of_its_parent_grids_buildings_only()
    {
        var (api, a, b) = await TwoBuildingsAsync();
        var grid = await NewGridAsync(api);
        (await api.PostAsJsonAsync($"/api/grids/{grid}/areas", new { buildingId = a })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var micro = await NewGridAsync(api, grid);
        var other = await NewGridAsync(api, grid);
        (await api.PostAsJsonAsync($"/api/grids/{micro}/areas", new { buildingId = a, entranceNumber = 1 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PostAsJsonAsync($"/api/grids/{other}/areas", new { buildingId = a, entranceNumber = 2 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PostAsJsonAsync($"/api/grids/{other}/areas", new { buildingId = a, entranceNumber = 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await api.PostAsJsonAsync($"/api/grids/{micro}/areas", new { buildingId = b })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await (await api.PostAsJsonAsync($"/api/grids/{micro}/areas", new { buildingId = a, entranceNumber = 9 })).ShouldBeFieldErrorAsync("EntranceNumber");
        (await api.PostAsJsonAsync("/api/grids", new { name = Clients.Unique("孙网格"), parentId = micro })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Red_butler_members_need_a_name_and_a_mainland_mobile_number()
    {
        var (api, _, _) = await TwoBuildingsAsync();
        var grid = await NewGridAsync(api);
        await (await api.PostAsJsonAsync($"/api/grids/{grid}/members", new { role = "GridChief", name = "李网格", phone = "1381234567" })).ShouldBeFieldErrorAsync("Phone");
        var member = await (await api.PostAsJsonAsync($"/api/grids/{grid}/members", new { role = "OwnersCommitteeMember", name = "李业委", phone = "13812345678" })).JsonAsync(HttpStatusCode.Created);
        member.GetProperty("phone").GetString().ShouldBe("138****5678");
    }

    [Fact]
    public async Task A_grid_of_another_community_is_not_found()
    {
        var (api, a, _) = await TwoBuildingsAsync();
        var grid = await NewGridAsync(api);
        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        (await other.GetAsync($"/api/grids/{grid}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var own = await NewGridAsync(other);
        (await other.PostAsJsonAsync($"/api/grids/{own}/areas", new { buildingId = a })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
