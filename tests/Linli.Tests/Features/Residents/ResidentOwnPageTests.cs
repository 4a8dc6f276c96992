using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Residents;

/// <summary>The demo resident 王秀兰 (13900000001) and her household, seen from her own phone. One test: it changes her consent.</summary>
[Collection(AppCollection.Name)]
public sealed class ResidentOwnPageTests(LinliFactory app)
{
    [Fact]
    public async Task A_resident_sees_the_household_corrects_contact_details_and_withdraws_consent_for_a_sensitive_tag()
    {
        var me = await app.PagesAsAsync(Clients.Resident);
        var html = await me.GetStringAsync("/me/household");
        html.ShouldContain("张德明");
        html.ShouldContain("融创裕华壹号");
        html.ShouldContain("低保");

        var bad = await me.PostFormAsync("/me/household?handler=Contact", new() { ["Phone"] = "139", ["EmergencyContactName"] = "张小燕", ["EmergencyContactPhone"] = "13900000002" }, formPage: "/me/household");
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("id=\"Phone-error\"");
        var good = await me.PostFormAsync("/me/household?handler=Contact", new() { ["Phone"] = "13900000001", ["EmergencyContactName"] = "张小燕", ["EmergencyContactPhone"] = "13977778888" }, formPage: "/me/household");
        good.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var staff = await app.ApiAsAsync(Clients.Staff);
        var found = await (await staff.GetAsync("/api/residents?name=王秀兰&phone=0001")).JsonAsync(HttpStatusCode.OK);
        var id = found.GetProperty("rows")[0].GetProperty("id").GetGuid();
        var detail = await (await staff.GetAsync($"/api/residents/{id}")).JsonAsync(HttpStatusCode.OK);
        detail.GetProperty("emergencyContactPhoneMasked").GetString().ShouldBe("139****8888");
        detail.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("LowIncome");

        var withdrawn = await me.PostFormAsync("/me/household?handler=Consent", new() { ["kind"] = "LowIncome", ["consent"] = "false" }, formPage: "/me/household");
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Staff no longer see the tag, nor find her by it; the secretary still does; staff's tag edits keep it.
        (await (await staff.GetAsync($"/api/residents/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldNotContain("LowIncome");
        (await (await staff.GetAsync("/api/residents?name=王秀兰&tag=LowIncome")).JsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
        (await staff.PutAsJsonAsync($"/api/residents/{id}/tags", new { kinds = new[] { "EmptyNest", "PartyMember" } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var secretary = await app.ApiAsAsync(Clients.Secretary);
        (await (await secretary.GetAsync($"/api/residents/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("LowIncome");

        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        (await (await audit.GetAsync("/api/audit?event=resident.consent_withdrawn")).JsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBeGreaterThan(0);

        // Giving consent again shows it to staff again.
        (await me.PostFormAsync("/me/household?handler=Consent", new() { ["kind"] = "LowIncome", ["consent"] = "true" }, formPage: "/me/household")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await (await staff.GetAsync($"/api/residents/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("LowIncome");
    }

    [Fact]
    public async Task Staff_link_a_resident_to_an_existing_account_only()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var r = await (await staff.PostAsJsonAsync("/api/residents", new { name = Clients.Unique("待关联") })).JsonAsync(HttpStatusCode.Created);
        var id = r.GetProperty("id").GetGuid();
        await (await staff.PostAsJsonAsync($"/api/residents/{id}/account", new { phone = "13711110000" })).ShouldBeFieldErrorAsync("Phone");
        await (await staff.PostAsJsonAsync($"/api/residents/{id}/account", new { phone = Clients.Resident })).ShouldBeFieldErrorAsync("Phone"); // taken by 王秀兰
        await (await staff.PostAsJsonAsync($"/api/residents/{id}/account", new { phone = Clients.Secretary })).ShouldBeFieldErrorAsync("Phone"); // a staff account
        var secretary = await app.ApiAsAsync(Clients.Secretary);
        var phone = Features.Users.UsersApiTests.NewPhone();
        (await secretary.PostAsJsonAsync("/api/users", new { phone, displayName = "新居民", password = "Welcome#2026", role = "Resident" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await staff.PostAsJsonAsync($"/api/residents/{id}/account", new { phone })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }
}
