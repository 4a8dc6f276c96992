using System.Net;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Residents;

[Collection(AppCollection.Name)]
public sealed class ResidentPagesTests(LinliFactory app)
{
    [Fact]
    public async Task Staff_register_a_resident_on_the_page_see_the_number_masked_and_reveal_it_with_a_reason()
    {
        var pages = await app.PagesAsAsync(Clients.Secretary);
        var id = ResidentsApiTests.IdFor(new DateOnly(1938, 8, 15), 111);
        var created = await pages.PostFormAsync("/console/residents", new() { ["Input.Name"] = "赵老太", ["Input.IdNumber"] = id });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var url = created.Headers.Location!.OriginalString;

        var detail = await pages.GetAsync(url);
        detail.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var html = await detail.Content.ReadAsStringAsync();
        html.ShouldContain(id[..3] + new string('*', 11) + id[^4..]);
        html.ShouldNotContain(id);
        html.ShouldContain("80岁以上");

        var token = Clients.AntiforgeryToken(html);
        var noReason = new HttpRequestMessage(HttpMethod.Post, url + "?handler=Reveal") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "", ["__RequestVerificationToken"] = token }) };
        noReason.Headers.Add("HX-Request", "true");
        var refused = await (await pages.SendAsync(noReason)).Content.ReadAsStringAsync();
        refused.ShouldNotContain(id);
        refused.ShouldContain("原因");

        var reveal = new HttpRequestMessage(HttpMethod.Post, url + "?handler=Reveal") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "核对低保材料", ["__RequestVerificationToken"] = token }) };
        reveal.Headers.Add("HX-Request", "true");
        var response = await pages.SendAsync(reveal);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var fragment = await response.Content.ReadAsStringAsync();
        fragment.ShouldContain(id);
        fragment.ShouldNotContain("<form"); // the reveal form is replaced by the number

        // Leaving and coming back shows the masked number again.
        (await pages.GetStringAsync(url)).ShouldNotContain(id);
    }

    [Fact]
    public async Task A_bad_id_number_on_the_page_is_explained_beside_the_field_and_kept_for_correction()
    {
        var pages = await app.PagesAsAsync(Clients.Staff);
        var response = await pages.PostFormAsync("/console/residents", new() { ["Input.Name"] = "错号", ["Input.IdNumber"] = "13010819440308201" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"Input_IdNumber-error\"");
        html.ShouldContain("身份证号应为18位");
        html.ShouldContain("value=\"错号\"");
    }

    [Fact]
    public async Task The_registry_pages_are_closed_to_residents_and_to_other_communities()
    {
        var resident = await app.PagesAsAsync(Clients.Resident);
        (await resident.GetAsync("/console/residents")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var staff = await app.PagesAsAsync(Clients.Staff);
        var created = await staff.PostFormAsync("/console/residents", new() { ["Input.Name"] = "隔离测试" });
        var url = created.Headers.Location!.OriginalString;
        var other = await app.PagesAsAsync(Clients.OtherSecretary);
        (await other.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
