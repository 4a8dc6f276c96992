using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Places;

/// <summary>The authorization policies of this module, added by its registration.</summary>
public static class PlacePolicies
{
    public const string ManagePlaces = nameof(ManagePlaces);
    public const string ManageCommunities = nameof(ManageCommunities);
    /// <summary>Those who work with a community's places and grids.</summary>
    public const string ReadPlaces = nameof(ReadPlaces);

    internal static void Add(IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(ManagePlaces, p => p.RequireStaffRole(Roles.Staff, Roles.Secretary))
        .AddPolicy(ManageCommunities, p => p.RequireStaffRole(Roles.SystemAdmin))
        .AddPolicy(ReadPlaces, p => p.RequireStaffRole(Roles.CommunityWorkers));
}
