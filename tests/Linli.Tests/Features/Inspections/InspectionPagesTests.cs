using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Linli.Tests.Features.WorkOrders;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Inspections;

/// <summary>The walk through the pages: the console list with its start form, the walk and the building on a phone.</summary>
[Collection(AppCollection.Name)]
public sealed partial class InspectionPagesTests(LinliFactory app)
{
    /// <summary>Posts the building page's multipart problem form with the page's antiforgery token, as the browser does.</summary>
    private static async Task<HttpResponseMessage> PostProblemAsync(HttpClient client, string buildingPage, string? category, string description, int? entrance = null, byte[]? photo = null)
    {
        var html = await client.GetStringAsync(buildingPage);
        var form = new MultipartFormDataContent
        {
            { new StringContent(Clients.AntiforgeryToken(html)), "__RequestVerificationToken" },
            { new StringContent(category ?? ""), "Problem.CategoryId" },
            { new StringContent(description), "Problem.Description" },
            { new StringContent(entrance?.ToString(CultureInfo.InvariantCulture) ?? ""), "Problem.EntranceNumber" },
        };
        if (photo is not null) form.Add(new ByteArrayContent(photo), "Photos", "IMG_0002.jpg");
        return await client.PostAsync(buildingPage + "?handler=Problem", form);
    }

    [Fact]
    public async Task Staff_start_a_walk_in_the_console_walk_it_on_the_phone_pages_and_finish_it()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var e = await InspectionWalkTests.EstateAsync(api, 2);
        var lamp = (await InspectionWalkTests.CategoryAsync(api, "路灯")).ToString();
        var staff = await app.PagesAsAsync(Clients.Staff);

        var console = await staff.GetStringAsync("/console/inspections");
        console.ShouldContain("href=\"/console/inspections\""); // the nav entry beside 诉求工单
        console.ShouldContain($"<option value=\"{e.Id}\">{e.Name}（2栋楼）</option>");
        var bad = await staff.PostFormAsync("/console/inspections", new() { ["Input.EstateId"] = "", ["Input.Note"] = "" });
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("id=\"Input_EstateId-error\"");
        var started = await staff.PostFormAsync("/console/inspections", new() { ["Input.EstateId"] = e.Id.ToString(), ["Input.Note"] = "重点看楼道照明" });
        started.StatusCode.ShouldBe(HttpStatusCode.Redirect, await started.Content.ReadAsStringAsync());
        var walkUrl = started.Headers.Location!.OriginalString;
        walkUrl.ShouldStartWith("/inspections/");
        var walk = await staff.GetStringAsync(walkUrl);
        walk.ShouldContain($"已开始走访{e.Name}");
        walk.ShouldContain("已走 0 / 2 栋");
        walk.ShouldContain("下一栋：1号楼");
        walk.ShouldContain("重点看楼道照明");
        foreach (var b in e.Buildings) walk.ShouldContain($"href=\"{walkUrl}/{b}\"");
        // The console offers "continue" instead of a second walk of the estate.
        var listed = await staff.GetStringAsync("/console/inspections");
        listed.ShouldContain($"href=\"{walkUrl}\"");
        listed.ShouldNotContain($"<option value=\"{e.Id}\"");

        // Building 1: nothing found.
        var b1 = $"{walkUrl}/{e.Buildings[0]}";
        (await staff.GetStringAsync(b1)).ShouldContain("本栋走完了，没发现问题");
        var marked = await staff.PostFormAsync(b1 + "?handler=Walked", new(), formPage: b1);
        marked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        marked.Headers.Location!.OriginalString.ShouldBe(walkUrl);
        walk = await staff.GetStringAsync(walkUrl);
        walk.ShouldContain("1号楼已走完。");
        walk.ShouldContain("已走 1 / 2 栋");
        walk.ShouldContain("已走访 · 未发现问题");
        walk.ShouldContain("下一栋：2号楼");

        // Building 2: a problem. The service's messages go beside the fields; then it is recorded with its photo.
        var b2 = $"{walkUrl}/{e.Buildings[1]}";
        var empty = await PostProblemAsync(staff, b2, lamp, "");
        var emptyHtml = await empty.Content.ReadAsStringAsync();
        empty.StatusCode.ShouldBe(HttpStatusCode.OK, emptyHtml);
        emptyHtml.ShouldContain("id=\"Problem_Description-error\"");
        emptyHtml.ShouldContain("请填写问题描述。");
        var badEntrance = await PostProblemAsync(staff, b2, lamp, "楼道灯", entrance: 7);
        (await badEntrance.Content.ReadAsStringAsync()).ShouldContain("这栋楼没有这个单元。");
        var recorded = await PostProblemAsync(staff, b2, lamp, "2单元3层楼道灯不亮", entrance: 2, photo: WorkOrderPhotoTests.JpegWithGps());
        recorded.StatusCode.ShouldBe(HttpStatusCode.Redirect, await recorded.Content.ReadAsStringAsync());
        recorded.Headers.Location!.OriginalString.ShouldBe(b2);
        var building = await staff.GetStringAsync(b2);
        var number = RecordedNumber().Match(building).Groups[1].Value;
        number.ShouldNotBeNullOrEmpty();
        var orderId = Html.Attribute(building, "a[href^='/console/orders/']", "href").Split('/')[^1];
        building.ShouldContain("2号楼 2单元");
        building.ShouldContain("2单元3层楼道灯不亮");
        building.ShouldContain($"/api/work-orders/{orderId}/photos/");
        building.ShouldContain("没走完 · 已记 1 个问题");
        building.ShouldContain("本栋走完了");
        var order = await staff.GetStringAsync($"/console/orders/{orderId}");
        order.ShouldContain(number);
        order.ShouldContain("走访找问题");

        (await staff.PostFormAsync(b2 + "?handler=Walked", new(), formPage: b2)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        walk = await staff.GetStringAsync(walkUrl);
        walk.ShouldContain("已走 2 / 2 栋");
        walk.ShouldContain("已走访 · 1 个问题");
        walk.ShouldContain("所有楼栋都走完了");
        walk.ShouldContain($"href=\"/console/orders/{orderId}\"");
        var list = await staff.GetStringAsync("/console/inspections?status=open");
        list.ShouldContain("已走 2 / 2 栋");

        // English is complete.
        var english = await staff.GetStringAsync(walkUrl + "?culture=en");
        english.ShouldContain("2 / 2 buildings walked");
        english.ShouldContain("Walked · problems: 1");

        // Finishing; afterwards the building page offers nothing to record, and a late post is refused beside the form.
        var finished = await staff.PostFormAsync(walkUrl + "?handler=Finish", new(), formPage: walkUrl);
        finished.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        walk = await staff.GetStringAsync(walkUrl);
        walk.ShouldContain("走访已结束：走了 2 / 2 栋，发现问题 1 件。");
        walk.ShouldNotContain("handler=Finish");
        var closed = await staff.GetStringAsync(b2);
        closed.ShouldContain("这次走访已经结束，不能再记录问题。");
        closed.ShouldNotContain("handler=Problem");
        var late = await PostProblemAsync(staff, b2, lamp, "迟到的问题");
        late.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await late.Content.ReadAsStringAsync()).ShouldContain("这次走访已经结束，不能再记录。");
        (await staff.GetStringAsync("/console/inspections?status=finished")).ShouldContain($"href=\"{walkUrl}\"");
        (await staff.GetStringAsync("/console/inspections?status=open")).ShouldNotContain($"href=\"{walkUrl}\"");
    }

    [Fact]
    public async Task Other_communities_and_roles_without_walks_are_refused_on_the_pages()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var e = await InspectionWalkTests.EstateAsync(api, 1);
        var id = (await (await api.PostAsJsonAsync("/api/inspections", new { estateId = e.Id })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var walkUrl = $"/inspections/{id}";
        var buildingUrl = $"{walkUrl}/{e.Buildings[0]}";

        var sunshine = await app.PagesAsAsync(Clients.OtherSecretary);
        (await sunshine.GetStringAsync("/console/inspections")).ShouldNotContain(e.Name);
        (await sunshine.GetAsync(walkUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sunshine.GetAsync(buildingUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sunshine.PostFormAsync(buildingUrl + "?handler=Walked", new(), formPage: "/console/inspections")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sunshine.PostFormAsync(walkUrl + "?handler=Finish", new(), formPage: "/console/inspections")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A grid member does not see a walk with no building of the own grids.
        var grid = await app.PagesAsAsync(Clients.GridMember);
        (await grid.GetStringAsync("/console/inspections")).ShouldContain("href=\"/console/inspections\"");
        (await grid.GetAsync(walkUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await grid.GetAsync(buildingUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Property staff keep their console but have no walks; residents and volunteers are sent to the refusal page.
        var property = await app.PagesAsAsync(WorkOrderFlowTests.PropertyStaff);
        (await property.GetStringAsync("/console/orders")).ShouldNotContain("href=\"/console/inspections\"");
        foreach (var (client, who) in new[] { (property, "property"), (await app.PagesAsAsync(Clients.Resident, totpKey: null), "resident"), (await app.PagesAsAsync(Clients.Volunteer, totpKey: null), "volunteer") })
        {
            foreach (var path in new[] { "/console/inspections", walkUrl, buildingUrl })
            {
                var refused = await client.GetAsync(path);
                refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"{who} {path}");
                refused.Headers.Location!.OriginalString.ShouldContain("/account/denied", customMessage: $"{who} {path}");
            }
        }
        var walk = await (await api.GetAsync($"/api/inspections/{id}")).JsonAsync(HttpStatusCode.OK);
        walk.GetProperty("done").GetInt32().ShouldBe(0);
        walk.GetProperty("finished").GetBoolean().ShouldBeFalse();
    }

    [GeneratedRegex("已记下，生成工单 (\\d+)。")]
    private static partial Regex RecordedNumber();

}
