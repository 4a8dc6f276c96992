using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.Places;

public sealed record EstateResponse(Guid Id, Guid CommunityId, string Name, string? Address, string? PropertyCompanyName, bool IsRetired);

public sealed record BuildingResponse(Guid Id, Guid EstateId, string Number, BuildingKind Kind, int Floors, int Entrances, int HomesPerFloor, bool IsRetired,
    IReadOnlyList<HomeResponse>? Homes);

public sealed record HomeResponse(Guid Id, int Entrance, int Floor, string Number, string Label);

public sealed class CreateEstateRequest
{
    public Guid? CommunityId { get; set; }
    public string? Name { get; set; }
    public string? Address { get; set; }
    public string? PropertyCompanyName { get; set; }
}

/// <summary>The JSON API of places: communities and divisions, estates, buildings with their homes, the profile.</summary>
public static class PlacesApi
{
    public static WebApplicationBuilder AddPlaces(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(
            new NavEntry(NavPlace.ConsoleMenu, "nav.profile", "/console/community", PlacePolicies.ReadPlaces, 110, "nav.places"),
            new NavEntry(NavPlace.ConsoleMenu, "nav.estates", "/console/estates", PlacePolicies.ReadPlaces, 120, "nav.places", Also: ["/console/buildings"]),
            new NavEntry(NavPlace.ConsoleMenu, "nav.communities", "/console/communities", PlacePolicies.ManageCommunities, 810, "nav.system"));
        builder.Services.AddWidget(new Widget(WidgetPlace.ConsoleHome, typeof(ProfileTilesViewComponent), PlacePolicies.ReadPlaces, 100));
        PlacePolicies.Add(builder.Services);
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
            o.Conventions.AddPageRoute("/Places/Console/Estates/Edit", "console/estates/new"));
        builder.Services.AddScoped<PlacesService>();
        builder.Services.AddScoped<CommunitiesService>();
        builder.Services.AddScoped<ITenantDirectory, CommunityDirectory>();
        builder.Services.AddApiTag("Places", "Official divisions, communities (the tenants) and their profile, estates, buildings with their entrances and homes.");
        return builder;
    }

    public static void MapPlacesApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("Places").RequireAuthorization(Policies.Console);
        api.MapGet("/divisions", DivisionsAsync)
            .WithName("listDivisions").WithSummary("List the official divisions under a parent code (the provinces without one)");
        api.MapGet("/communities", CommunitiesAsync)
            .WithName("listCommunities").WithSummary("List the communities the caller may see");
        api.MapPost("/communities", CreateCommunityAsync).RequireAuthorization(PlacePolicies.ManageCommunities)
            .WithName("createCommunity").WithSummary("Create a community from its official division code")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new CommunityInput { DivisionCode = "130102001001", ShortName = "建北", Address = "石家庄市长安区建北大街 1 号" });
        api.MapGet("/communities/{id:guid}/profile", ProfileAsync)
            .WithName("getCommunityProfile").WithSummary("A community's profile: divisions above it, counts of estates, buildings, homes and grids");
        api.MapGet("/estates", EstatesAsync)
            .WithName("listEstates").WithSummary("List a community's estates with their buildings and homes counted")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/estates", CreateEstateAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("createEstate").WithSummary("Create an estate")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new CreateEstateRequest { Name = "融华府", Address = "裕华区槐中路 88 号", PropertyCompanyName = "融创物业" });
        api.MapGet("/estates/{id:guid}", EstateAsync)
            .WithName("getEstate").WithSummary("An estate");
        api.MapPut("/estates/{id:guid}", UpdateEstateAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("updateEstate").WithSummary("Change an estate's name, address and property company")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new EstateInput { Name = "融华府", Address = "裕华区槐中路 88 号", PropertyCompanyName = "融创物业" });
        api.MapPost("/estates/{id:guid}/retire", (Guid id, PlacesService s) => RetireEstate(id, true, s)).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("retireEstate").WithSummary("Retire an estate (its buildings must be retired first: else 409)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/estates/{id:guid}/restore", (Guid id, PlacesService s) => RetireEstate(id, false, s)).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("restoreEstate").WithSummary("Restore a retired estate");
        api.MapGet("/estates/{id:guid}/buildings", BuildingsAsync)
            .WithName("listBuildings").WithSummary("List an estate's buildings with their homes counted and their grid");
        api.MapPost("/estates/{id:guid}/buildings", CreateBuildingAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("createBuilding").WithSummary("Create a building with its entrances and homes (floors × entrances × homes per floor)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new BuildingInput { Number = "3", Kind = BuildingKind.Residential, Floors = 18, Entrances = 2, HomesPerFloor = 2 });
        api.MapGet("/buildings/{id:guid}", BuildingAsync)
            .WithName("getBuilding").WithSummary("A building with its homes");
        api.MapPut("/buildings/{id:guid}", UpdateBuildingAsync).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("updateBuilding").WithSummary("Change a building's number and kind")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new BuildingUpdateInput { Number = "3", Kind = BuildingKind.Mixed });
        api.MapPost("/buildings/{id:guid}/retire", (Guid id, PlacesService s) => RetireBuilding(id, true, s)).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("retireBuilding").WithSummary("Retire a building (it leaves its grids)");
        api.MapPost("/buildings/{id:guid}/restore", (Guid id, PlacesService s) => RetireBuilding(id, false, s)).RequireAuthorization(PlacePolicies.ManagePlaces)
            .WithName("restoreBuilding").WithSummary("Restore a retired building (its estate must be in use: else 409)")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Ok<List<DivisionRow>>> DivisionsAsync(string? parent, CommunitiesService s, CancellationToken ct) => TypedResults.Ok(await s.ChildrenAsync(parent, ct));

    public static async Task<Ok<List<CommunityRow>>> CommunitiesAsync(CommunitiesService s, CancellationToken ct) => TypedResults.Ok(await s.ListVisibleAsync(ct));

    public static async Task<Created<CommunityRow>> CreateCommunityAsync(CommunityInput input, CommunitiesService s, CancellationToken ct)
    {
        var c = await s.CreateAsync(input, ct: ct);
        return TypedResults.Created($"/api/communities/{c.Id}", new CommunityRow(c.Id, c.DivisionCode, c.Name, c.ShortName, c.SubdistrictCode, null));
    }

    public static async Task<Ok<CommunityProfile>> ProfileAsync(Guid id, PlacesService s, CancellationToken ct) => TypedResults.Ok(await s.ProfileAsync(id, ct));

    public static async Task<Ok<List<EstateRow>>> EstatesAsync(Guid? communityId, bool? includeRetired, PlacesService s, CurrentCommunity console, CancellationToken ct) =>
        TypedResults.Ok(await s.ListEstatesAsync(await console.ResolveAsync(communityId), includeRetired ?? false, ct));

    public static async Task<Created<EstateResponse>> CreateEstateAsync(CreateEstateRequest request, PlacesService s, CurrentCommunity console, CancellationToken ct)
    {
        var communityId = await console.ResolveAsync(request.CommunityId);
        var e = await s.CreateEstateAsync(communityId, new EstateInput { Name = request.Name, Address = request.Address, PropertyCompanyName = request.PropertyCompanyName }, ct);
        return TypedResults.Created($"/api/estates/{e.Id}", ToResponse(e));
    }

    public static async Task<Ok<EstateResponse>> EstateAsync(Guid id, PlacesService s, CancellationToken ct) => TypedResults.Ok(ToResponse(await s.GetEstateAsync(id, ct)));

    public static async Task<Ok<EstateResponse>> UpdateEstateAsync(Guid id, EstateInput input, PlacesService s, CancellationToken ct) => TypedResults.Ok(ToResponse(await s.UpdateEstateAsync(id, input, ct)));

    private static async Task<NoContent> RetireEstate(Guid id, bool retired, PlacesService s)
    {
        await s.SetEstateRetiredAsync(id, retired);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<List<BuildingRow>>> BuildingsAsync(Guid id, bool? includeRetired, PlacesService s, CancellationToken ct) => TypedResults.Ok(await s.ListBuildingsAsync(id, includeRetired ?? false, ct));

    public static async Task<Created<BuildingResponse>> CreateBuildingAsync(Guid id, BuildingInput input, PlacesService s, CancellationToken ct)
    {
        var b = await s.CreateBuildingAsync(id, input, ct);
        return TypedResults.Created($"/api/buildings/{b.Id}", ToResponse(b, withHomes: true));
    }

    public static async Task<Ok<BuildingResponse>> BuildingAsync(Guid id, PlacesService s, CancellationToken ct) => TypedResults.Ok(ToResponse(await s.GetBuildingAsync(id, withHomes: true, ct: ct), withHomes: true));

    public static async Task<Ok<BuildingResponse>> UpdateBuildingAsync(Guid id, BuildingUpdateInput input, PlacesService s, CancellationToken ct) => TypedResults.Ok(ToResponse(await s.UpdateBuildingAsync(id, input, ct), false));

    private static async Task<NoContent> RetireBuilding(Guid id, bool retired, PlacesService s)
    {
        await s.SetBuildingRetiredAsync(id, retired);
        return TypedResults.NoContent();
    }

    private static EstateResponse ToResponse(Estate e) => new(e.Id, e.CommunityId, e.Name, e.Address, e.PropertyCompanyName, e.IsRetired);

    private static BuildingResponse ToResponse(Building b, bool withHomes) => new(b.Id, b.EstateId, b.Number, b.Kind, b.Floors, b.EntranceCount, b.HomesPerFloor, b.IsRetired,
        withHomes ? b.Homes.OrderBy(h => h.EntranceNumber).ThenBy(h => h.Floor).ThenBy(h => h.Number).Select(h => new HomeResponse(h.Id, h.EntranceNumber, h.Floor, h.Number, h.Label)).ToList() : null);
}
