using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.ApiDocs;
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
        builder.Services.AddApiTag("Grids", "Grids and micro-grids (网格、微网格): the buildings or entrances each covers, and their red-butler members.");
        return builder;
    }

    public static void MapGridsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/grids").WithTags("Grids").RequireAuthorization(Policies.Console);
        api.MapGet("/", ListAsync)
            .WithName("listGrids").WithSummary("List a community's grids and micro-grids with what they cover")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", CreateAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("createGrid").WithSummary("Create a grid, or a micro-grid inside one (parentId)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample("grid", "A grid", new CreateGridRequest { Name = "第三网格" })
            .WithRequestExample("micro-grid", "A micro-grid of a grid", new CreateGridRequest { Name = "3 号楼微网格", ParentId = ExampleGrid });
        api.MapGet("/{id:guid}", DetailAsync)
            .WithName("getGrid").WithSummary("A grid with its areas, members and micro-grids");
        api.MapPost("/{id:guid}/areas", AssignAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("assignGridArea").WithSummary("Put a building (a grid) or one of its entrances (a micro-grid) into the grid")
            .WithDescription("A building belongs to one grid, an entrance to one micro-grid, and a micro-grid covers only its grid's buildings: "
                + "anything else is a 409 that says why.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample("building", "A whole building", new GridAreaInput { BuildingId = ExampleBuilding })
            .WithRequestExample("entrance", "One entrance (micro-grid)", new GridAreaInput { BuildingId = ExampleBuilding, EntranceNumber = 2 });
        api.MapDelete("/{id:guid}/areas/{areaId:guid}", UnassignAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("unassignGridArea").WithSummary("Take an area out of the grid (and out of its micro-grids)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/members", AddMemberAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("addGridMember").WithSummary("Add a red-butler member (linked to the account with that phone, if any)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new GridMemberInput { Role = RedButlerRole.MicroGridMember, Name = "赵桂芬", Phone = "13912345678" });
        api.MapDelete("/{id:guid}/members/{memberId:guid}", RemoveMemberAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("removeGridMember").WithSummary("Remove a member").ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static readonly Guid ExampleGrid = Guid.Parse("01a1f556-77cb-7948-9307-cc0945d45466");
    private static readonly Guid ExampleBuilding = Guid.Parse("01a1e5e3-63cb-7610-b2d0-1211298803ab");

    public static async Task<Ok<List<GridRow>>> ListAsync(Guid? communityId, GridsService s, CurrentCommunity console, CancellationToken ct) =>
        TypedResults.Ok(await s.ListAsync(await console.ResolveAsync(communityId), ct));

    public static async Task<Created<GridRow>> CreateAsync(CreateGridRequest request, GridsService s, CurrentCommunity console, CancellationToken ct)
    {
        var g = await s.CreateAsync(await console.ResolveAsync(request.CommunityId), new GridInput { Name = request.Name, ParentId = request.ParentId }, ct);
        return TypedResults.Created($"/api/grids/{g.Id}", new GridRow(g.Id, g.Name, g.Level, g.ParentId, null, 0, 0, 0));
    }

    public static async Task<Ok<GridDetail>> DetailAsync(Guid id, GridsService s, CancellationToken ct) => TypedResults.Ok(await s.DetailAsync(id, ct));

    public static async Task<Created<GridDetail>> AssignAsync(Guid id, GridAreaInput input, GridsService s, CancellationToken ct)
    {
        await s.AssignAsync(id, input, ct);
        return TypedResults.Created($"/api/grids/{id}", await s.DetailAsync(id, ct));
    }

    public static async Task<NoContent> UnassignAsync(Guid id, Guid areaId, GridsService s, CancellationToken ct)
    {
        await s.UnassignAsync(id, areaId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Created<GridMemberRow>> AddMemberAsync(Guid id, GridMemberInput input, GridsService s, CancellationToken ct)
    {
        var m = await s.AddMemberAsync(id, input, ct);
        return TypedResults.Created($"/api/grids/{id}", new GridMemberRow(m.Id, m.Role, m.Name, Infrastructure.Privacy.Mask.Phone(m.Phone), m.UserId));
    }

    public static async Task<NoContent> RemoveMemberAsync(Guid id, Guid memberId, GridsService s, CancellationToken ct)
    {
        await s.RemoveMemberAsync(id, memberId, ct);
        return TypedResults.NoContent();
    }
}
