using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Users;

[Collection(AppCollection.Name)]
public sealed class UsersApiTests(LinliFactory app)
{
    public static string NewPhone() => "137" + Random.Shared.Next(10_000_000, 99_999_999);

    [Fact]
    public async Task A_secretary_creates_staff_of_the_own_community_but_grants_no_administrator_role()
    {
        var api = await app.ApiAsAsync(Clients.Secretary);
        var phone = NewPhone();
        var user = await (await api.PostAsJsonAsync("/api/users", new { phone, displayName = "新同事", password = "Welcome#2026", role = "Staff" })).JsonAsync(HttpStatusCode.Created);
        var id = user.GetProperty("user").GetProperty("id").GetGuid();
        user.GetProperty("user").GetProperty("phoneMasked").GetString().ShouldBe(phone[..3] + "****" + phone[7..]);
        user.GetProperty("scopes").GetArrayLength().ShouldBe(1);

        (await api.PostAsJsonAsync($"/api/users/{id}/roles", new { role = "SystemAdmin" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.PostAsJsonAsync("/api/users", new { phone = NewPhone(), displayName = "x", password = "Welcome#2026", role = "AuditAdmin" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.PostAsJsonAsync($"/api/users/{id}/roles", new { role = "GridMember" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        (await other.GetAsync($"/api/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Once the person also works in 阳光社区, roles (which are global) are the security admin's to change, not either secretary's.
        var security = await app.ApiAsAsync(Clients.SecurityAdmin);
        var sunshine = (await (await other.GetAsync("/api/communities")).JsonAsync(HttpStatusCode.OK))[0].GetProperty("id").GetGuid();
        (await security.PostAsJsonAsync($"/api/users/{id}/scopes", new { kind = "Community", targetId = sunshine })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.PostAsJsonAsync($"/api/users/{id}/roles", new { role = "Staff" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.PostAsync($"/api/users/{id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("12345678901", "Welcome#2026", "Phone")]
    [InlineData("13712345678", "short1A", "Password")]
    [InlineData("13712345678", "alllowercase", "Password")]
    [InlineData("13712345678", "Welcome#2026", "Role")]
    public async Task Bad_account_input_is_refused_naming_the_field(string phone, string password, string field)
    {
        var api = await app.ApiAsAsync(Clients.SecurityAdmin);
        await (await api.PostAsJsonAsync("/api/users", new { phone, displayName = "某人", password, role = field == "Role" ? "King" : "Resident" }))
            .ShouldBeFieldErrorAsync(field);
    }

    [Fact]
    public async Task The_three_administrators_are_separated()
    {
        var security = await app.ApiAsAsync(Clients.SecurityAdmin);
        var user = await (await security.PostAsJsonAsync("/api/users", new { phone = NewPhone(), displayName = "审计员二", password = "Welcome#2026", role = "AuditAdmin" })).JsonAsync(HttpStatusCode.Created);
        var id = user.GetProperty("user").GetProperty("id").GetGuid();
        (await security.PostAsJsonAsync($"/api/users/{id}/roles", new { role = "SystemAdmin" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var system = await app.ApiAsAsync(Clients.SystemAdmin);
        (await system.GetAsync("/api/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await system.GetAsync("/api/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await security.GetAsync("/api/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await security.PostAsJsonAsync("/api/communities", new { divisionCode = "130108007001" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        (await audit.GetAsync("/api/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await audit.GetAsync("/api/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_is_audited()
    {
        var security = await app.ApiAsAsync(Clients.SecurityAdmin);
        var phone = NewPhone();
        var user = await (await security.PostAsJsonAsync("/api/users", new { phone, displayName = "将停用", password = "Welcome#2026", role = "Resident" })).JsonAsync(HttpStatusCode.Created);
        var id = user.GetProperty("user").GetProperty("id").GetGuid();
        await Clients.TokenAsync(app.CreateClient(), phone, "Welcome#2026", null);

        (await security.PostAsync($"/api/users/{id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var refused = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { phone, password = "Welcome#2026" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        var log = await (await audit.GetAsync("/api/audit?event=user.disabled&size=100")).JsonAsync(HttpStatusCode.OK);
        log.GetProperty("rows").EnumerateArray().ShouldContain(r => r.GetProperty("objectId").GetString() == id.ToString());
    }

    [Fact]
    public async Task An_administrator_cannot_change_the_own_account()
    {
        var security = await app.ApiAsAsync(Clients.SecurityAdmin);
        var me = await (await security.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        (await security.PostAsJsonAsync($"/api/users/{me.GetProperty("id").GetGuid()}/roles", new { role = "AuditAdmin" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_new_grid_scope_reaches_the_user_at_the_next_sign_in()
    {
        var secretary = await app.ApiAsAsync(Clients.Secretary);
        var grids = await (await secretary.GetAsync("/api/grids")).JsonAsync(HttpStatusCode.OK);
        var gridId = grids[0].GetProperty("id").GetGuid();
        var phone = NewPhone();
        var user = await (await secretary.PostAsJsonAsync("/api/users", new { phone, displayName = "新网格员", password = "Welcome#2026", role = "Resident" })).JsonAsync(HttpStatusCode.Created);
        var id = user.GetProperty("user").GetProperty("id").GetGuid();
        var detail = await (await secretary.PostAsJsonAsync($"/api/users/{id}/scopes", new { kind = "Grid", targetId = gridId })).JsonAsync(HttpStatusCode.OK);
        detail.GetProperty("scopes").GetArrayLength().ShouldBe(2);
        (await secretary.PostAsJsonAsync($"/api/users/{id}/scopes", new { kind = "Subdistrict", subdistrictCode = "130108007" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
