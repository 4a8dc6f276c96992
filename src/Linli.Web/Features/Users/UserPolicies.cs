using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Users;

/// <summary>The authorization policies of this module, added by its registration.</summary>
public static class UserPolicies
{
    public const string ManageUsers = nameof(ManageUsers);

    internal static void Add(IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(ManageUsers, p => p.RequireStaffRole(Roles.Secretary, Roles.SecurityAdmin));
}
