using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Audit;

/// <summary>The authorization policies of this module, added by its registration.</summary>
public static class AuditPolicies
{
    public const string ReadAudit = nameof(ReadAudit);

    internal static void Add(IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(ReadAudit, p => p.RequireStaffRole(Roles.AuditAdmin));
}
