using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Portal;

/// <summary>
/// The residents' home page is output-cached per person (<c>PersonalPageCache</c>). What must never happen: one person
/// served another's copy, a stale language or elder mode, a lost flash message, or a cached antiforgery token that no
/// longer validates.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HomePageCacheTests(LinliFactory app)
{
    [Fact]
    public async Task Each_person_gets_their_own_home_page_even_when_it_is_cached()
    {
        var wang = await app.PagesAsAsync(Clients.Resident);
        (await wang.GetStringAsync("/")).ShouldContain("王秀兰");
        var again = await wang.GetAsync("/");
        again.Headers.Age.ShouldNotBeNull("the second GET / is served from the output cache");
        (await again.Content.ReadAsStringAsync()).ShouldContain("王秀兰");

        // A resident of another community, created by that community's secretary.
        var phone = Features.Users.UsersApiTests.NewPhone();
        var secretary = await app.ApiAsAsync(Clients.OtherSecretary);
        (await secretary.PostAsJsonAsync("/api/users", new { phone, displayName = "阳光居民", password = "Welcome#2026", role = "Resident" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var other = await app.PagesAsAsync(phone, "Welcome#2026", totpKey: null);
        var theirs = await other.GetStringAsync("/");
        theirs.ShouldContain("阳光居民");
        theirs.ShouldContain("阳光社区");
        theirs.ShouldNotContain("王秀兰");

        var anonymous = await app.Anonymous().GetStringAsync("/");
        anonymous.ShouldNotContain("王秀兰");
        anonymous.ShouldContain("/account/login");
    }

    [Fact]
    public async Task Language_elder_mode_and_flash_messages_are_never_served_stale_and_the_cached_token_still_posts()
    {
        var me = await app.PagesAsAsync(Clients.Resident);
        await me.GetStringAsync("/");
        var cached = await me.GetStringAsync("/");
        cached.ShouldContain("lang=\"zh-CN\"");

        // The token inside the (possibly cached) page is bound to this browser's antiforgery cookie: it still validates.
        var token = Clients.AntiforgeryToken(cached);
        var elderOn = await me.PostAsync("/settings?handler=Elder", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["on"] = "true", ["returnUrl"] = "/",
        }));
        elderOn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await me.GetStringAsync("/")).ShouldContain("class=\"elder");

        var english = await me.PostFormAsync("/settings?handler=Culture", new() { ["culture"] = "en", ["returnUrl"] = "/" }, formPage: "/");
        english.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await me.GetStringAsync("/")).ShouldContain("lang=\"en\"");
        (await me.PostFormAsync("/settings?handler=Culture", new() { ["culture"] = "zh-CN", ["returnUrl"] = "/" }, formPage: "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await me.PostFormAsync("/settings?handler=Elder", new() { ["on"] = "false", ["returnUrl"] = "/" }, formPage: "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var plain = await me.GetStringAsync("/");
        plain.ShouldContain("lang=\"zh-CN\"");
        plain.ShouldNotContain("class=\"elder");

        // A pending flash message (TempData cookie) is rendered and consumed, never answered from the cache.
        var repeated = await me.GetAsync("/");
        repeated.Headers.Age.ShouldNotBeNull("a repeated GET / is served from the output cache: " + repeated.Headers + repeated.Content.Headers);
        using var withFlash = new HttpRequestMessage(HttpMethod.Get, "/");
        withFlash.Headers.Add("Cookie", "linli.flash=x");
        (await me.SendAsync(withFlash)).Headers.Age.ShouldBeNull();

        // And a real flash is shown once after its redirect, then gone.
        var saved = await me.PostFormAsync("/me/household?handler=Contact", new() { ["Phone"] = Clients.Resident, ["EmergencyContactName"] = "张小燕", ["EmergencyContactPhone"] = "13977778888" }, formPage: "/me/household");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await me.GetStringAsync(saved.Headers.Location!.OriginalString)).ShouldContain("class=\"flash\"");
        (await me.GetStringAsync(saved.Headers.Location!.OriginalString)).ShouldNotContain("class=\"flash\"");
    }
}
