using System.Security.Claims;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.Users;

public sealed record RoleRequest(string? Role);

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
        return builder;
    }

    public static void MapUsersApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(UserPolicies.ManageUsers);
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync);
        api.MapGet("/{id:guid}", DetailAsync);
        api.MapPost("/{id:guid}/roles", GrantAsync);
        api.MapDelete("/{id:guid}/roles/{role}", RevokeAsync);
        api.MapPost("/{id:guid}/scopes", AddScopeAsync);
        api.MapDelete("/{id:guid}/scopes/{scopeId:guid}", RemoveScopeAsync);
        api.MapPost("/{id:guid}/disable", (Guid id, ClaimsPrincipal me, UsersService s) => SetDisabled(id, true, me, s));
        api.MapPost("/{id:guid}/enable", (Guid id, ClaimsPrincipal me, UsersService s) => SetDisabled(id, false, me, s));
    }

    public static async Task<Ok<List<UserRow>>> ListAsync(string? q, ClaimsPrincipal me, UsersService s) => TypedResults.Ok(await s.ListAsync(me, q));

    public static async Task<Created<UserDetail>> CreateAsync(NewUserInput input, ClaimsPrincipal me, UsersService s)
    {
        var user = await s.CreateAsync(me, input);
        return TypedResults.Created($"/api/users/{user.Id}", await s.DetailAsync(me, user.Id));
    }

    public static async Task<Ok<UserDetail>> DetailAsync(Guid id, ClaimsPrincipal me, UsersService s) => TypedResults.Ok(await s.DetailAsync(me, id));

    public static async Task<Ok<UserDetail>> GrantAsync(Guid id, RoleRequest request, ClaimsPrincipal me, UsersService s)
    {
        await s.GrantRoleAsync(me, id, request.Role ?? "");
        return TypedResults.Ok(await s.DetailAsync(me, id));
    }

    public static async Task<Ok<UserDetail>> RevokeAsync(Guid id, string role, ClaimsPrincipal me, UsersService s)
    {
        await s.RevokeRoleAsync(me, id, role);
        return TypedResults.Ok(await s.DetailAsync(me, id));
    }

    public static async Task<Ok<UserDetail>> AddScopeAsync(Guid id, ScopeInput input, ClaimsPrincipal me, UsersService s)
    {
        await s.AddScopeAsync(me, id, input);
        return TypedResults.Ok(await s.DetailAsync(me, id));
    }

    public static async Task<NoContent> RemoveScopeAsync(Guid id, Guid scopeId, ClaimsPrincipal me, UsersService s)
    {
        await s.RemoveScopeAsync(me, id, scopeId);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SetDisabled(Guid id, bool disabled, ClaimsPrincipal me, UsersService s)
    {
        await s.SetDisabledAsync(me, id, disabled);
        return TypedResults.NoContent();
    }
}
