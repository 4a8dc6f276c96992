using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>公示栏: fixed problems of public categories, for anyone, with no personal data ever.</summary>
[Collection(AppCollection.Name)]
public sealed class PublicBoardTests(LinliFactory app)
{
    [Fact]
    public async Task A_fixed_public_problem_is_on_the_board_at_building_level_without_names_phones_or_home_numbers()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var categories = await (await staff.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);
        Guid Category(string name) => categories.EnumerateArray().First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
        var wang = await (await staff.GetAsync("/api/residents?name=王秀兰&phone=0001")).JsonAsync(HttpStatusCode.OK);
        var wangId = wang.GetProperty("rows")[0].GetProperty("id").GetGuid();
        var detail = await (await staff.GetAsync($"/api/residents/{wangId}")).JsonAsync(HttpStatusCode.OK);
        var home = detail.GetProperty("history")[0].GetProperty("homeId").GetGuid();

        var before = await (await app.Anonymous().GetAsync("/api/board/130108007024")).JsonAsync(HttpStatusCode.OK);
        var fixedBefore = before.GetProperty("fixed").GetInt32();

        // A public category, fixed with photos; and a private one (邻里纠纷), also fixed.
        var order = await (await staff.PostAsJsonAsync("/api/work-orders", new
        {
            categoryId = Category("管道堵塞"), description = "王秀兰家 13900000001 厨房下水堵了", place = new { homeId = home, text = "王秀兰家" }, residentId = wangId, channel = "Phone",
        })).JsonAsync(HttpStatusCode.Created);
        var id = order.GetProperty("id").GetGuid();
        (await staff.PostAsync($"/api/work-orders/{id}/photos", PhotoForm("Before"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await staff.PostAsJsonAsync($"/api/work-orders/{id}/dispatch", new { })).JsonAsync(HttpStatusCode.OK);
        var photoOfOpenOrder = (await (await staff.GetAsync($"/api/work-orders/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("photos")[0].GetProperty("id").GetGuid();
        (await app.Anonymous().GetAsync($"/board/130108007024/photos/{photoOfOpenOrder}")).StatusCode.ShouldBe(HttpStatusCode.NotFound); // not fixed yet
        await (await staff.PostAsJsonAsync($"/api/work-orders/{id}/take", new { })).JsonAsync(HttpStatusCode.OK);
        await (await staff.PostAsJsonAsync($"/api/work-orders/{id}/complete", new { result = "已疏通" })).JsonAsync(HttpStatusCode.OK);

        var dispute = await (await staff.PostAsJsonAsync("/api/work-orders", new { categoryId = Category("邻里纠纷"), description = "楼上噪音", place = new { text = "3号楼" }, channel = "Visit" }))
            .JsonAsync(HttpStatusCode.Created);
        var disputeId = dispute.GetProperty("id").GetGuid();
        var staffUser = await (await staff.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        await (await staff.PostAsJsonAsync($"/api/work-orders/{disputeId}/dispatch", new { handler = new { kind = "Staff", id = staffUser.GetProperty("id").GetGuid() } })).JsonAsync(HttpStatusCode.OK);
        await (await staff.PostAsJsonAsync($"/api/work-orders/{disputeId}/take", new { })).JsonAsync(HttpStatusCode.OK);
        await (await staff.PostAsJsonAsync($"/api/work-orders/{disputeId}/complete", new { result = "调解成功" })).JsonAsync(HttpStatusCode.OK);

        var anonymous = app.Anonymous();
        var board = await (await anonymous.GetAsync("/api/board/130108007024")).JsonAsync(HttpStatusCode.OK);
        board.GetProperty("fixed").GetInt32().ShouldBe(fixedBefore + 1); // the dispute is not a public category
        var item = board.GetProperty("items").EnumerateArray().First(i => i.GetProperty("id").GetGuid() == id);
        item.GetProperty("place").GetString().ShouldBe("融创裕华壹号 1号楼");
        board.GetProperty("items").EnumerateArray().ShouldNotContain(i => i.GetProperty("id").GetGuid() == disputeId);
        var photo = item.GetProperty("photos")[0];
        var file = await anonymous.GetAsync(photo.GetProperty("thumbnailUrl").GetString());
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        (await anonymous.GetAsync($"/board/130105013019/photos/{photo.GetProperty("url").GetString()!.Split('/')[^1]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var html = await anonymous.GetStringAsync("/board/130108007024");
        html.ShouldContain("管道堵塞");
        foreach (var personal in new[] { "王秀兰", "13900000001", "101", "1单元", "厨房下水", "楼上噪音", "赵文静" }) html.ShouldNotContain(personal);
        board.ToString().ShouldNotContain("王秀兰");
        (await anonymous.GetAsync("/board/999999999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static MultipartFormDataContent PhotoForm(string stage)
    {
        var part = new ByteArrayContent(WorkOrderPhotoTests.JpegWithGps());
        return new MultipartFormDataContent { { new StringContent(stage), "stage" }, { part, "photos", "p.jpg" } };
    }
}
