namespace Linli.Web.Infrastructure.Auditing;

/// <summary>
/// One line of the append-only security audit log: time, user, event, object, result, IP. Rows are never
/// updated or deleted: the DbContext refuses it and database triggers refuse it too.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public DateTime At { get; private set; }
    public Guid? UserId { get; private set; }
    /// <summary>The acting account, masked (138****5678), so the log itself holds no full phone number.</summary>
    public string? UserName { get; private set; }
    public string Event { get; private set; } = "";
    public string? ObjectType { get; private set; }
    public string? ObjectId { get; private set; }
    public string? Detail { get; private set; }
    public bool Succeeded { get; private set; }
    public string? Ip { get; private set; }
    public Guid? CommunityId { get; private set; }

    private AuditEntry() { }

    public AuditEntry(DateTime at, Guid? userId, string? userName, string @event, string? objectType, string? objectId,
        string? detail, bool succeeded, string? ip, Guid? communityId)
    {
        At = at;
        UserId = userId;
        UserName = userName;
        Event = @event;
        ObjectType = objectType;
        ObjectId = objectId;
        Detail = detail is { Length: > 500 } ? detail[..500] : detail;
        Succeeded = succeeded;
        Ip = ip;
        CommunityId = communityId;
    }
}

/// <summary>Audit event names (stable codes; the log page translates them).</summary>
public static class AuditEvents
{
    public const string SignIn = "auth.sign_in";
    public const string SignInFailed = "auth.sign_in_failed";
    public const string LockedOut = "auth.locked_out";
    public const string SignOut = "auth.sign_out";
    public const string PasswordChanged = "account.password_changed";
    public const string TwoFactorEnabled = "account.2fa_enabled";
    public const string UserCreated = "user.created";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string RoleGranted = "user.role_granted";
    public const string RoleRevoked = "user.role_revoked";
    public const string ScopeGranted = "user.scope_granted";
    public const string ScopeRevoked = "user.scope_revoked";
    public const string AccessDenied = "auth.access_denied";
    public const string IdNumberRevealed = "resident.id_revealed";
    public const string IdNumberSearched = "resident.id_searched";
    public const string ConsentGiven = "resident.consent_given";
    public const string ConsentWithdrawn = "resident.consent_withdrawn";
    public const string ResidentsImported = "resident.imported";
    public const string ResidentsExportedFull = "resident.exported_full";
    public const string CalendarChanged = "calendar_day.changed";
    public const string CategoryChanged = "work_order_category.changed";
    public const string RoutingChanged = "routing_rule.changed";
    public const string OnCallChanged = "on_call.changed";

    /// <summary>Every event above (read off the constants, so a new one cannot be left out of filters and texts).</summary>
    public static readonly string[] All = typeof(AuditEvents).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
}
