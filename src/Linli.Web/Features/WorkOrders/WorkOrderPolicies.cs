using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.WorkOrders;

/// <summary>The authorization policies of this module, added by its registration.</summary>
public static class WorkOrderPolicies
{
    public const string Metrics = nameof(Metrics);
    public const string ManageWorkOrders = nameof(ManageWorkOrders);
    /// <summary>Those who see and handle orders in the console: the office, grid members, the property company, partner units.</summary>
    public const string Orders = nameof(Orders);

    internal static void Add(IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(Metrics, p => p.RequireStaffRole(Roles.Staff, Roles.Secretary, Roles.SubdistrictAdmin))
        // The office sets up its work orders: categories, routing rules, the on-call list.
        .AddPolicy(ManageWorkOrders, p => p.RequireStaffRole(Roles.Staff, Roles.Secretary))
        .AddPolicy(Orders, p => p.RequireStaffRole(Roles.Staff, Roles.Secretary, Roles.SubdistrictAdmin, Roles.GridMember, Roles.PropertyStaff, Roles.PartnerMember));
}
