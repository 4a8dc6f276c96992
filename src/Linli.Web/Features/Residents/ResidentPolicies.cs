using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Residents;

/// <summary>The authorization policies of this module, added by its registration.</summary>
public static class ResidentPolicies
{
    public const string Registry = nameof(Registry);
    public const string ManageRegistry = nameof(ManageRegistry);
    public const string RevealIdNumbers = nameof(RevealIdNumbers);
    public const string ReadReveals = nameof(ReadReveals);
    public const string Survey = nameof(Survey);

    internal static void Add(IServiceCollection services) => services.AddAuthorizationBuilder()
        // The registry: grid members read it too, limited to their grids (TenantScope.LimitedToGrids).
        .AddPolicy(Registry, p => p.RequireStaffRole(Roles.RegistryReaders))
        .AddPolicy(ManageRegistry, p => p.RequireStaffRole(Roles.Staff, Roles.Secretary))
        .AddPolicy(RevealIdNumbers, p => p.RequireStaffRole(Roles.Staff, Roles.Secretary))
        .AddPolicy(ReadReveals, p => p.RequireStaffRole(Roles.Secretary))
        // Staff, grid members and volunteers go door to door; volunteers are not console staff (no TOTP).
        .AddPolicy(Survey, p => p.RequireAssertion(ctx => ctx.User.IsInRole(Roles.Volunteer)
            || (ctx.User.HasTwoFactor() && (ctx.User.IsInRole(Roles.Staff) || ctx.User.IsInRole(Roles.Secretary) || ctx.User.IsInRole(Roles.GridMember)))));
}
