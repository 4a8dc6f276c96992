namespace Linli.Web.Infrastructure.Auth;

/// <summary>The roles of Linli. Scopes (community, grid, partner unit, team, subdistrict) decide what a role sees.</summary>
public static class Roles
{
    public const string Resident = nameof(Resident);
    public const string GridMember = nameof(GridMember);
    public const string Staff = nameof(Staff);
    public const string Secretary = nameof(Secretary);
    public const string PropertyStaff = nameof(PropertyStaff);
    public const string PartnerMember = nameof(PartnerMember);
    public const string Volunteer = nameof(Volunteer);
    public const string SubdistrictAdmin = nameof(SubdistrictAdmin);
    public const string SystemAdmin = nameof(SystemAdmin);
    public const string SecurityAdmin = nameof(SecurityAdmin);
    public const string AuditAdmin = nameof(AuditAdmin);

    public static readonly string[] All =
        [Resident, GridMember, Staff, Secretary, PropertyStaff, PartnerMember, Volunteer, SubdistrictAdmin, SystemAdmin, SecurityAdmin, AuditAdmin];

    /// <summary>The three separated administrators of a level-3 assessment (等保2.0): one person holds at most one.</summary>
    public static readonly string[] SeparatedAdmins = [SystemAdmin, SecurityAdmin, AuditAdmin];

    /// <summary>Roles that work in the staff console; they must enrol TOTP two-factor and their sessions end after 15 idle minutes.</summary>
    public static readonly string[] StaffRoles =
        [GridMember, Staff, Secretary, PropertyStaff, PartnerMember, SubdistrictAdmin, SystemAdmin, SecurityAdmin, AuditAdmin];

    /// <summary>Roles that work with the places and grids of a community.</summary>
    public static readonly string[] CommunityWorkers = [Staff, Secretary, GridMember, SubdistrictAdmin];

    /// <summary>Roles that read the residents registry (policy Registry); a grid member only the own grids' residents.</summary>
    public static readonly string[] RegistryReaders = [Staff, Secretary, SubdistrictAdmin, GridMember];

    /// <summary>Roles a secretary may grant inside the own community (never an administrator role).</summary>
    public static readonly string[] GrantableBySecretary = [Resident, GridMember, Staff, PropertyStaff, PartnerMember, Volunteer];

    public static bool IsStaff(IEnumerable<string> roles) => roles.Any(r => StaffRoles.Contains(r));
}

/// <summary>The platform's policy names; modules name their own (e.g. <c>WorkOrderPolicies</c>).</summary>
public static class Policies
{
    public const string Console = nameof(Console);
    public const string Resident = nameof(Resident);
}

/// <summary>Claim types Linli adds to a principal.</summary>
public static class LinliClaims
{
    public const string Community = "linli:community";
    public const string Grid = "linli:grid";
    public const string PartnerUnit = "linli:partner";
    public const string Team = "linli:team";
    public const string Subdistrict = "linli:subdistrict";
    public const string TwoFactor = "linli:2fa";
    public const string DisplayName = "linli:name";
}
