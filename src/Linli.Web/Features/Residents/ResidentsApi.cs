using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Privacy;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.Residents;

/// <summary>A resident to register, and in which community (needed only by someone who sees several).</summary>
public sealed class CreateResidentRequest : ResidentInput
{
    public Guid? CommunityId { get; set; }
}

public sealed record RevealRequest(string? Reason);

public sealed record RevealResponse(string IdNumber);

/// <summary>The last day at the current home; today when absent.</summary>
public sealed record MoveOutRequest(DateOnly? On = null);

/// <summary>The mobile number of the resident's portal account; absent or empty unlinks.</summary>
public sealed record LinkAccountRequest(string? Phone = null);

/// <summary>An export with full ID numbers and phones: the list's filters and why it is needed.</summary>
public sealed record FullExportRequest(ResidentsApi.ResidentQuery Filter, string? Reason);

/// <summary>The JSON API of the residents registry.</summary>
public static class ResidentsApi
{
    public static WebApplicationBuilder AddResidents(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(
            new NavEntry(NavPlace.ConsoleMenu, "nav.residents", "/console/residents", ResidentPolicies.Registry, 210, "nav.registry", Also: ["/console/homes"]),
            new NavEntry(NavPlace.ConsoleMenu, "residents.reveals_title", "/console/residents/reveals", ResidentPolicies.ReadReveals, 220, "nav.registry"),
            new NavEntry(NavPlace.PortalTile, "survey.title", "/survey", ResidentPolicies.Survey, 10, Icon: "✎"),
            new NavEntry(NavPlace.PortalTile, "portal.household", "/me/household", null, 400, Icon: "⌂"));
        ResidentPolicies.Add(builder.Services);
        var keyFile = Path.Combine(builder.Environment.ContentRootPath, "data", "field-keys.json");
        builder.Services.AddSingleton(sp => FieldCryptoKeys.Load(builder.Configuration, builder.Configuration["Crypto:KeyFile"] ?? keyFile));
        builder.Services.AddSingleton<IFieldCrypto, AesGcmFieldCrypto>();
        builder.Services.AddScoped<ResidentsService>();
        builder.Services.AddScoped<RegistryFiguresQuery>();
        builder.Services.AddScoped<ResidentsExport>();
        builder.Services.AddScoped<SurveyService>();
        builder.Services.AddApiTag("Residents", "The residents registry (台账): residents, where they live, tags, the protected ID number, the Excel import, "
            + "households, and the door-to-door survey. Phones and ID numbers are masked; the full ID number only with a reason, audited.");
        return builder;
    }

    public static void MapResidentsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/residents").WithTags("Residents").RequireAuthorization(ResidentPolicies.Registry);
        api.MapGet("/", ListAsync)
            .WithName("listResidents").WithSummary("Search the registry by query string (an ID number must use POST /api/residents/search)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/search", SearchAsync)
            .WithName("searchResidents").WithSummary("Search the registry with the filters in the body (so it can carry an ID number)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestExample("name", "By name and building", new ResidentQuery(null, "秀兰", null, null, null, null, null, null, null, null, 1, 20, "3"))
            .WithRequestExample("id-number", "By an exact ID number", new ResidentQuery(null, null, null, "13010219580315002X", null, null, null, null, null, null, null, null));
        api.MapPost("/export", FullExportAsync).RequireAuthorization(ResidentPolicies.RevealIdNumbers)
            .WithName("exportResidentsFull").WithSummary("The filtered list as a workbook with full ID numbers and phones, with a reason (audited)")
            .ProducesFile(ResidentsExport.ContentType).ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestExample(new FullExportRequest(new ResidentQuery(null, null, null, null, null, null, null, null, TagKind.LivingAlone, null, null, null), "冬季独居老人走访名单"));
        api.MapGet("/reveals", RevealsAsync).RequireAuthorization(ResidentPolicies.ReadReveals)
            .WithName("listIdNumberReveals").WithSummary("Who revealed which full ID number, when and why")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/export", ExportAsync)
            .WithName("exportResidents").WithSummary("The filtered list as a workbook, masked")
            .ProducesFile(ResidentsExport.ContentType).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", CreateAsync).RequireAuthorization(ResidentPolicies.ManageRegistry)
            .WithName("createResident").WithSummary("Register a resident")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new CreateResidentRequest
            {
                Name = "王秀兰", IdNumber = "13010219580315002X", Gender = Gender.Female, BirthDate = new DateOnly(1958, 3, 15), Phone = "13900000001",
                EmergencyContactName = "王建国", EmergencyContactPhone = "13700000002", Skills = "剪纸", Notes = "腿脚不便，上门请先打电话",
            });
        api.MapGet("/{id:guid}", DetailAsync)
            .WithName("getResident").WithSummary("A resident with tags and the history of homes");
        api.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(ResidentPolicies.ManageRegistry)
            .WithName("updateResident").WithSummary("Change a resident's details (an empty ID number keeps the stored one)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new ResidentInput { Name = "王秀兰", Gender = Gender.Female, BirthDate = new DateOnly(1958, 3, 15), Phone = "13900000001" });
        api.MapPost("/{id:guid}/move", MoveAsync).RequireAuthorization(ResidentPolicies.ManageRegistry)
            .WithName("moveResident").WithSummary("Move a resident into a home (the current residence ends the day before)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new MoveInput { HomeId = ExampleHome, Occupancy = Occupancy.Tenant, Relation = RelationToHead.Spouse, From = new DateOnly(2026, 11, 1) });
        api.MapPost("/{id:guid}/move-out", MoveOutAsync).RequireAuthorization(ResidentPolicies.ManageRegistry)
            .WithName("moveResidentOut").WithSummary("End the resident's current residence (409 when they live nowhere)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new MoveOutRequest(new DateOnly(2026, 11, 30)));
        api.MapPut("/{id:guid}/tags", TagsAsync).RequireAuthorization(ResidentPolicies.ManageRegistry)
            .WithName("setResidentTags").WithSummary("Replace the resident's tags")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new TagsInput { Kinds = [TagKind.LivingAlone, TagKind.PartyMember], CustomTags = ["楼长"] });
        api.MapPost("/{id:guid}/reveal", RevealAsync).RequireAuthorization(ResidentPolicies.RevealIdNumbers)
            .WithName("revealIdNumber").WithSummary("The resident's full ID number, with a reason (audited; 409 when none is stored)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new RevealRequest("办理高龄津贴"));
        api.MapPost("/{id:guid}/account", LinkAccountAsync).RequireAuthorization(ResidentPolicies.ManageRegistry)
            .WithName("linkResidentAccount").WithSummary("Link the resident to the portal account of a phone (an empty phone unlinks)")
            .WithRequestExample(new LinkAccountRequest("13900000001"));
        app.MapGet("/api/communities/{id:guid}/registry-figures", FiguresAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Registry)
            .WithName("getRegistryFigures").WithSummary("A community's registry figures: residents, households, the age pyramid, special groups and party members");
        app.MapGet("/api/survey/buildings", SurveyBuildingsAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Survey)
            .WithName("listSurveyBuildings").WithSummary("The buildings the caller may survey, with homes done / total");
        app.MapGet("/api/buildings/{id:guid}/survey", (Guid id, SurveyService s) => SurveyProgressAsync(id, s)).WithTags("Residents").RequireAuthorization(ResidentPolicies.Survey)
            .WithName("getSurveyProgress").WithSummary("A building's survey: each home's latest visit");
        app.MapPost("/api/survey-visits", RecordVisitAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Survey)
            .WithName("recordSurveyVisit").WithSummary("Record a visit to a home (someone living alone tags its residents 独居)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new SurveyInput { HomeId = ExampleHome, Outcome = SurveyOutcome.Visited, People = 1, LivingAlone = true, ElderlyLivingHere = true, Needs = "需要助餐" });
        app.MapGet("/api/homes/{id:guid}/household", HouseholdAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Registry)
            .WithName("getHousehold").WithSummary("Who lives in a home now");
    }

    private static readonly Guid ExampleHome = Guid.Parse("01a1d670-4fcb-73ab-a8c3-3eb8e4f67e3d");

    /// <summary>The list by query string. A full ID number must not travel in a URL (logs, history): that search is a POST.</summary>
    public static async Task<Ok<ResidentPage>> ListAsync([AsParameters] ResidentQuery q, ResidentsService s, CurrentCommunity console, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(q.IdNumber)) throw Infrastructure.Errors.DomainException.Invalid(nameof(q.IdNumber), "residents.id_search_post");
        return TypedResults.Ok(await s.SearchAsync(await console.ResolveAsync(q.CommunityId), ToFilter(q), ct));
    }

    /// <summary>The same search with the filters in the body, so it can carry an ID number.</summary>
    public static async Task<Ok<ResidentPage>> SearchAsync(ResidentQuery q, ResidentsService s, CurrentCommunity console, HttpContext ctx, CancellationToken ct)
    {
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await s.SearchAsync(await console.ResolveAsync(q.CommunityId), ToFilter(q), ct));
    }

    public readonly record struct ResidentQuery(Guid? CommunityId, string? Name, string? Phone, string? IdNumber, Guid? EstateId, Guid? BuildingId,
        int? Entrance, string? Home, TagKind? Tag, Guid? GridId, int? Page, int? Size, string? Building = null);

    public static async Task<Created<ResidentDetail>> CreateAsync(CreateResidentRequest request, ResidentsService s, CurrentCommunity console, CancellationToken ct)
    {
        var r = await s.CreateAsync(await console.ResolveAsync(request.CommunityId), request, ct);
        return TypedResults.Created($"/api/residents/{r.Id}", await s.DetailAsync(r.Id, ct));
    }

    public static async Task<Ok<ResidentDetail>> DetailAsync(Guid id, ResidentsService s, CancellationToken ct) => TypedResults.Ok(await s.DetailAsync(id, ct));

    public static async Task<Ok<ResidentDetail>> UpdateAsync(Guid id, ResidentInput input, ResidentsService s, CancellationToken ct)
    {
        await s.UpdateAsync(id, input, ct);
        return TypedResults.Ok(await s.DetailAsync(id, ct));
    }

    public static async Task<Ok<ResidentDetail>> MoveAsync(Guid id, MoveInput input, ResidentsService s, CancellationToken ct)
    {
        await s.MoveAsync(id, input, ct);
        return TypedResults.Ok(await s.DetailAsync(id, ct));
    }

    public static async Task<Ok<ResidentDetail>> MoveOutAsync(Guid id, MoveOutRequest request, ResidentsService s, CancellationToken ct)
    {
        await s.MoveOutAsync(id, request.On, ct);
        return TypedResults.Ok(await s.DetailAsync(id, ct));
    }

    public static async Task<Ok<ResidentDetail>> TagsAsync(Guid id, TagsInput input, ResidentsService s, CancellationToken ct)
    {
        await s.SetTagsAsync(id, input, ct);
        return TypedResults.Ok(await s.DetailAsync(id, ct));
    }

    /// <summary>The full ID number, for a role that needs it, with a reason; never cached.</summary>
    public static async Task<Ok<RevealResponse>> RevealAsync(Guid id, RevealRequest request, ResidentsService s, HttpContext ctx, CancellationToken ct)
    {
        var number = await s.RevealIdNumberAsync(id, request.Reason, ct);
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RevealResponse(number));
    }

    public static async Task<Ok<RegistryFigures>> FiguresAsync(Guid id, RegistryFiguresQuery q, CurrentCommunity console, CancellationToken ct) =>
        TypedResults.Ok(await q.ForAsync(await console.ResolveAsync(id), ct));

    /// <summary>The filtered list as an xlsx file (masked), the same filters as the list.</summary>
    public static async Task<FileStreamHttpResult> ExportAsync([AsParameters] ResidentQuery q, ResidentsExport export, CurrentCommunity console, HttpContext ctx, CancellationToken ct)
    {
        var (content, fileName) = await export.CreateAsync(await console.ResolveAsync(q.CommunityId), ToFilter(q), ct: ctx.RequestAborted);
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(content, ResidentsExport.ContentType, fileName);
    }

    /// <summary>The filtered list with full ID numbers and phones, for a role that may reveal; audited with its reason.</summary>
    public static async Task<FileStreamHttpResult> FullExportAsync(FullExportRequest request, ResidentsExport export, CurrentCommunity console, HttpContext ctx, CancellationToken ct)
    {
        var (content, fileName) = await export.CreateAsync(await console.ResolveAsync(request.Filter.CommunityId), ToFilter(request.Filter),
            request.Reason ?? "", ctx.RequestAborted);
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(content, ResidentsExport.ContentType, fileName);
    }

    public static ResidentFilter ToFilter(ResidentQuery q) => new()
    {
        Name = q.Name, Phone = q.Phone, IdNumber = q.IdNumber, EstateId = q.EstateId, BuildingId = q.BuildingId, BuildingNumber = q.Building, Entrance = q.Entrance,
        HomeNumber = q.Home, Tag = q.Tag, GridId = q.GridId, Page = q.Page ?? 1, Size = q.Size ?? 20,
    };

    public static async Task<NoContent> LinkAccountAsync(Guid id, LinkAccountRequest request, ResidentsService s, CancellationToken ct)
    {
        await s.LinkAccountAsync(id, request.Phone, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<List<RevealRow>>> RevealsAsync(Guid? communityId, ResidentsService s, CurrentCommunity console, CancellationToken ct) =>
        TypedResults.Ok(await s.RevealsAsync(await console.ResolveAsync(communityId), ct: ct));

    /// <summary>The buildings the caller may survey, with homes done / total (what /survey lists on a phone).</summary>
    public static async Task<Ok<IReadOnlyList<SurveyBuilding>>> SurveyBuildingsAsync(SurveyService s, CancellationToken ct) => TypedResults.Ok(await s.BuildingsAsync(ct));

    public static async Task<Ok<SurveyProgress>> SurveyProgressAsync(Guid id, SurveyService s) => TypedResults.Ok(await s.ProgressAsync(id));

    public static async Task<Created<SurveyProgress>> RecordVisitAsync(SurveyInput input, SurveyService s, CancellationToken ct)
    {
        var visit = await s.RecordAsync(input, ct);
        return TypedResults.Created($"/api/buildings/{visit.BuildingId}/survey", await s.ProgressAsync(visit.BuildingId, ct));
    }

    public static async Task<Ok<Household>> HouseholdAsync(Guid id, ResidentsService s, CancellationToken ct) => TypedResults.Ok(await s.HouseholdAsync(id, ct));
}
