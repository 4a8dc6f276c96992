using Linli.Tests.Support;
using Linli.Web.Features.Users;

namespace Linli.Tests.Features.Users;

[Collection(AppCollection.Name)]
public sealed class AdminCommandTests(LinliFactory app)
{
    [Fact]
    public async Task A_new_deployment_creates_its_first_administrator_from_the_shell()
    {
        var phone = UsersApiTests.NewPhone();
        var output = new StringWriter();
        (await AdminCommand.RunAsync(app.Services, ["admin", "create", "--phone", phone, "--name", "首位安全员", "--role", "SecurityAdmin"], output, new StringReader("First#Admin2026\n")))
            .ShouldBe(0, output.ToString());
        // The password works; the account has to enrol TOTP before anything else.
        var api = await app.ApiAsAsync(phone, "First#Admin2026", totpKey: null);
        (await api.GetAsync("/api/users")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);

        (await AdminCommand.RunAsync(app.Services, ["admin", "create", "--phone", phone, "--name", "x", "--role", "SecurityAdmin"], new StringWriter(), new StringReader("First#Admin2026\n"))).ShouldBe(1);
        (await AdminCommand.RunAsync(app.Services, ["admin", "create", "--phone", "123", "--name", "x", "--role", "SecurityAdmin"], new StringWriter(), new StringReader(""))).ShouldBe(2);
        (await AdminCommand.RunAsync(app.Services, ["admin", "create", "--phone", UsersApiTests.NewPhone(), "--name", "x", "--role", "Staff"], new StringWriter(), new StringReader(""))).ShouldBe(2);
        (await AdminCommand.RunAsync(app.Services, ["admin", "create", "--phone", UsersApiTests.NewPhone(), "--name", "x", "--role", "AuditAdmin"], new StringWriter(), new StringReader("weak\n"))).ShouldBe(2);
    }
}
