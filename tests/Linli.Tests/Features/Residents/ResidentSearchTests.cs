using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Residents;

[Collection(AppCollection.Name)]
public sealed class ResidentSearchTests(LinliFactory app)
{
    private static async Task<Guid> DemoHomeAsync(HttpClient api, string estate, string building, string label)
    {
        var estates = await (await api.GetAsync("/api/estates")).JsonAsync(HttpStatusCode.OK);
        var estateId = estates.EnumerateArray().First(e => e.GetProperty("name").GetString() == estate).GetProperty("id").GetGuid();
        var buildings = await (await api.GetAsync($"/api/estates/{estateId}/buildings")).JsonAsync(HttpStatusCode.OK);
        var buildingId = buildings.EnumerateArray().First(b => b.GetProperty("number").GetString() == building).GetProperty("id").GetGuid();
        var detail = await (await api.GetAsync($"/api/buildings/{buildingId}")).JsonAsync(HttpStatusCode.OK);
        return detail.GetProperty("homes").EnumerateArray().First(h => h.GetProperty("label").GetString() == label).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> RegisterAsync(HttpClient api, object body, Guid homeId)
    {
        var r = await (await api.PostAsJsonAsync("/api/residents", body)).JsonAsync(HttpStatusCode.Created);
        var id = r.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/residents/{id}/move", new { homeId, relation = "Head", occupancy = "Owner" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return id;
    }

    private static IEnumerable<string?> Names(JsonElement page) => page.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString());

    [Fact]
    public async Task The_registry_is_found_by_part_of_a_name_phone_tail_exact_id_address_tag_and_grid()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var suffix = Clients.Unique("");
        var inGrid1 = await DemoHomeAsync(api, "融创裕华壹号", "2", "1-302");
        var inGrid2 = await DemoHomeAsync(api, "融创裕华壹号", "5", "2-1001");
        var idNumber = ResidentsApiTests.IdFor(new DateOnly(1952, 4, 4), 333);
        var a = await RegisterAsync(api, new { name = "欧阳秀英" + suffix, phone = "13611112222", idNumber }, inGrid1);
        var b = await RegisterAsync(api, new { name = "司马秀兰" + suffix, phone = "13633334444" }, inGrid2);
        (await api.PutAsJsonAsync($"/api/residents/{b}/tags", new { kinds = new[] { "LivingAlone" } })).StatusCode.ShouldBe(HttpStatusCode.OK);

        Names(await (await api.GetAsync($"/api/residents?name=秀英{suffix}")).JsonAsync(HttpStatusCode.OK)).ShouldBe(["欧阳秀英" + suffix]);
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&phone=4444")).JsonAsync(HttpStatusCode.OK)).ShouldBe(["司马秀兰" + suffix]);
        Names(await (await api.PostAsJsonAsync("/api/residents/search", new { idNumber })).JsonAsync(HttpStatusCode.OK)).ShouldBe(["欧阳秀英" + suffix]);
        // Never in a URL: the GET list refuses it.
        await (await api.GetAsync($"/api/residents?idNumber={idNumber}")).ShouldBeFieldErrorAsync("IdNumber");
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&tag=LivingAlone")).JsonAsync(HttpStatusCode.OK)).ShouldBe(["司马秀兰" + suffix]);
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&entrance=2&home=1001")).JsonAsync(HttpStatusCode.OK)).ShouldBe(["司马秀兰" + suffix]);
        await (await api.PostAsJsonAsync("/api/residents/search", new { idNumber = "1301" })).ShouldBeFieldErrorAsync("IdNumber");

        var grids = await (await api.GetAsync("/api/grids")).JsonAsync(HttpStatusCode.OK);
        var grid1 = grids.EnumerateArray().First(g => g.GetProperty("name").GetString() == "第一网格").GetProperty("id").GetGuid();
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&gridId={grid1}")).JsonAsync(HttpStatusCode.OK)).ShouldBe(["欧阳秀英" + suffix]);

        var paged = await (await api.GetAsync($"/api/residents?name={suffix}&size=1&page=2")).JsonAsync(HttpStatusCode.OK);
        paged.GetProperty("total").GetInt32().ShouldBe(2);
        paged.GetProperty("rows").GetArrayLength().ShouldBe(1);

        // 孙建国, grid member of 第一网格 (buildings 1–3 of 融创裕华壹号), sees only the people of the own grid.
        var gridMember = await app.ApiAsAsync(Clients.GridMember);
        Names(await (await gridMember.GetAsync($"/api/residents?name={suffix}")).JsonAsync(HttpStatusCode.OK)).ShouldBe(["欧阳秀英" + suffix]);
        (await gridMember.GetAsync($"/api/residents/{b}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await gridMember.GetAsync($"/api/residents/{a}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await gridMember.GetAsync($"/api/homes/{inGrid2}/household")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await gridMember.PostAsJsonAsync($"/api/residents/{a}/reveal", new { reason = "走访" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Searching by the full ID number is as good as revealing it: not for grid members; phone searches take 4 digits or all 11.
        (await gridMember.PostAsJsonAsync("/api/residents/search", new { idNumber })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await (await api.GetAsync($"/api/residents?phone=44")).ShouldBeFieldErrorAsync("Phone");
        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        (await (await audit.GetAsync("/api/audit?event=resident.id_searched")).JsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_phone_search_follows_a_changed_phone_by_its_last_4_digits_or_the_whole_number()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var suffix = Clients.Unique("");
        var home = await DemoHomeAsync(api, "东华国樾府", "2", "1-502");
        var name = "钱秀梅" + suffix;
        var id = await RegisterAsync(api, new { name, phone = "13755550311" }, home);
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&phone=0311")).JsonAsync(HttpStatusCode.OK)).ShouldBe([name]);

        (await api.PutAsJsonAsync($"/api/residents/{id}", new { name, phone = "13755550922" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&phone=0311")).JsonAsync(HttpStatusCode.OK)).ShouldBeEmpty();
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&phone=0922")).JsonAsync(HttpStatusCode.OK)).ShouldBe([name]);
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&phone=13755550922")).JsonAsync(HttpStatusCode.OK)).ShouldBe([name]);
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&phone=13755550311")).JsonAsync(HttpStatusCode.OK)).ShouldBeEmpty();

        (await api.PutAsJsonAsync($"/api/residents/{id}", new { name, phone = (string?)null })).StatusCode.ShouldBe(HttpStatusCode.OK);
        Names(await (await api.GetAsync($"/api/residents?name={suffix}&phone=0922")).JsonAsync(HttpStatusCode.OK)).ShouldBeEmpty();
    }

    [Fact]
    public void The_phone_tail_is_kept_by_every_method_that_sets_the_phone()
    {
        var r = new Linli.Web.Features.Residents.Resident(Guid.CreateVersion7(), "王秀兰", DateTime.UtcNow);
        r.Update("王秀兰", null, null, " 13900001234 ", null, null, null, null, DateTime.UtcNow);
        r.PhoneTail.ShouldBe("1234");
        r.CorrectContact("13900005678", null, null, DateTime.UtcNow);
        r.PhoneTail.ShouldBe("5678");
        r.CorrectContact(" ", null, null, DateTime.UtcNow);
        r.PhoneTail.ShouldBeNull();
    }
}
