using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Linli.Tests.Support;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>
/// The console's new-order form (issue 4, items 1 and 10): staff pick the resident from the registry (phones masked, the
/// own community only), the place as building → entrance → home (the resident's home by default), and see the duplicate
/// hint before a second case of the same problem starts.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class ConsoleNewOrderTests(LinliFactory app)
{
    private const string Page = "/console/orders/new";

    /// <summary>Posts the form as the browser does (a GET first for the antiforgery token); keys may repeat; htmx adds its header.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, IEnumerable<(string Key, string Value)> fields, bool htmx = false)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        form.Add(new("__RequestVerificationToken", Clients.AntiforgeryToken(await client.GetStringAsync(Page))));
        using var request = new HttpRequestMessage(HttpMethod.Post, handler.Length == 0 ? Page : $"{Page}?handler={handler}") { Content = new FormUrlEncodedContent(form) };
        if (htmx) request.Headers.Add("HX-Request", "true");
        return await client.SendAsync(request);
    }

    private static async Task<string> HtmlAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        return html;
    }

    private static Task<string> SearchAsync(HttpClient client, string query) =>
        PostAsync(client, "Search", [("ResidentQuery", query)], htmx: true).ContinueWith(t => HtmlAsync(t.Result)).Unwrap();

    private static string Category(string html, string name) => Html.OptionValue(html, name);

    private static Guid Picked(string html, string name)
    {
        var pick = Html.Parse(html).QuerySelectorAll("[name=Pick]").FirstOrDefault(b => b.QuerySelector(".picker-name")?.TextContent.Trim() == name);
        pick.ShouldNotBeNull($"{name} should be offered: {html}");
        return Guid.Parse(pick.GetAttribute("value")!);
    }

    private static List<(string, string)> Shown(string html) => Html.InputValues(html, "SimilarShown").Select(v => ("SimilarShown", v)).ToList();

    private async Task<T> SystemDbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task Staff_enter_a_phoned_in_order_for_a_picked_resident_at_her_home_and_she_follows_it_in_the_portal()
    {
        var staff = await app.PagesAsAsync(Clients.Staff);
        var form = await staff.GetStringAsync(Page);
        form.ShouldContain("id=\"resident-q\"");
        form.ShouldContain("id=\"home\"");

        // By name, by the phone's last 4 digits, by home (building-entrance-home): the registry's own search.
        var byName = await SearchAsync(staff, "王秀兰");
        var wang = Picked(byName, "王秀兰");
        byName.ShouldContain("139****0001");
        byName.ShouldContain("融创裕华壹号 1号楼 1单元 101");
        Picked(await SearchAsync(staff, "0001"), "王秀兰").ShouldBe(wang);
        var byHome = await SearchAsync(staff, "1-1-101");
        Picked(byHome, "王秀兰").ShouldBe(wang);
        Picked(byHome, "张德明"); // her husband, same home
        (await SearchAsync(staff, "")).ShouldNotContain("picker-result");
        (await SearchAsync(staff, "无此人")).ShouldContain("没有找到“无此人”");

        // Picking her fills the place with her home.
        var picked = await HtmlAsync(await PostAsync(staff, "Pick", [("Pick", wang.ToString()), ("Input.Description", "电话反映")]));
        picked.ShouldContain($"name=\"Input.ResidentId\" value=\"{wang}\"");
        picked.ShouldContain("id=\"resident-change\"");
        Html.Selected(picked, "home").Text.ShouldBe("1-101");
        picked.ShouldContain(">电话反映</textarea>"); // what staff typed stays
        var building = SelectedIn(picked, "building");
        var home = SelectedIn(picked, "home");
        var category = Category(picked, "停电跳闸");

        // The hint may hold the create back once (another test's order of that kind in that building): seen, it goes through.
        var fields = new List<(string, string)>
        {
            ("Input.ResidentId", wang.ToString()), ("Input.CategoryId", category), ("Input.Channel", "Phone"), ("Input.Place.BuildingId", building),
            ("Input.Place.EntranceNumber", "1"), ("Input.Place.HomeId", home), ("Input.Description", "家里跳闸，电话反映"), ("PlaceFromResident", "true"),
        };
        var refreshed = await HtmlAsync(await PostAsync(staff, "Refresh", fields));
        var created = await PostAsync(staff, "", [.. fields, .. Shown(refreshed), ("Input.DuplicateOfId", "")]);
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];

        var detail = await staff.GetStringAsync($"/console/orders/{id}");
        detail.ShouldContain("来电");
        Html.Text(detail, "dd#order-resident").ShouldContain("王秀兰");
        Html.Text(detail, "dd#order-resident").ShouldContain("139****0001");
        detail.ShouldContain("融创裕华壹号 1号楼 1单元 101");
        detail.ShouldNotContain("13900000001");

        // She follows it as if she had reported it: in her list, and told of the step.
        var resident = await app.PagesAsAsync(Clients.Resident, totpKey: null);
        (await resident.GetStringAsync("/orders")).ShouldContain($"/orders/{id}");
        (await resident.GetStringAsync($"/orders/{id}")).ShouldContain("家里跳闸");
    }

    [Fact]
    public async Task The_picker_answers_only_residents_of_the_own_community_phones_masked_and_only_to_roles_that_read_the_registry()
    {
        var other = await app.PagesAsAsync(Clients.OtherSecretary); // 阳光社区
        var elsewhere = await SearchAsync(other, "王秀兰");
        elsewhere.ShouldNotContain("王秀兰</span>");
        elsewhere.ShouldContain("没有找到");

        var staff = await app.PagesAsAsync(Clients.Staff);
        var answer = await SearchAsync(staff, "王秀兰");
        answer.ShouldContain("139****0001");
        answer.ShouldNotContain("13900000001");
        answer.ShouldNotContain("1301081946"); // no ID number, not even masked digits of it
        answer.ShouldNotContain("130***");
        answer.ShouldNotContain("低保"); // no tags (a sensitive one among them)
        (await SearchAsync(staff, "123")).ShouldContain("class=\"error\""); // a phone is searched by its last 4 digits or whole

        // A property company's people enter orders but do not read the registry: no picker, and its search is refused.
        var property = await app.PagesAsAsync(WorkOrderFlowTests.PropertyStaff);
        (await property.GetStringAsync(Page)).ShouldNotContain("id=\"resident-q\"");
        (await PostAsync(property, "Search", [("ResidentQuery", "王秀兰")], htmx: true)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_resident_or_a_home_of_another_community_is_refused_beside_its_field_and_nothing_is_saved()
    {
        var otherApi = await app.ApiAsAsync(Clients.OtherSecretary);
        var stranger = (await (await otherApi.PostAsJsonAsync("/api/residents", new { name = "阳光居民" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var sunshineHome = await SystemDbAsync(db => db.Homes.Where(h => db.Communities.Any(c => c.Id == h.CommunityId && c.DivisionCode == "130105013019"))
            .Select(h => h.Id).FirstAsync());

        var staff = await app.PagesAsAsync(Clients.Staff);
        var category = Category(await staff.GetStringAsync(Page), "政策咨询");
        var text = Clients.Unique("外社区居民来电");
        var refused = await HtmlAsync(await PostAsync(staff, "", [("Input.ResidentId", stranger.ToString()), ("Input.CategoryId", category), ("Input.Channel", "Phone"),
            ("Input.Place.Text", "社区办公室"), ("Input.Description", text)]));
        ErrorOf(refused, "resident-error").ShouldBe("居民不在本社区的台账中。");
        refused.ShouldNotContain("阳光居民");
        (await PostAsync(staff, "Pick", [("Pick", stranger.ToString())]).ContinueWith(t => HtmlAsync(t.Result)).Unwrap())
            .ShouldContain("居民不在本社区的台账中。");

        var badHome = await HtmlAsync(await PostAsync(staff, "", [("Input.CategoryId", category), ("Input.Channel", "Visit"),
            ("Input.Place.HomeId", sunshineHome.ToString()), ("Input.Description", text)]));
        ErrorOf(badHome, "home-error").ShouldBe("地点不在本社区。");

        var staffApi = await app.ApiAsAsync(Clients.Staff);
        await (await staffApi.PostAsJsonAsync("/api/work-orders", new
        {
            categoryId = Guid.Parse(category), description = text, place = new { text = "社区办公室" },
            residentId = stranger, channel = "Phone"
        })).ShouldBeFieldErrorAsync("ResidentId"); // the API door refuses it too
        (await SystemDbAsync(db => db.WorkOrders.CountAsync(o => o.Description == text))).ShouldBe(0);

        // A passer-by's report needs no resident.
        var passerBy = await PostAsync(staff, "", [("Input.CategoryId", category), ("Input.Channel", "Visit"), ("Input.Place.Text", "社区办公室"), ("Input.Description", text)]);
        passerBy.StatusCode.ShouldBe(HttpStatusCode.Redirect, await passerBy.Content.ReadAsStringAsync());
        (await SystemDbAsync(db => db.WorkOrders.Where(o => o.Description == text).Select(o => o.ResidentId).SingleAsync())).ShouldBeNull();
    }

    [Fact]
    public async Task A_grid_member_picks_only_residents_of_the_own_grid()
    {
        // 孙建国's 第一网格 is 融创裕华壹号 buildings 1–3; a resident of building 4 is outside it.
        var staffApi = await app.ApiAsAsync(Clients.Staff);
        var name = Clients.Unique("四号楼");
        var outside = (await (await staffApi.PostAsJsonAsync("/api/residents", new { name })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var home = await SystemDbAsync(db => db.Homes.Where(h => db.Buildings.Any(b => b.Id == h.BuildingId && b.Number == "4"
            && db.Estates.Any(e => e.Id == b.EstateId && e.Name == "融创裕华壹号"))).Select(h => h.Id).FirstAsync());
        await (await staffApi.PostAsJsonAsync($"/api/residents/{outside}/move", new { homeId = home })).JsonAsync(HttpStatusCode.OK);
        Picked(await SearchAsync(await app.PagesAsAsync(Clients.Staff), name), name).ShouldBe(outside);

        var grid = await app.PagesAsAsync(Clients.GridMember);
        (await SearchAsync(grid, name)).ShouldContain("没有找到");
        Picked(await SearchAsync(grid, "王秀兰"), "王秀兰"); // 1号楼 is in the grid
        var page = await grid.GetStringAsync(Page);
        var refused = await HtmlAsync(await PostAsync(grid, "", [("Input.ResidentId", outside.ToString()), ("Input.CategoryId", Category(page, "政策咨询")),
            ("Input.Channel", "GridPatrol"), ("Input.Place.Text", "巡查路上"), ("Input.Description", "四号楼居民反映")]));
        ErrorOf(refused, "resident-error").ShouldBe("居民不在本社区的台账中。");
    }

    [Fact]
    public async Task The_hint_shows_open_orders_of_the_same_kind_at_the_building_holds_the_create_once_and_linking_works()
    {
        var staff = await app.PagesAsAsync(Clients.Staff);
        var page = await staff.GetStringAsync(Page);
        var category = Category(page, "路灯");
        var building = Html.OptionValue(page, "东华国樾府 3号楼");
        var first = await PostAsync(staff, "", [("Input.CategoryId", category), ("Input.Channel", "Phone"), ("Input.Place.BuildingId", building),
            ("Input.Place.Text", "楼前路灯"), ("Input.Description", "楼前路灯不亮"), .. Shown(await HtmlAsync(await PostAsync(staff, "Refresh",
                [("Input.CategoryId", category), ("Input.Place.BuildingId", building)])))]);
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect, await first.Content.ReadAsStringAsync());
        var firstId = first.Headers.Location!.OriginalString.Split('/')[^1];

        // As the category and the building are chosen, the hint lists it (with a link for staff).
        var place = new List<(string, string)> { ("Input.CategoryId", category), ("Input.Channel", "Phone"), ("Input.Place.BuildingId", building),
            ("Input.Place.EntranceNumber", "2"), ("Input.Description", "2单元门口路灯也不亮") };
        var hint = await HtmlAsync(await PostAsync(staff, "Refresh", place, htmx: true));
        hint.ShouldContain($"name=\"Input.DuplicateOfId\" value=\"{firstId}\"");
        hint.ShouldContain($"href=\"/console/orders/{firstId}\"");
        hint.ShouldContain("不是，这是另一个问题");

        // A create that has not shown the hint is held back with it, and nothing is saved.
        var held = await HtmlAsync(await PostAsync(staff, "", place));
        ErrorOf(held, "Input_DuplicateOfId-error").ShouldStartWith("登记前请看一看");
        held.ShouldContain($"value=\"{firstId}\"");
        (await SystemDbAsync(db => db.WorkOrders.CountAsync(o => o.Description == "2单元门口路灯也不亮"))).ShouldBe(0);

        // Linking: the new order follows the first one.
        var linked = await PostAsync(staff, "", [.. place, .. Shown(held), ("Input.DuplicateOfId", firstId)]);
        linked.StatusCode.ShouldBe(HttpStatusCode.Redirect, await linked.Content.ReadAsStringAsync());
        var detail = await staff.GetStringAsync(linked.Headers.Location!.OriginalString);
        detail.ShouldContain($"href=\"/console/orders/{firstId}\"");
        (await SystemDbAsync(db => db.WorkOrders.Where(o => o.Description == "2单元门口路灯也不亮").Select(o => o.DuplicateOfId).SingleAsync())).ShouldBe(Guid.Parse(firstId));

        // "A different problem" after seeing the hint creates a separate case.
        var separate = await PostAsync(staff, "", [.. place.Select(f => f.Item1 == "Input.Description" ? (f.Item1, "2单元门口的灯罩掉了") : f), .. Shown(held),
            ("Input.DuplicateOfId", "")]);
        separate.StatusCode.ShouldBe(HttpStatusCode.Redirect, await separate.Content.ReadAsStringAsync());
        (await SystemDbAsync(db => db.WorkOrders.Where(o => o.Description == "2单元门口的灯罩掉了").Select(o => o.DuplicateOfId).SingleAsync())).ShouldBeNull();
    }

    private static string SelectedIn(string html, string selectId) => Html.Selected(html, selectId).Value;

    private static string ErrorOf(string html, string id) => Html.Text(html, $"p.error#{id}");
}
