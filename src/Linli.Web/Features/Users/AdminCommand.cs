using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;

namespace Linli.Web.Features.Users;

/// <summary>
/// The first administrators of a new deployment (without the demo), from the server's shell:
/// <code>dotnet run --project src/Linli.Web -- admin create --phone 13812345678 --name 张三 --role SecurityAdmin</code>
/// The password is read from LINLI_ADMIN_PASSWORD or typed at the prompt; it never appears in the command line.
/// </summary>
public static class AdminCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextReader input)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var phone = Arg("--phone");
        var name = Arg("--name");
        var role = Arg("--role");
        if (args is not ["admin", "create", ..] || phone is null || name is null || role is null || !Roles.SeparatedAdmins.Contains(role))
        {
            output.WriteLine("usage: admin create --phone <mobile> --name <name> --role SystemAdmin|SecurityAdmin|AuditAdmin");
            output.WriteLine("用法: admin create --phone <手机号> --name <姓名> --role SystemAdmin|SecurityAdmin|AuditAdmin");
            return 2;
        }
        if (!InputValidator.IsMobile(phone))
        {
            output.WriteLine("The phone must be an 11-digit mainland mobile number. 手机号应为11位大陆手机号。");
            return 2;
        }
        var password = Environment.GetEnvironmentVariable("LINLI_ADMIN_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            output.Write("Password 密码: ");
            password = input.ReadLine();
        }
        if (!PasswordRules.IsStrong(password))
        {
            output.WriteLine("At least 8 characters with 3 of: upper, lower, digits, symbols. 密码至少8位，含大写、小写、数字、符号中的3种。");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(phone) is not null)
        {
            output.WriteLine("An account with this phone exists already. 该手机号已有账号。");
            return 1;
        }
        var user = new AppUser { UserName = phone, PhoneNumber = phone, DisplayName = name, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, password!);
        if (result.Succeeded) result = await users.AddToRoleAsync(user, role);
        if (!result.Succeeded)
        {
            output.WriteLine(string.Join("; ", result.Errors.Select(e => e.Description)));
            return 1;
        }
        await scope.ServiceProvider.GetRequiredService<Infrastructure.Auditing.AuditLog>()
            .WriteAsync(Infrastructure.Auditing.AuditEvents.UserCreated, "User", user.Id.ToString(), $"role={role} (command line)");
        output.WriteLine($"Created {role} {name}. They enrol two-factor authentication at their first sign-in. 已创建，首次登录时绑定动态验证码。");
        return 0;
    }
}
