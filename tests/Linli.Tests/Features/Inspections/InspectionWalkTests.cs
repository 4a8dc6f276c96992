using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Features.WorkOrders;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Inspections;

/// <summary>
/// The inspection walk 走访找问题 through the API: staff walk an estate building by building, each problem becomes a work
/// order with its photos, coverage counts buildings walked; every refusal leaves the walk and the orders as they were.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class InspectionWalkTests(LinliFactory app)
{
    public sealed record Estate(Guid Id, string Name, IReadOnlyList<Guid> Buildings);

    /// <summary>A new estate of 融华府社区 with <paramref name="buildings"/> buildings of 2 entrances × 2 floors × 1 home.</summary>
    public static async Task<Estate> EstateAsync(HttpClient staff, int buildings)
    {
        var name = Clients.Unique("走访小区");
        var estate = (await (await staff.PostAsJsonAsync("/api/estates", new { name })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var ids = new List<Guid>();
        for (var n = 1; n <= buildings; n++)
        {
            var b = await (await staff.PostAsJsonAsync($"/api/estates/{estate}/buildings", new { number = n.ToString(CultureInfo.InvariantCulture), floors = 2, entrances = 2, homesPerFloor = 1 }))
                .JsonAsync(HttpStatusCode.Created);
            ids.Add(b.GetProperty("id").GetGuid());
        }
        return new Estate(estate, name, ids);
    }

    public static async Task<Guid> CategoryAsync(HttpClient client, string name)
    {
        var categories = await (await client.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);
        return categories.EnumerateArray().First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    public static MultipartFormDataContent Problem(Guid buildingId, Guid? categoryId, string? description, int? entrance = null, params (byte[] Bytes, string Name)[] photos)
    {
        var form = new MultipartFormDataContent { { new StringContent(buildingId.ToString()), "buildingId" } };
        if (categoryId is { } c) form.Add(new StringContent(c.ToString()), "categoryId");
        if (description is not null) form.Add(new StringContent(description), "description");
        if (entrance is { } e) form.Add(new StringContent(e.ToString(CultureInfo.InvariantCulture)), "entranceNumber");
        foreach (var (bytes, name) in photos)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "photos", name);
        }
        return form;
    }

    private static async Task<JsonElement> StartAsync(HttpClient client, Guid estate, string? note = null) =>
        await (await client.PostAsJsonAsync("/api/inspections", new { estateId = estate, note })).JsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> DetailAsync(HttpClient client, Guid walk) =>
        await (await client.GetAsync($"/api/inspections/{walk}")).JsonAsync(HttpStatusCode.OK);

    private static JsonElement Building(JsonElement walk, Guid building) =>
        walk.GetProperty("buildings").EnumerateArray().Single(b => b.GetProperty("buildingId").GetGuid() == building);

    [Fact]
    public async Task Staff_walk_an_estate_building_by_building_and_each_problem_becomes_an_order_with_its_photos()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var e = await EstateAsync(staff, 3);
        var lamp = await CategoryAsync(staff, "路灯");

        var walk = await StartAsync(staff, e.Id, "重点看楼道照明");
        var id = walk.GetProperty("id").GetGuid();
        walk.GetProperty("estate").GetString().ShouldBe(e.Name);
        walk.GetProperty("note").GetString().ShouldBe("重点看楼道照明");
        walk.GetProperty("startedBy").GetString().ShouldNotBeNullOrEmpty();
        (walk.GetProperty("done").GetInt32(), walk.GetProperty("total").GetInt32()).ShouldBe((0, 3));
        walk.GetProperty("buildings").EnumerateArray().Select(b => b.GetProperty("number").GetString()).ShouldBe(["1", "2", "3"]);

        // Building 1: nothing wrong. Marking it twice is idempotent: the first mark (who, when) stays.
        var marked = await (await staff.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = e.Buildings[0] })).JsonAsync(HttpStatusCode.OK);
        marked.GetProperty("done").GetInt32().ShouldBe(1);
        var first = Building(marked, e.Buildings[0]);
        first.GetProperty("walked").GetBoolean().ShouldBeTrue();
        first.GetProperty("problems").GetInt32().ShouldBe(0);
        var secretary = await app.ApiAsAsync(Clients.Secretary);
        var again = await (await secretary.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = e.Buildings[0] })).JsonAsync(HttpStatusCode.OK);
        again.GetProperty("done").GetInt32().ShouldBe(1);
        Building(again, e.Buildings[0]).GetProperty("walkedBy").GetString().ShouldBe(first.GetProperty("walkedBy").GetString());
        Building(again, e.Buildings[0]).GetProperty("walkedAt").GetDateTime().ShouldBe(first.GetProperty("walkedAt").GetDateTime());

        // Building 2, entrance 1: a broken stairwell light, with a photo that carries a GPS position.
        var recorded = await staff.PostAsync($"/api/inspections/{id}/problems",
            Problem(e.Buildings[1], lamp, "3层楼道灯不亮", entrance: 1, (WorkOrderPhotoTests.JpegWithGps(), "IMG_0001.jpg")));
        var problem = await recorded.JsonAsync(HttpStatusCode.Created);
        problem.GetProperty("place").GetString().ShouldBe("2号楼 1单元");
        problem.GetProperty("category").GetString().ShouldBe("公共设施 › 路灯");
        problem.GetProperty("description").GetString().ShouldBe("3层楼道灯不亮");
        problem.GetProperty("status").GetString().ShouldBe("Accepted");
        problem.GetProperty("photos").GetArrayLength().ShouldBe(1);
        var orderId = problem.GetProperty("workOrderId").GetGuid();

        var order = await (await staff.GetAsync($"/api/work-orders/{orderId}")).JsonAsync(HttpStatusCode.OK);
        order.GetProperty("number").GetString().ShouldBe(problem.GetProperty("workOrderNumber").GetString());
        order.GetProperty("channel").GetString().ShouldBe("InspectionWalk");
        order.GetProperty("status").GetString().ShouldBe("Accepted");
        order.GetProperty("place").GetString().ShouldBe($"{e.Name} 2号楼 1单元");
        order.GetProperty("description").GetString().ShouldBe("3层楼道灯不亮");
        var photos = order.GetProperty("photos").EnumerateArray().ToList();
        photos.Count.ShouldBe(1);
        photos[0].GetProperty("stage").GetString().ShouldBe("Before");
        var stored = await (await staff.GetAsync(photos[0].GetProperty("url").GetString())).Content.ReadAsByteArrayAsync();
        System.Text.Encoding.ASCII.GetString(stored).ShouldNotContain("Exif");
        // The staff member who walked is on the timeline as the one who reported it; no resident is attached.
        order.GetProperty("timeline")[0].GetProperty("actorName").GetString().ShouldBe(walk.GetProperty("startedBy").GetString());

        // Recorded but not marked: the building is not walked yet; marking it counts it with its problem.
        var during = await DetailAsync(staff, id);
        (during.GetProperty("done").GetInt32(), Building(during, e.Buildings[1]).GetProperty("problems").GetInt32()).ShouldBe((1, 1));
        var two = await (await staff.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = e.Buildings[1] })).JsonAsync(HttpStatusCode.OK);
        (two.GetProperty("done").GetInt32(), two.GetProperty("total").GetInt32()).ShouldBe((2, 3));

        var list = await (await staff.GetAsync("/api/inspections?finished=false")).JsonAsync(HttpStatusCode.OK);
        var row = list.EnumerateArray().Single(w => w.GetProperty("id").GetGuid() == id);
        (row.GetProperty("done").GetInt32(), row.GetProperty("total").GetInt32(), row.GetProperty("problems").GetInt32()).ShouldBe((2, 3, 1));

        // Finished: the coverage stays 2 / 3, and the walk takes nothing more (409), the order goes on as usual.
        var finished = await (await staff.PostAsync($"/api/inspections/{id}/finish", null)).JsonAsync(HttpStatusCode.OK);
        finished.GetProperty("finished").GetBoolean().ShouldBeTrue();
        finished.GetProperty("finishedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await staff.PostAsync($"/api/inspections/{id}/finish", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await staff.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = e.Buildings[2] })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var late = await staff.PostAsync($"/api/inspections/{id}/problems", Problem(e.Buildings[2], lamp, "迟到的问题"));
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var after = await DetailAsync(staff, id);
        (after.GetProperty("done").GetInt32(), after.GetProperty("problems").GetArrayLength()).ShouldBe((2, 1));
        (await OrdersInAsync(staff, e)).ShouldBe(1);
        (await (await staff.GetAsync("/api/inspections?finished=true")).JsonAsync(HttpStatusCode.OK))
            .EnumerateArray().ShouldContain(w => w.GetProperty("id").GetGuid() == id);
        (await (await staff.GetAsync("/api/inspections?finished=false")).JsonAsync(HttpStatusCode.OK))
            .EnumerateArray().ShouldNotContain(w => w.GetProperty("id").GetGuid() == id);

        // Once the walk is finished, the estate can be walked again.
        (await StartAsync(staff, e.Id)).GetProperty("total").GetInt32().ShouldBe(3);
    }

    /// <summary>The orders placed in the estate (its name is unique to the test), newest first.</summary>
    private static async Task<int> OrdersInAsync(HttpClient staff, Estate e)
    {
        var orders = await (await staff.GetAsync("/api/work-orders")).JsonAsync(HttpStatusCode.OK);
        return orders.EnumerateArray().Count(o => o.GetProperty("place").GetString()!.StartsWith(e.Name + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_problem_whose_order_number_another_process_just_took_gets_the_next_one_with_its_photo_in_the_same_transaction()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var e = await EstateAsync(staff, 1);
        var lamp = await CategoryAsync(staff, "路灯");
        var walk = (await StartAsync(staff, e.Id)).GetProperty("id").GetGuid();
        var first = await (await staff.PostAsync($"/api/inspections/{walk}/problems", Problem(e.Buildings[0], lamp, "1单元门口灯不亮", entrance: 1)))
            .JsonAsync(HttpStatusCode.Created);
        var number = first.GetProperty("workOrderNumber").GetString()!;
        string Plus(int n) => number[..6] + (int.Parse(number[6..], CultureInfo.InvariantCulture) + n).ToString("0000", CultureInfo.InvariantCulture);

        await OtherProcess.GivesNumberAsync(app, Plus(1), sameAs: number);

        // The problem's order meets the taken number inside the walk's transaction, counts on, and keeps its photo and the walk.
        var second = await (await staff.PostAsync($"/api/inspections/{walk}/problems",
            Problem(e.Buildings[0], lamp, "2单元楼道灯闪", entrance: 2, (WorkOrderPhotoTests.JpegWithGps(), "IMG_0002.jpg")))).JsonAsync(HttpStatusCode.Created);
        second.GetProperty("workOrderNumber").GetString().ShouldBe(Plus(2));
        second.GetProperty("photos").GetArrayLength().ShouldBe(1);
        var order = await (await staff.GetAsync($"/api/work-orders/{second.GetProperty("workOrderId").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        order.GetProperty("photos").GetArrayLength().ShouldBe(1);
        order.GetProperty("timeline").GetArrayLength().ShouldBe(2); // submitted and accepted, once each
        Building(await DetailAsync(staff, walk), e.Buildings[0]).GetProperty("problems").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_leaves_the_walk_and_the_orders_unchanged()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var e = await EstateAsync(staff, 2);
        var other = await EstateAsync(staff, 1);
        var lamp = await CategoryAsync(staff, "路灯");

        await (await staff.PostAsJsonAsync("/api/inspections", new { note = "没选小区" })).ShouldBeFieldErrorAsync("EstateId");
        await (await staff.PostAsJsonAsync("/api/inspections", new { estateId = e.Id, note = new string('长', 501) })).ShouldBeFieldErrorAsync("Note");
        var empty = (await (await staff.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("空小区") })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await (await staff.PostAsJsonAsync("/api/inspections", new { estateId = empty })).ShouldBeFieldErrorAsync("EstateId")).ShouldContain("还没有在用的楼栋");

        var id = (await StartAsync(staff, e.Id)).GetProperty("id").GetGuid();
        // One open walk per estate: a second start is a 409 naming the estate.
        var twice = await staff.PostAsJsonAsync("/api/inspections", new { estateId = e.Id });
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await twice.Content.ReadAsStringAsync()).ShouldContain("EstateId");

        // Marking: no building, a building of another estate of the community (400), one of another community (404).
        await (await staff.PostAsJsonAsync($"/api/inspections/{id}/walked", new { })).ShouldBeFieldErrorAsync("BuildingId");
        await (await staff.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = other.Buildings[0] })).ShouldBeFieldErrorAsync("BuildingId");
        var sunshine = await app.ApiAsAsync(Clients.OtherSecretary);
        var theirs = await EstateAsync(sunshine, 1);
        (await staff.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = theirs.Buildings[0] })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.PostAsJsonAsync("/api/inspections", new { estateId = theirs.Id })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // A building added to the estate after the walk started is not part of this walk.
        var added = (await (await staff.PostAsJsonAsync($"/api/estates/{e.Id}/buildings", new { number = "9", floors = 1, entrances = 1, homesPerFloor = 1 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await staff.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = added })).ShouldBeFieldErrorAsync("BuildingId");

        // Recording: each refusal names its field and creates no order.
        var b = e.Buildings[0];
        await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(b, lamp, ""))).ShouldBeFieldErrorAsync("Description");
        await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(b, null, "没选类别"))).ShouldBeFieldErrorAsync("CategoryId");
        var theirLamp = await CategoryAsync(sunshine, "路灯");
        await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(b, theirLamp, "别的社区的类别"))).ShouldBeFieldErrorAsync("CategoryId");
        await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(b, lamp, "没有9单元", entrance: 9))).ShouldBeFieldErrorAsync("EntranceNumber");
        await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(other.Buildings[0], lamp, "别的小区的楼"))).ShouldBeFieldErrorAsync("BuildingId");
        (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(theirs.Buildings[0], lamp, "别的社区的楼"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(b, lamp, "不是照片", photos: ("这不是照片"u8.ToArray(), "fake.jpg")))).ShouldBeFieldErrorAsync("Photos");
        var ten = Enumerable.Range(0, 10).Select(i => (WorkOrderPhotoTests.Png(), $"p{i}.png")).ToArray();
        await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(b, lamp, "十张照片", photos: ten))).ShouldBeFieldErrorAsync("Photos");
        (await staff.PostAsJsonAsync($"/api/inspections/{id}/problems", new { buildingId = b, categoryId = lamp, description = "JSON" })).StatusCode
            .ShouldBe(HttpStatusCode.UnsupportedMediaType);
        var walk = await DetailAsync(staff, id);
        (walk.GetProperty("done").GetInt32(), walk.GetProperty("problems").GetArrayLength()).ShouldBe((0, 0));
        (await OrdersInAsync(staff, e)).ShouldBe(0);
        (await OrdersInAsync(staff, other)).ShouldBe(0);

        // Nine photos are fine.
        var nine = Enumerable.Range(0, 9).Select(i => (WorkOrderPhotoTests.Png(), $"p{i}.png")).ToArray();
        (await (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(b, lamp, "九张照片", photos: nine))).JsonAsync(HttpStatusCode.Created))
            .GetProperty("photos").GetArrayLength().ShouldBe(9);
        (await OrdersInAsync(staff, e)).ShouldBe(1);

        // Another community's walk is not there: detail, marking, recording, finishing.
        (await sunshine.GetAsync($"/api/inspections/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sunshine.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = b })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sunshine.PostAsync($"/api/inspections/{id}/problems", Problem(b, theirLamp, "越界"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sunshine.PostAsync($"/api/inspections/{id}/finish", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await sunshine.GetAsync("/api/inspections")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ShouldNotContain(w => w.GetProperty("id").GetGuid() == id);
        (await staff.GetAsync($"/api/inspections/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Residents_volunteers_partners_and_subdistrict_admins_are_refused()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var e = await EstateAsync(staff, 1);
        var id = (await StartAsync(staff, e.Id)).GetProperty("id").GetGuid();
        var lamp = await CategoryAsync(staff, "路灯");
        foreach (var (phone, totp) in new[] { (Clients.Resident, false), (Clients.Volunteer, false), (Clients.PropertyStaff, true), (WorkOrderFlowTests.PartnerMember, true), (Clients.SubdistrictAdmin, true) })
        {
            var client = await app.ApiAsAsync(phone, totpKey: totp ? Linli.Web.Features.Demo.DemoSeeder.TotpKey : null);
            (await client.GetAsync("/api/inspections")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, phone);
            (await client.GetAsync($"/api/inspections/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, phone);
            (await client.PostAsJsonAsync("/api/inspections", new { estateId = e.Id })).StatusCode.ShouldBe(HttpStatusCode.Forbidden, phone);
            (await client.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = e.Buildings[0] })).StatusCode.ShouldBe(HttpStatusCode.Forbidden, phone);
            (await client.PostAsync($"/api/inspections/{id}/problems", Problem(e.Buildings[0], lamp, "越权"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden, phone);
            (await client.PostAsync($"/api/inspections/{id}/finish", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, phone);
        }
        var walk = await DetailAsync(staff, id);
        (walk.GetProperty("done").GetInt32(), walk.GetProperty("problems").GetArrayLength(), walk.GetProperty("finished").GetBoolean()).ShouldBe((0, 0, false));
        (await app.Anonymous().GetAsync("/api/inspections")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_grid_member_walks_only_the_buildings_of_the_own_grids()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var e = await EstateAsync(staff, 3);
        var lamp = await CategoryAsync(staff, "路灯");
        var grids = await (await staff.GetAsync("/api/grids")).JsonAsync(HttpStatusCode.OK);
        var first = grids.EnumerateArray().First(g => g.GetProperty("name").GetString() == "第一网格").GetProperty("id").GetGuid();
        // 第一网格 (孙建国) gets buildings 1 and 2; building 3 is in no grid of theirs.
        foreach (var b in e.Buildings.Take(2))
            (await staff.PostAsJsonAsync($"/api/grids/{first}/areas", new { buildingId = b })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await StartAsync(staff, e.Id)).GetProperty("id").GetGuid();

        var grid = await app.ApiAsAsync(Clients.GridMember);
        var mine = await DetailAsync(grid, id);
        mine.GetProperty("buildings").EnumerateArray().Select(b => b.GetProperty("buildingId").GetGuid()).ShouldBe([e.Buildings[0], e.Buildings[1]]);
        (mine.GetProperty("done").GetInt32(), mine.GetProperty("total").GetInt32()).ShouldBe((0, 2));
        mine.GetProperty("mayFinish").GetBoolean().ShouldBeFalse();
        var row = (await (await grid.GetAsync("/api/inspections")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().Single(w => w.GetProperty("id").GetGuid() == id);
        row.GetProperty("total").GetInt32().ShouldBe(2);

        (await grid.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = e.Buildings[2] })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await grid.PostAsync($"/api/inspections/{id}/problems", Problem(e.Buildings[2], lamp, "不是我的楼"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await grid.PostAsJsonAsync($"/api/inspections/{id}/walked", new { buildingId = e.Buildings[0] })).JsonAsync(HttpStatusCode.OK))
            .GetProperty("done").GetInt32().ShouldBe(1);
        var problem = await (await grid.PostAsync($"/api/inspections/{id}/problems",
            Problem(e.Buildings[1], lamp, "单元门灯坏了", photos: (WorkOrderPhotoTests.Png(), "door.png")))).JsonAsync(HttpStatusCode.Created);
        // The grid member entered the order and added its photo (as the one who entered it); it is theirs to see.
        var order = await (await grid.GetAsync($"/api/work-orders/{problem.GetProperty("workOrderId").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        order.GetProperty("channel").GetString().ShouldBe("InspectionWalk");
        order.GetProperty("photos").GetArrayLength().ShouldBe(1);

        // Staff see the whole walk, the grid member's work included; only the starter or staff finish it.
        var all = await DetailAsync(staff, id);
        (all.GetProperty("done").GetInt32(), all.GetProperty("total").GetInt32(), all.GetProperty("problems").GetArrayLength()).ShouldBe((1, 3, 1));
        (await grid.PostAsync($"/api/inspections/{id}/finish", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await staff.PostAsync($"/api/inspections/{id}/finish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A grid member starts a walk only where the own grids have buildings, and may finish the own walk.
        var elsewhere = await EstateAsync(staff, 1);
        (await grid.PostAsJsonAsync("/api/inspections", new { estateId = elsewhere.Id })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var estates = await (await grid.GetAsync("/api/inspections/estates")).JsonAsync(HttpStatusCode.OK);
        estates.EnumerateArray().ShouldContain(x => x.GetProperty("id").GetGuid() == e.Id && x.GetProperty("buildings").GetInt32() == 2);
        estates.EnumerateArray().ShouldNotContain(x => x.GetProperty("id").GetGuid() == elsewhere.Id);
        var own = (await StartAsync(grid, e.Id)).GetProperty("id").GetGuid();
        (await staff.GetAsync($"/api/inspections/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await grid.PostAsync($"/api/inspections/{own}/finish", null)).JsonAsync(HttpStatusCode.OK)).GetProperty("finished").GetBoolean().ShouldBeTrue();
        // A walk of an estate without buildings of theirs is not there for them.
        var staffOnly = (await StartAsync(staff, elsewhere.Id)).GetProperty("id").GetGuid();
        (await grid.GetAsync($"/api/inspections/{staffOnly}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await grid.GetAsync("/api/inspections")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ShouldNotContain(w => w.GetProperty("id").GetGuid() == staffOnly);
    }

    [Fact]
    public async Task A_micro_grid_member_of_one_entrance_records_problems_at_that_entrance_only()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var e = await EstateAsync(staff, 1);
        var lamp = await CategoryAsync(staff, "路灯");
        var building = e.Buildings[0];
        var parent = (await (await staff.PostAsJsonAsync("/api/grids", new { name = Clients.Unique("网格") })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await staff.PostAsJsonAsync($"/api/grids/{parent}/areas", new { buildingId = building })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var micro = (await (await staff.PostAsJsonAsync("/api/grids", new { name = Clients.Unique("微网格"), parentId = parent })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await staff.PostAsJsonAsync($"/api/grids/{micro}/areas", new { buildingId = building, entranceNumber = 1 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var member = await GridMemberOfAsync(micro);
        var id = (await StartAsync(staff, e.Id)).GetProperty("id").GetGuid();

        // Entrance 1 is all they see of the building: a problem there names it, so that its order stays in their sight.
        await (await member.PostAsync($"/api/inspections/{id}/problems", Problem(building, lamp, "整栋"))).ShouldBeFieldErrorAsync("EntranceNumber");
        await (await member.PostAsync($"/api/inspections/{id}/problems", Problem(building, lamp, "2单元", entrance: 2))).ShouldBeFieldErrorAsync("EntranceNumber");
        var problem = await (await member.PostAsync($"/api/inspections/{id}/problems",
            Problem(building, lamp, "1单元门灯坏了", entrance: 1, (WorkOrderPhotoTests.Png(), "door.png")))).JsonAsync(HttpStatusCode.Created);
        var order = await (await member.GetAsync($"/api/work-orders/{problem.GetProperty("workOrderId").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        order.GetProperty("photos").GetArrayLength().ShouldBe(1);
        // A problem staff record at entrance 2 is not in the micro-grid member's list.
        (await staff.PostAsync($"/api/inspections/{id}/problems", Problem(building, lamp, "2单元扶手松了", entrance: 2))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await DetailAsync(member, id)).GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("description").GetString()).ShouldBe(["1单元门灯坏了"]);
        (await DetailAsync(staff, id)).GetProperty("problems").GetArrayLength().ShouldBe(2);
    }

    /// <summary>A new grid-member account scoped to <paramref name="grid"/> only, with TOTP enrolled as an authenticator app would.</summary>
    private async Task<HttpClient> GridMemberOfAsync(Guid grid)
    {
        var secretary = await app.ApiAsAsync(Clients.Secretary);
        var phone = Users.UsersApiTests.NewPhone();
        var user = await (await secretary.PostAsJsonAsync("/api/users", new { phone, displayName = "微网格员", password = "Welcome#2026", role = "GridMember" }))
            .JsonAsync(HttpStatusCode.Created);
        var userId = user.GetProperty("user").GetProperty("id").GetGuid();
        (await secretary.PostAsJsonAsync($"/api/users/{userId}/scopes", new { kind = "Grid", targetId = grid })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var pages = app.Anonymous();
        (await pages.PostFormAsync("/account/login", new() { ["Phone"] = phone, ["Password"] = "Welcome#2026" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await pages.GetStringAsync("/account/2fa/enrol");
        var key = Html.Text(page, "#totp-key").Replace(" ", "").ToUpperInvariant();
        (await pages.PostFormAsync("/account/2fa/enrol", new() { ["Code"] = Linli.Web.Features.Demo.Totp.Code(key, DateTimeOffset.UtcNow) })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return await app.ApiAsAsync(phone, "Welcome#2026", key);
    }

    [Fact]
    public async Task A_cookie_post_of_a_problem_needs_the_antiforgery_token()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var e = await EstateAsync(staff, 1);
        var id = (await StartAsync(staff, e.Id)).GetProperty("id").GetGuid();
        var lamp = await CategoryAsync(staff, "路灯");
        var pages = await app.PagesAsAsync(Clients.Staff);
        var refused = await pages.PostAsync($"/api/inspections/{id}/problems", Problem(e.Buildings[0], lamp, "没有令牌"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DetailAsync(staff, id)).GetProperty("problems").GetArrayLength().ShouldBe(0);
    }
}
