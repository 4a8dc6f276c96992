using Linli.Web.Infrastructure.Operations;
using Microsoft.AspNetCore.Identity;

namespace Linli.Web.Infrastructure.Auth;

/// <summary>Every role of <see cref="Roles.All"/> exists, on every deployment (with or without the demo).</summary>
public sealed class RoleSeed : IStartupTask
{
    public int Order => 10;

    public async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var roles = services.GetRequiredService<RoleManager<AppRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new AppRole(role));
        }
    }
}
