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

public sealed record MoveOutRequest(DateOnly? On);

public sealed record LinkAccountRequest(string? Phone);

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
        return builder;
    }

    public static void MapResidentsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/residents").WithTags("Residents").RequireAuthorization(ResidentPolicies.Registry);
        api.MapGet("/", ListAsync);
        api.MapPost("/search", SearchAsync);
        api.MapPost("/export", FullExportAsync).RequireAuthorization(ResidentPolicies.RevealIdNumbers);
        api.MapGet("/reveals", RevealsAsync).RequireAuthorization(ResidentPolicies.ReadReveals);
        api.MapGet("/export", ExportAsync);
        api.MapPost("/", CreateAsync).RequireAuthorization(ResidentPolicies.ManageRegistry);
        api.MapGet("/{id:guid}", DetailAsync);
        api.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(ResidentPolicies.ManageRegistry);
        api.MapPost("/{id:guid}/move", MoveAsync).RequireAuthorization(ResidentPolicies.ManageRegistry);
        api.MapPost("/{id:guid}/move-out", MoveOutAsync).RequireAuthorization(ResidentPolicies.ManageRegistry);
        api.MapPut("/{id:guid}/tags", TagsAsync).RequireAuthorization(ResidentPolicies.ManageRegistry);
        api.MapPost("/{id:guid}/reveal", RevealAsync).RequireAuthorization(ResidentPolicies.RevealIdNumbers);
        api.MapPost("/{id:guid}/account", LinkAccountAsync).RequireAuthorization(ResidentPolicies.ManageRegistry);
        app.MapGet("/api/communities/{id:guid}/registry-figures", FiguresAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Registry);
        app.MapGet("/api/survey/buildings", SurveyBuildingsAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Survey);
        app.MapGet("/api/buildings/{id:guid}/survey", (Guid id, SurveyService s) => SurveyProgressAsync(id, s)).WithTags("Residents").RequireAuthorization(ResidentPolicies.Survey);
        app.MapPost("/api/survey-visits", RecordVisitAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Survey);
        app.MapGet("/api/homes/{id:guid}/household", HouseholdAsync).WithTags("Residents").RequireAuthorization(ResidentPolicies.Registry);
    }

    /// <summary>The list by query string. A full ID number must not travel in a URL (logs, history): that search is a POST.</summary>
    public static async Task<Ok<ResidentPage>> ListAsync([AsParameters] ResidentQuery q, ResidentsService s, CurrentCommunity console)
    {
        if (!string.IsNullOrWhiteSpace(q.IdNumber)) throw Infrastructure.Errors.DomainException.Invalid(nameof(q.IdNumber), "residents.id_search_post");
        return TypedResults.Ok(await s.SearchAsync(await console.ResolveAsync(q.CommunityId), ToFilter(q)));
    }

    /// <summary>The same search with the filters in the body, so it can carry an ID number.</summary>
    public static async Task<Ok<ResidentPage>> SearchAsync(ResidentQuery q, ResidentsService s, CurrentCommunity console, HttpContext ctx)
    {
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await s.SearchAsync(await console.ResolveAsync(q.CommunityId), ToFilter(q)));
    }

    public readonly record struct ResidentQuery(Guid? CommunityId, string? Name, string? Phone, string? IdNumber, Guid? EstateId, Guid? BuildingId,
        int? Entrance, string? Home, TagKind? Tag, Guid? GridId, int? Page, int? Size, string? Building = null);

    public static async Task<Created<ResidentDetail>> CreateAsync(CreateResidentRequest request, ResidentsService s, CurrentCommunity console)
    {
        var r = await s.CreateAsync(await console.ResolveAsync(request.CommunityId), request);
        return TypedResults.Created($"/api/residents/{r.Id}", await s.DetailAsync(r.Id));
    }

    public static async Task<Ok<ResidentDetail>> DetailAsync(Guid id, ResidentsService s) => TypedResults.Ok(await s.DetailAsync(id));

    public static async Task<Ok<ResidentDetail>> UpdateAsync(Guid id, ResidentInput input, ResidentsService s)
    {
        await s.UpdateAsync(id, input);
        return TypedResults.Ok(await s.DetailAsync(id));
    }

    public static async Task<Ok<ResidentDetail>> MoveAsync(Guid id, MoveInput input, ResidentsService s)
    {
        await s.MoveAsync(id, input);
        return TypedResults.Ok(await s.DetailAsync(id));
    }

    public static async Task<Ok<ResidentDetail>> MoveOutAsync(Guid id, MoveOutRequest request, ResidentsService s)
    {
        await s.MoveOutAsync(id, request.On);
        return TypedResults.Ok(await s.DetailAsync(id));
    }

    public static async Task<Ok<ResidentDetail>> TagsAsync(Guid id, TagsInput input, ResidentsService s)
    {
        await s.SetTagsAsync(id, input);
        return TypedResults.Ok(await s.DetailAsync(id));
    }

    /// <summary>The full ID number, for a role that needs it, with a reason; never cached.</summary>
    public static async Task<Ok<RevealResponse>> RevealAsync(Guid id, RevealRequest request, ResidentsService s, HttpContext ctx)
    {
        var number = await s.RevealIdNumberAsync(id, request.Reason);
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RevealResponse(number));
    }

    public static async Task<Ok<RegistryFigures>> FiguresAsync(Guid id, RegistryFiguresQuery q, CurrentCommunity console) =>
        TypedResults.Ok(await q.ForAsync(await console.ResolveAsync(id)));

    /// <summary>The filtered list as an xlsx file (masked), the same filters as the list.</summary>
    public static async Task<FileStreamHttpResult> ExportAsync([AsParameters] ResidentQuery q, ResidentsExport export, CurrentCommunity console, HttpContext ctx)
    {
        var (content, fileName) = await export.CreateAsync(await console.ResolveAsync(q.CommunityId), ToFilter(q), ct: ctx.RequestAborted);
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(content, ResidentsExport.ContentType, fileName);
    }

    /// <summary>The filtered list with full ID numbers and phones, for a role that may reveal; audited with its reason.</summary>
    public static async Task<FileStreamHttpResult> FullExportAsync(FullExportRequest request, ResidentsExport export, CurrentCommunity console, HttpContext ctx)
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

    public static async Task<NoContent> LinkAccountAsync(Guid id, LinkAccountRequest request, ResidentsService s)
    {
        await s.LinkAccountAsync(id, request.Phone);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<List<RevealRow>>> RevealsAsync(Guid? communityId, ResidentsService s, CurrentCommunity console) =>
        TypedResults.Ok(await s.RevealsAsync(await console.ResolveAsync(communityId)));

    /// <summary>The buildings the caller may survey, with homes done / total (what /survey lists on a phone).</summary>
    public static async Task<Ok<IReadOnlyList<SurveyBuilding>>> SurveyBuildingsAsync(SurveyService s, CancellationToken ct) => TypedResults.Ok(await s.BuildingsAsync(ct));

    public static async Task<Ok<SurveyProgress>> SurveyProgressAsync(Guid id, SurveyService s) => TypedResults.Ok(await s.ProgressAsync(id));

    public static async Task<Created<SurveyProgress>> RecordVisitAsync(SurveyInput input, SurveyService s)
    {
        var visit = await s.RecordAsync(input);
        return TypedResults.Created($"/api/buildings/{visit.BuildingId}/survey", await s.ProgressAsync(visit.BuildingId));
    }

    public static async Task<Ok<Household>> HouseholdAsync(Guid id, ResidentsService s) => TypedResults.Ok(await s.HouseholdAsync(id));
}
