using System.Security.Claims;
using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.Users;

public sealed record RoleRequest([property: ValuesFrom(typeof(Roles), nameof(Roles.All))] string? Role);

/// <summary>The JSON API of accounts administration (secretary or security administrator).</summary>
public static class UsersApi
{
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(new NavEntry(NavPlace.ConsoleMenu, "nav.users", "/console/users", UserPolicies.ManageUsers, 910, "nav.security"));
        UserPolicies.Add(builder.Services);
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
            o.Conventions.AuthorizeFolder("/Users", UserPolicies.ManageUsers));
        builder.Services.AddScoped<UsersService>();
        builder.Services.AddScoped<Infrastructure.Auditing.AuditLog>();
        builder.Services.AddApiTag("Users", "Accounts, their roles and scopes: a secretary inside the own community (never administrator roles), "
            + "the security administrator everywhere. Every change is audited and reaches the account's sessions within a minute.");
        return builder;
    }

    public static void MapUsersApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(UserPolicies.ManageUsers);
        api.MapGet("/", ListAsync)
            .WithName("listUsers").WithSummary("List the accounts the caller manages (by name or the phone's last digits)");
        api.MapPost("/", CreateAsync)
            .WithName("createUser").WithSummary("Create an account with one role, in a community")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new NewUserInput { Phone = "13812345678", DisplayName = "李文", Password = "Linli@2026", Role = Roles.Staff, CommunityId = ExampleCommunity });
        api.MapGet("/{id:guid}", DetailAsync)
            .WithName("getUser").WithSummary("An account with its roles and scopes");
        api.MapPost("/{id:guid}/roles", GrantAsync)
            .WithName("grantUserRole").WithSummary("Grant a role").ProducesProblem(StatusCodes.Status409Conflict)
            .WithDescription("The three separated administrators (SystemAdmin, SecurityAdmin, AuditAdmin) exclude each other: a second one is a 409.")
            .WithRequestExample(new RoleRequest(Roles.GridMember));
        // Identity answers a save that met a concurrent change of the same account with a validation error (400).
        api.MapDelete("/{id:guid}/roles/{role}", RevokeAsync).WithParameterValues("role", Roles.All)
            .WithName("revokeUserRole").WithSummary("Revoke a role").ProducesValidationProblem();
        api.MapPost("/{id:guid}/scopes", AddScopeAsync)
            .WithName("addUserScope").WithSummary("Add a scope: a community, a grid, or (security administrator) a subdistrict")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new ScopeInput { Kind = ScopeKind.Grid, TargetId = Guid.Parse("01a204c9-8bcb-7653-9e89-d669bd860b89") });
        api.MapDelete("/{id:guid}/scopes/{scopeId:guid}", RemoveScopeAsync)
            .WithName("removeUserScope").WithSummary("Remove a scope").ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/disable", (Guid id, ClaimsPrincipal me, UsersService s) => SetDisabled(id, true, me, s))
            .WithName("disableUser").WithSummary("Disable an account (its sessions end within a minute)").ProducesValidationProblem();
        api.MapPost("/{id:guid}/enable", (Guid id, ClaimsPrincipal me, UsersService s) => SetDisabled(id, false, me, s))
            .WithName("enableUser").WithSummary("Enable a disabled account").ProducesValidationProblem();
    }

    private static readonly Guid ExampleCommunity = Guid.Parse("01a24295-dbcb-77e3-83ac-9bae9c9ebcba");

    public static async Task<Ok<List<UserRow>>> ListAsync(string? q, ClaimsPrincipal me, UsersService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(me, q, ct));

    public static async Task<Created<UserDetail>> CreateAsync(NewUserInput input, ClaimsPrincipal me, UsersService s, CancellationToken ct)
    {
        var user = await s.CreateAsync(me, input, ct);
        return TypedResults.Created($"/api/users/{user.Id}", await s.DetailAsync(me, user.Id, ct));
    }

    public static async Task<Ok<UserDetail>> DetailAsync(Guid id, ClaimsPrincipal me, UsersService s, CancellationToken ct) => TypedResults.Ok(await s.DetailAsync(me, id, ct));

    public static async Task<Ok<UserDetail>> GrantAsync(Guid id, RoleRequest request, ClaimsPrincipal me, UsersService s, CancellationToken ct)
    {
        await s.GrantRoleAsync(me, id, request.Role ?? "", ct);
        return TypedResults.Ok(await s.DetailAsync(me, id, ct));
    }

    public static async Task<Ok<UserDetail>> RevokeAsync(Guid id, string role, ClaimsPrincipal me, UsersService s, CancellationToken ct)
    {
        await s.RevokeRoleAsync(me, id, role, ct);
        return TypedResults.Ok(await s.DetailAsync(me, id, ct));
    }

    public static async Task<Ok<UserDetail>> AddScopeAsync(Guid id, ScopeInput input, ClaimsPrincipal me, UsersService s, CancellationToken ct)
    {
        await s.AddScopeAsync(me, id, input, ct);
        return TypedResults.Ok(await s.DetailAsync(me, id, ct));
    }

    public static async Task<NoContent> RemoveScopeAsync(Guid id, Guid scopeId, ClaimsPrincipal me, UsersService s, CancellationToken ct)
    {
        await s.RemoveScopeAsync(me, id, scopeId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SetDisabled(Guid id, bool disabled, ClaimsPrincipal me, UsersService s)
    {
        await s.SetDisabledAsync(me, id, disabled);
        return TypedResults.NoContent();
    }
}
