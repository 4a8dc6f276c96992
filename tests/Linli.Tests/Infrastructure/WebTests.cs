using System.Net;
using System.Text.RegularExpressions;
using Linli.Tests.Support;

namespace Linli.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class WebTests(LinliFactory app)
{
    [Fact]
    public async Task Health_endpoints_answer_and_ready_checks_the_database()
    {
        var client = app.CreateClient();
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var doc = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        doc.ShouldContain("/api/estates");
        doc.ShouldContain("/api/auth/token");
        (await app.CreateClient().GetAsync("/api-reference")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Pages_are_chinese_by_default_and_english_on_request_and_the_choice_stays()
    {
        var client = app.Anonymous();
        var zh = await client.GetStringAsync("/account/login");
        zh.ShouldContain("<html lang=\"zh-CN\">");
        zh.ShouldContain("手机号");
        var en = await client.GetStringAsync("/account/login?culture=en");
        en.ShouldContain("Mobile number");
        var switched = await client.PostFormAsync("/settings?handler=Culture", new() { ["culture"] = "en", ["returnUrl"] = "/account/login" }, formPage: "/account/login");
        switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetStringAsync("/account/login")).ShouldContain("<html lang=\"en\">");
    }

    [Fact]
    public async Task Elder_mode_stays_on_across_pages()
    {
        var client = app.Anonymous();
        (await client.GetStringAsync("/")).ShouldNotContain("class=\"elder");
        (await client.PostFormAsync("/settings?handler=Elder", new() { ["on"] = "true", ["returnUrl"] = "/" }, formPage: "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetStringAsync("/")).ShouldContain("class=\"elder");
        (await client.GetStringAsync("/account/login")).ShouldContain("class=\"elder");
    }

    [Fact]
    public async Task An_unknown_page_shows_the_friendly_404_page()
    {
        var response = await app.Anonymous().GetAsync("/no/such/page");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("没有找到");
        html.ShouldNotContain("Exception");
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        var pages = await app.PagesAsAsync(Clients.Staff);
        var response = await pages.PostAsync("/console/estates/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Name"] = "无令牌小区" }));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_estate_form_shows_the_error_beside_the_field_and_keeps_what_was_typed()
    {
        var pages = await app.PagesAsAsync(Clients.Staff);
        var response = await pages.PostFormAsync("/console/estates/new", new() { ["Input.Name"] = new string('长', 60), ["Input.Address"] = "保留的地址" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"Input_Name-error\"");
        html.ShouldContain("小区名称最多50个字");
        html.ShouldContain("保留的地址");
    }

    [Fact]
    public async Task Client_libraries_are_served_locally_never_from_a_cdn()
    {
        var client = app.Anonymous();
        var html = await client.GetStringAsync("/");
        html.ShouldNotMatch("https?://[^\"]*(cdn|unpkg|jsdelivr)");
        var htmx = Html.Parse(html).QuerySelectorAll("script").Select(s => s.GetAttribute("src") ?? "").FirstOrDefault(s => s.StartsWith("/lib/htmx/htmx.min.", StringComparison.Ordinal) && s.Contains(".js", StringComparison.Ordinal)) ?? throw new ShouldAssertException(html);
        (await client.GetAsync(htmx)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_console_page_is_forbidden_to_a_resident()
    {
        var pages = await app.PagesAsAsync(Clients.Resident);
        var response = await pages.GetAsync("/console/estates");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldContain("/account/denied");
    }
}
