using Linli.Web.Infrastructure.Auth;

namespace Linli.Web.Features.Calendar;

/// <summary>The authorization policies of this module, added by its registration.</summary>
public static class CalendarPolicies
{
    public const string ManageCalendar = nameof(ManageCalendar);

    internal static void Add(IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(ManageCalendar, p => p.RequireStaffRole(Roles.SystemAdmin));
}
