using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Privacy;

namespace Linli.Web.Infrastructure.Auditing;

/// <summary>Writes the append-only audit log: who did what to which object, when, from where, and whether it worked.</summary>
public sealed class AuditLog(AppDbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    /// <summary>Adds an entry to the current unit of work, so it is saved together with the change it describes.</summary>
    public void Add(string @event, string? objectType = null, string? objectId = null, string? detail = null, bool succeeded = true,
        Guid? userId = null, string? userName = null, Guid? communityId = null)
    {
        var ctx = http.HttpContext;
        var user = ctx?.User;
        userId ??= user?.UserId();
        userName ??= user?.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
        db.AuditEntries.Add(new AuditEntry(clock.GetUtcNow().UtcDateTime, userId, userName is null ? null : Mask.Phone(userName),
            @event, objectType, objectId, detail, succeeded, ctx?.Connection.RemoteIpAddress?.ToString(), communityId));
    }

    /// <summary>Adds an entry and saves at once (sign-in events, where there is no other change to save).</summary>
    public async Task WriteAsync(string @event, string? objectType = null, string? objectId = null, string? detail = null, bool succeeded = true,
        Guid? userId = null, string? userName = null, Guid? communityId = null)
    {
        Add(@event, objectType, objectId, detail, succeeded, userId, userName, communityId);
        await db.SaveChangesAsync();
    }
}
