using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Inspections;

/// <summary>The authorization policies of this module, added by its registration.</summary>
public static class InspectionPolicies
{
    public const string Inspections = nameof(Inspections);

    // Inspection walks: the office's staff and grid members walk the estates (grid members their own grids' buildings).
    internal static void Add(IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(Inspections, p => p.RequireStaffRole(Roles.Staff, Roles.Secretary, Roles.GridMember));
}
