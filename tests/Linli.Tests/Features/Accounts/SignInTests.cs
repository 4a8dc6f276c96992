using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Features.Users;
using Linli.Tests.Support;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.Accounts;

[Collection(AppCollection.Name)]
public sealed class SignInTests(LinliFactory app)
{
    private async Task<string> NewAccountAsync(string role = "Resident", string password = "Welcome#2026")
    {
        var security = await app.ApiAsAsync(Clients.SecurityAdmin);
        var phone = UsersApiTests.NewPhone();
        (await security.PostAsJsonAsync("/api/users", new { phone, displayName = "测试用户", password, role })).StatusCode.ShouldBe(HttpStatusCode.Created);
        return phone;
    }

    [Fact]
    public async Task A_resident_gets_a_bearer_token_and_reads_who_they_are()
    {
        var api = await app.ApiAsAsync(Clients.Resident);
        var me = await (await api.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        me.GetProperty("displayName").GetString().ShouldBe("王秀兰");
        me.GetProperty("phone").GetString().ShouldBe("139****0001");
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["Resident"]);
    }

    [Fact]
    public async Task A_login_name_that_is_not_a_mobile_number_is_a_400_naming_the_field()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { phone = "admin", password = "x" });
        await response.ShouldBeFieldErrorAsync("phone");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_written_to_the_audit_log_with_the_ip()
    {
        var phone = await NewAccountAsync();
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { phone, password = "Wrong#2026x" });
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        var log = await (await audit.GetAsync($"/api/audit?event=auth.sign_in_failed&user={phone[7..]}&size=100")).JsonAsync(HttpStatusCode.OK);
        var row = log.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("userName").GetString() == phone[..3] + "****" + phone[7..]);
        row.GetProperty("succeeded").GetBoolean().ShouldBeFalse();
        row.GetProperty("ip").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account_for_15_minutes()
    {
        var phone = await NewAccountAsync();
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
            (await client.PostAsJsonAsync("/api/auth/token", new { phone, password = "Wrong#2026x" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var locked = await client.PostAsJsonAsync("/api/auth/token", new { phone, password = "Welcome#2026" });
        locked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("15");

        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(phone);
        user!.LockoutEnd!.Value.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
        var log = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEntries.CountAsync(a => a.Event == "auth.locked_out" && a.UserId == user.Id);
        log.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Staff_need_the_totp_code_as_well_as_the_password()
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { phone = Clients.Staff, password = Clients.Password });
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.PostAsJsonAsync("/api/auth/token", new { phone = Clients.Staff, password = Clients.Password, twoFactorCode = "000000" }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await Clients.TokenAsync(client, Clients.Staff);
    }

    [Fact]
    public async Task Staff_who_have_not_enrolled_totp_can_only_reach_the_enrolment()
    {
        var phone = await NewAccountAsync("Staff");
        var api = await app.ApiAsAsync(phone, "Welcome#2026", totpKey: null);
        var refused = await api.GetAsync("/api/estates");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var pages = app.Anonymous();
        var login = await pages.PostFormAsync("/account/login", new() { ["Phone"] = phone, ["Password"] = "Welcome#2026" });
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var console = await pages.GetAsync("/console");
        console.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        console.Headers.Location!.OriginalString.ShouldStartWith("/account/2fa/enrol");

        // Enrol with the key the page shows, as an authenticator app would.
        var page = await pages.GetStringAsync("/account/2fa/enrol");
        var key = Html.Text(page, "#totp-key").Replace(" ", "").ToUpperInvariant();
        var wrong = await pages.PostFormAsync("/account/2fa/enrol", new() { ["Code"] = "123456" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("验证码不对");
        var enrolled = await pages.PostFormAsync("/account/2fa/enrol", new() { ["Code"] = Linli.Web.Features.Demo.Totp.Code(key, DateTimeOffset.UtcNow) });
        enrolled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await pages.GetAsync("/console")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Clients.TokenAsync(app.CreateClient(), phone, "Welcome#2026", key);
    }

    [Fact]
    public async Task A_user_changes_the_password_and_the_old_one_stops_working()
    {
        var phone = await NewAccountAsync();
        var api = await app.ApiAsAsync(phone, "Welcome#2026", null);
        await (await api.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Welcome#2026", newPassword = "weak" })).ShouldBeFieldErrorAsync("NewPassword");
        await (await api.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Nope#20261", newPassword = "Better#2027" })).ShouldBeFieldErrorAsync("CurrentPassword");
        (await api.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Welcome#2026", newPassword = "Better#2027" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { phone, password = "Welcome#2026" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await Clients.TokenAsync(app.CreateClient(), phone, "Better#2027", null);
    }

    [Fact]
    public async Task Signing_in_and_out_through_the_pages_is_audited()
    {
        var pages = await app.PagesAsAsync(Clients.Resident);
        (await pages.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var logout = await pages.PostFormAsync("/account/logout", [], formPage: "/me");
        logout.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await pages.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        var log = await (await audit.GetAsync("/api/audit?event=auth.sign_out&user=0001")).JsonAsync(HttpStatusCode.OK);
        log.GetProperty("total").GetInt32().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_refresh_token_gives_a_new_access_token()
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { phone = Clients.Resident, password = Clients.Password });
        var tokens = await response.JsonAsync(HttpStatusCode.OK);
        var refreshed = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() })).JsonAsync(HttpStatusCode.OK);
        refreshed.GetProperty("accessToken").GetString().ShouldNotBeNullOrEmpty();
        (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "garbage" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

/// <summary>Sessions, with the app's clock moved by the test.</summary>
public sealed class SessionTests : IClassFixture<FakeClockFactory>
{
    private readonly FakeClockFactory _app;

    public SessionTests(FakeClockFactory app) => _app = app;

    [Fact]
    public async Task A_staff_session_ends_after_15_idle_minutes_and_a_residents_does_not()
    {
        var staff = await _app.PagesAsAsync(Clients.Staff);
        var resident = await _app.PagesAsAsync(Clients.Resident);
        (await staff.GetAsync("/console")).StatusCode.ShouldBe(HttpStatusCode.OK);

        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        (await staff.GetAsync("/console")).StatusCode.ShouldBe(HttpStatusCode.OK); // activity keeps it alive

        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        var expired = await staff.GetAsync("/console");
        expired.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        expired.Headers.Location!.OriginalString.ShouldContain("/account/login");

        var home = await resident.GetAsync("/me");
        home.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
    [Fact]
    public async Task A_remembered_sign_in_still_ends_when_the_account_is_disabled_and_a_tampered_cookie_is_refused()
    {
        var security = await _app.ApiAsAsync(Clients.SecurityAdmin);
        var phone = UsersApiTests.NewPhone();
        var user = await (await security.PostAsJsonAsync("/api/users", new { phone, displayName = "缓存会话", password = "Welcome#2026", role = "Resident" })).JsonAsync(HttpStatusCode.Created);
        var id = user.GetProperty("user").GetProperty("id").GetGuid();
        var resident = await _app.PagesAsAsync(phone, "Welcome#2026", null);
        (await resident.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await resident.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK); // the ticket is now remembered

        // The same cookie with one character changed decrypts to nothing and is not served from memory.
        var login = await _app.Anonymous().PostFormAsync("/account/login", new() { ["Phone"] = phone, ["Password"] = "Welcome#2026" });
        var auth = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("linli.auth=", StringComparison.Ordinal));
        var value = auth["linli.auth=".Length..auth.IndexOf(';')];
        var tampered = value[..^3] + (value[^3] == 'A' ? 'B' : 'A') + value[^2..];
        foreach (var v in new[] { value, tampered })
        {
            var raw = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            request.Headers.Add("Cookie", "linli.auth=" + v);
            var response = await raw.SendAsync(request);
            response.StatusCode.ShouldBe(v == value ? HttpStatusCode.OK : HttpStatusCode.Redirect);
        }

        (await security.PostAsync($"/api/users/{id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        _app.Clock.Advance(AuthSetup.SecurityStampInterval + TimeSpan.FromSeconds(1));
        var ended = await resident.GetAsync("/me");
        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        ended.Headers.Location!.OriginalString.ShouldContain("/account/login");
    }
}
