using System.Security.Claims;
using Linli.Web.Features.Grids;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Privacy;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Users;

public sealed class NewUserInput
{
    public string? Phone { get; set; }
    public string? DisplayName { get; set; }
    public string? Password { get; set; }
    public string? Role { get; set; }
    /// <summary>The community the account works in (a secretary's own by default).</summary>
    public Guid? CommunityId { get; set; }
}

public sealed class ScopeInput
{
    public ScopeKind Kind { get; set; }
    public Guid? TargetId { get; set; }
    public string? SubdistrictCode { get; set; }
}

public sealed record UserRow(Guid Id, string PhoneMasked, string DisplayName, IReadOnlyList<string> Roles, bool IsDisabled, bool TwoFactor, bool LockedOut, DateTime CreatedAt);

public sealed record ScopeRow(Guid Id, ScopeKind Kind, Guid? TargetId, string? SubdistrictCode, string Label);

public sealed record UserDetail(UserRow User, IReadOnlyList<ScopeRow> Scopes);

/// <summary>
/// Accounts, roles and scopes, managed by a secretary (inside the own community, never administrator roles) or by
/// the security administrator. Every change is written to the audit log and renews the user's security stamp so
/// that it takes effect within a minute.
/// </summary>
public sealed class UsersService(AppDbContext db, UserManager<AppUser> users, TenantScope scope, AuditLog audit, Texts t, TimeProvider clock)
{
    private static bool IsSecurityAdmin(ClaimsPrincipal actor) => actor.IsInRole(Roles.SecurityAdmin);

    public async Task<List<UserRow>> ListAsync(ClaimsPrincipal actor, string? query = null, CancellationToken ct = default)
    {
        var q = ManageableUsers(actor);
        if (!string.IsNullOrWhiteSpace(query))
        {
            var s = query.Trim();
            q = q.Where(u => u.DisplayName.Contains(s) || u.UserName!.EndsWith(s));
        }
        var list = await q.OrderBy(u => u.DisplayName).Take(500).ToListAsync(ct);
        return await RowsAsync(list, ct);
    }

    public async Task<UserDetail> DetailAsync(ClaimsPrincipal actor, Guid id, CancellationToken ct = default)
    {
        var user = await ManageableUsers(actor).Include(u => u.Scopes).FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException();
        var row = (await RowsAsync([user], ct))[0];
        var communityIds = user.Scopes.Where(s => s.CommunityId.HasValue).Select(s => s.CommunityId!.Value).ToList();
        var communities = await db.Communities.IgnoreQueryFilters().Where(c => communityIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ShortName, ct);
        var gridIds = user.Scopes.Where(s => s.Kind == ScopeKind.Grid).Select(s => s.TargetId!.Value).ToList();
        var grids = await db.Grids.IgnoreQueryFilters().Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        var codes = user.Scopes.Where(s => s.SubdistrictCode != null).Select(s => s.SubdistrictCode!).ToList();
        var subdistricts = await db.Divisions.Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var scopes = user.Scopes.Select(s => new ScopeRow(s.Id, s.Kind, s.TargetId, s.SubdistrictCode, s.Kind switch
        {
            ScopeKind.Community => communities.GetValueOrDefault(s.CommunityId!.Value, "?"),
            ScopeKind.Grid => $"{communities.GetValueOrDefault(s.CommunityId!.Value, "?")} · {grids.GetValueOrDefault(s.TargetId!.Value, "?")}",
            ScopeKind.Subdistrict => subdistricts.GetValueOrDefault(s.SubdistrictCode!, s.SubdistrictCode!),
            _ => s.TargetId.ToString()!,
        })).OrderBy(s => s.Kind).ThenBy(s => s.Label).ToList();
        return new UserDetail(row, scopes);
    }

    public async Task<AppUser> CreateAsync(ClaimsPrincipal actor, NewUserInput input, CancellationToken ct = default)
    {
        var v = new InputValidator(t).Mobile(nameof(input.Phone), input.Phone).Text(nameof(input.DisplayName), input.DisplayName, "field.person_name", 50);
        if (string.IsNullOrEmpty(input.Password)) v.Add(nameof(input.Password), t.Get("validation.required", t.Get("field.password")));
        else if (!PasswordRules.IsStrong(input.Password)) v.Add(nameof(input.Password), t.Get("account.password_rules"));
        if (string.IsNullOrEmpty(input.Role) || !Roles.All.Contains(input.Role)) v.Add(nameof(input.Role), t.Get("validation.choose", t.Get("field.role")));
        v.ThrowIfInvalid();
        EnsureMayGrant(actor, input.Role!);
        Guid? communityId = null;
        if (input.CommunityId is { } cid)
        {
            if (!scope.CanSee(cid) && !IsSecurityAdmin(actor)) throw new NotFoundException();
            if (!await db.Communities.IgnoreQueryFilters().AnyAsync(c => c.Id == cid, ct)) throw new NotFoundException();
            communityId = cid;
        }
        else if (!IsSecurityAdmin(actor))
        {
            communityId = scope.CommunityIds.Count == 1 ? scope.CommunityIds[0] : throw DomainException.Invalid(nameof(input.CommunityId), "console.community_required");
        }
        var phone = input.Phone!.Trim();
        if (await users.FindByNameAsync(phone) is not null) throw DomainException.Invalid(nameof(input.Phone), "users.phone_taken");

        var user = new AppUser { UserName = phone, PhoneNumber = phone, DisplayName = input.DisplayName!.Trim(), CreatedAt = clock.GetUtcNow().UtcDateTime };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Check(await users.CreateAsync(user, input.Password!), nameof(input.Password));
        Check(await users.AddToRoleAsync(user, input.Role!), nameof(input.Role));
        if (communityId is { } c) db.UserScopes.Add(UserScope.ForCommunity(user.Id, c));
        audit.Add(AuditEvents.UserCreated, "User", user.Id.ToString(), $"role={input.Role}", communityId: communityId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }

    public async Task GrantRoleAsync(ClaimsPrincipal actor, Guid id, string role, CancellationToken ct = default)
    {
        var user = await ManagedUserAsync(actor, id, ct);
        if (!Roles.All.Contains(role)) throw DomainException.Invalid("role", "validation.choose", "field.role");
        EnsureMayGrant(actor, role);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(role)) return;
        if (Roles.SeparatedAdmins.Contains(role) && current.Any(r => Roles.SeparatedAdmins.Contains(r)))
            throw new DomainException("users.separated_admins");
        Check(await users.AddToRoleAsync(user, role), "role");
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(AuditEvents.RoleGranted, "User", user.Id.ToString(), $"role={role}");
    }

    public async Task RevokeRoleAsync(ClaimsPrincipal actor, Guid id, string role, CancellationToken ct = default)
    {
        var user = await ManagedUserAsync(actor, id, ct);
        EnsureMayGrant(actor, role);
        if (!await users.IsInRoleAsync(user, role)) return;
        Check(await users.RemoveFromRoleAsync(user, role), "role");
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(AuditEvents.RoleRevoked, "User", user.Id.ToString(), $"role={role}");
    }

    public async Task<UserScope> AddScopeAsync(ClaimsPrincipal actor, Guid id, ScopeInput input, CancellationToken ct = default)
    {
        var user = await ManagedUserAsync(actor, id, ct);
        UserScope s;
        switch (input.Kind)
        {
            case ScopeKind.Community when input.TargetId is { } cid:
                if (!(scope.CanSee(cid) || IsSecurityAdmin(actor)) || !await db.Communities.IgnoreQueryFilters().AnyAsync(c => c.Id == cid, ct)) throw new NotFoundException();
                s = UserScope.ForCommunity(user.Id, cid);
                break;
            case ScopeKind.Grid when input.TargetId is { } gid:
                var grid = await db.Grids.IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == gid, ct);
                if (grid is null || !(scope.CanSee(grid.CommunityId) || IsSecurityAdmin(actor))) throw new NotFoundException();
                s = UserScope.ForGrid(user.Id, grid.CommunityId, grid.Id);
                break;
            case ScopeKind.Subdistrict when IsSecurityAdmin(actor) && !string.IsNullOrEmpty(input.SubdistrictCode):
                if (!await db.Divisions.AnyAsync(d => d.Code == input.SubdistrictCode && d.Level == Places.Divisions.DivisionLevel.Subdistrict, ct))
                    throw DomainException.Invalid(nameof(input.SubdistrictCode), "places.division_code_unknown", input.SubdistrictCode!);
                s = UserScope.ForSubdistrict(user.Id, input.SubdistrictCode!);
                break;
            case ScopeKind.Subdistrict:
                throw new DomainException("users.scope_not_allowed", status: StatusCodes.Status403Forbidden);
            default:
                throw DomainException.Invalid(nameof(input.Kind), "users.scope_invalid");
        }
        if (await db.UserScopes.AnyAsync(x => x.UserId == user.Id && x.Kind == s.Kind && x.TargetId == s.TargetId && x.SubdistrictCode == s.SubdistrictCode, ct))
            throw new DomainException("users.scope_exists");
        db.UserScopes.Add(s);
        audit.Add(AuditEvents.ScopeGranted, "User", user.Id.ToString(), $"{s.Kind}={s.TargetId?.ToString() ?? s.SubdistrictCode}", communityId: s.CommunityId);
        await db.SaveChangesAsync(ct);
        await users.UpdateSecurityStampAsync(user);
        return s;
    }

    public async Task RemoveScopeAsync(ClaimsPrincipal actor, Guid id, Guid scopeId, CancellationToken ct = default)
    {
        var user = await ManagedUserAsync(actor, id, ct);
        var s = await db.UserScopes.FirstOrDefaultAsync(x => x.Id == scopeId && x.UserId == user.Id, ct) ?? throw new NotFoundException();
        if (!IsSecurityAdmin(actor) && (s.CommunityId is not { } c || !scope.CanSee(c))) throw new NotFoundException();
        db.UserScopes.Remove(s);
        audit.Add(AuditEvents.ScopeRevoked, "User", user.Id.ToString(), $"{s.Kind}={s.TargetId?.ToString() ?? s.SubdistrictCode}", communityId: s.CommunityId);
        await db.SaveChangesAsync(ct);
        await users.UpdateSecurityStampAsync(user);
    }

    public async Task SetDisabledAsync(ClaimsPrincipal actor, Guid id, bool disabled, CancellationToken ct = default)
    {
        var user = await ManagedUserAsync(actor, id, ct);
        if (user.IsDisabled == disabled) return;
        user.IsDisabled = disabled;
        Check(await users.UpdateAsync(user), "id");
        await users.UpdateSecurityStampAsync(user); // ends the user's sessions at the next validation
        await audit.WriteAsync(disabled ? AuditEvents.UserDisabled : AuditEvents.UserEnabled, "User", user.Id.ToString());
    }

    /// <summary>A secretary manages accounts scoped to the own communities; the security administrator manages all.</summary>
    private IQueryable<AppUser> ManageableUsers(ClaimsPrincipal actor)
    {
        if (IsSecurityAdmin(actor)) return db.Users;
        var mine = scope.CommunityIds;
        return db.Users.Where(u => db.UserScopes.Any(s => s.UserId == u.Id && s.CommunityId != null && mine.Contains(s.CommunityId.Value)));
    }

    private async Task<AppUser> ManagedUserAsync(ClaimsPrincipal actor, Guid id, CancellationToken ct)
    {
        var user = await ManageableUsers(actor).FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException();
        if (user.Id == actor.UserId()) throw new DomainException("users.not_yourself", status: StatusCodes.Status403Forbidden);
        if (!IsSecurityAdmin(actor))
        {
            // Roles are global: a person who also works in another community (or a subdistrict) is the security admin's to change.
            var mine = scope.CommunityIds;
            if (await db.UserScopes.AnyAsync(s => s.UserId == user.Id && (s.CommunityId == null || !mine.Contains(s.CommunityId.Value)), ct))
                throw new DomainException("users.not_allowed", status: StatusCodes.Status403Forbidden);
            var roles = await users.GetRolesAsync(user);
            if (roles.Any(r => !Roles.GrantableBySecretary.Contains(r))) throw new DomainException("users.not_allowed", status: StatusCodes.Status403Forbidden);
        }
        return user;
    }

    private static void EnsureMayGrant(ClaimsPrincipal actor, string role)
    {
        if (IsSecurityAdmin(actor)) return;
        if (actor.IsInRole(Roles.Secretary) && Roles.GrantableBySecretary.Contains(role)) return;
        throw new DomainException("users.role_not_allowed", [role], StatusCodes.Status403Forbidden, "role");
    }

    private async Task<List<UserRow>> RowsAsync(List<AppUser> list, CancellationToken ct)
    {
        var ids = list.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return list.Select(u => new UserRow(u.Id, Mask.Phone(u.UserName), u.DisplayName,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).OrderBy(r => Array.IndexOf(Roles.All, r)).ToList(),
            u.IsDisabled, u.TwoFactorEnabled, u.LockoutEnd > now, u.CreatedAt)).ToList();
    }

    private void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
            throw new ValidationFailedException(new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Code == "DuplicateUserName" ? t.Get("users.phone_taken") : e.Description).ToArray() });
    }
}
