using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.Grids;

public sealed class CreateGridRequest
{
    public Guid? CommunityId { get; set; }
    public string? Name { get; set; }
    public Guid? ParentId { get; set; }
}

/// <summary>The JSON API of grids and micro-grids.</summary>
public static class GridsApi
{
    public static WebApplicationBuilder AddGrids(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(new NavEntry(NavPlace.ConsoleMenu, "nav.grids", "/console/grids", PlacePolicies.ReadPlaces, 130, "nav.places"));
        builder.Services.AddScoped<GridsService>();
        return builder;
    }

    public static void MapGridsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/grids").WithTags("Grids").RequireAuthorization(Policies.Console);
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync).RequireAuthorization(PlacePolicies.ManagePlaces);
        api.MapGet("/{id:guid}", DetailAsync);
        api.MapPost("/{id:guid}/areas", AssignAsync).RequireAuthorization(PlacePolicies.ManagePlaces);
        api.MapDelete("/{id:guid}/areas/{areaId:guid}", UnassignAsync).RequireAuthorization(PlacePolicies.ManagePlaces);
        api.MapPost("/{id:guid}/members", AddMemberAsync).RequireAuthorization(PlacePolicies.ManagePlaces);
        api.MapDelete("/{id:guid}/members/{memberId:guid}", RemoveMemberAsync).RequireAuthorization(PlacePolicies.ManagePlaces);
    }

    public static async Task<Ok<List<GridRow>>> ListAsync(Guid? communityId, GridsService s, CurrentCommunity console) =>
        TypedResults.Ok(await s.ListAsync(await console.ResolveAsync(communityId)));

    public static async Task<Created<GridRow>> CreateAsync(CreateGridRequest request, GridsService s, CurrentCommunity console)
    {
        var g = await s.CreateAsync(await console.ResolveAsync(request.CommunityId), new GridInput { Name = request.Name, ParentId = request.ParentId });
        return TypedResults.Created($"/api/grids/{g.Id}", new GridRow(g.Id, g.Name, g.Level, g.ParentId, null, 0, 0, 0));
    }

    public static async Task<Ok<GridDetail>> DetailAsync(Guid id, GridsService s) => TypedResults.Ok(await s.DetailAsync(id));

    public static async Task<Created<GridDetail>> AssignAsync(Guid id, GridAreaInput input, GridsService s)
    {
        await s.AssignAsync(id, input);
        return TypedResults.Created($"/api/grids/{id}", await s.DetailAsync(id));
    }

    public static async Task<NoContent> UnassignAsync(Guid id, Guid areaId, GridsService s)
    {
        await s.UnassignAsync(id, areaId);
        return TypedResults.NoContent();
    }

    public static async Task<Created<GridMemberRow>> AddMemberAsync(Guid id, GridMemberInput input, GridsService s)
    {
        var m = await s.AddMemberAsync(id, input);
        return TypedResults.Created($"/api/grids/{id}", new GridMemberRow(m.Id, m.Role, m.Name, Infrastructure.Privacy.Mask.Phone(m.Phone), m.UserId));
    }

    public static async Task<NoContent> RemoveMemberAsync(Guid id, Guid memberId, GridsService s)
    {
        await s.RemoveMemberAsync(id, memberId);
        return TypedResults.NoContent();
    }
}
