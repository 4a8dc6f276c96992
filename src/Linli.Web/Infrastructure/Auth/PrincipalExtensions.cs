using System.Security.Claims;

namespace Linli.Web.Infrastructure.Auth;

public static class PrincipalExtensions
{
    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(LinliClaims.DisplayName) is { Length: > 0 } name ? name : user.Identity?.Name ?? "";

    public static bool IsStaff(this ClaimsPrincipal user) => Roles.StaffRoles.Any(user.IsInRole);

    public static bool HasTwoFactor(this ClaimsPrincipal user) => user.HasClaim(LinliClaims.TwoFactor, "1");

    /// <summary>Staff who have not enrolled TOTP yet may only reach the enrolment page.</summary>
    public static bool MustEnrolTwoFactor(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsStaff() && !user.HasTwoFactor();

    public static IEnumerable<string> RoleNames(this ClaimsPrincipal user) => user.FindAll(ClaimTypes.Role).Select(c => c.Value);
}
