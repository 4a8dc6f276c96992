using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.Inspections;

/// <summary>The JSON API of inspection walks; the pages call the same <see cref="InspectionsService"/>.</summary>
public static class InspectionsApi
{
    public static WebApplicationBuilder AddInspections(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(new NavEntry(NavPlace.ConsoleMenu, "nav.inspections", "/console/inspections", InspectionPolicies.Inspections, 340, "nav.service"));
        InspectionPolicies.Add(builder.Services);
        builder.Services.AddScoped<InspectionsService>();
        return builder;
    }

    public static void MapInspectionsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/inspections").WithTags("Inspection walks").RequireAuthorization(InspectionPolicies.Inspections);
        api.MapGet("/", async (Guid? communityId, bool? finished, InspectionsService s, CurrentCommunity console) =>
            TypedResults.Ok(await s.ListAsync(await console.ResolveAsync(communityId), finished)));
        api.MapGet("/estates", async (Guid? communityId, InspectionsService s, CurrentCommunity console) =>
            TypedResults.Ok(await s.EstatesAsync(await console.ResolveAsync(communityId))));
        api.MapPost("/", StartAsync);
        api.MapGet("/{id:guid}", async (Guid id, InspectionsService s) => TypedResults.Ok(await s.DetailAsync(id)));
        api.MapPost("/{id:guid}/walked", async (Guid id, MarkWalkedInput input, InspectionsService s) =>
        {
            await s.MarkWalkedAsync(id, input.BuildingId);
            return TypedResults.Ok(await s.DetailAsync(id));
        });
        api.MapPost("/{id:guid}/problems", RecordProblemAsync).RequireAntiforgeryForCookies()
            .WithMetadata(new Infrastructure.Web.UploadLimitAttribute(WorkOrderPhoto.MaxPerStage * Infrastructure.Media.PhotoStore.MaxBytes))
            .Accepts<IFormCollection>("multipart/form-data");
        api.MapPost("/{id:guid}/finish", async (Guid id, InspectionsService s) =>
        {
            await s.FinishAsync(id);
            return TypedResults.Ok(await s.DetailAsync(id));
        });
    }

    public static async Task<Created<WalkDetail>> StartAsync(StartWalkInput input, InspectionsService s)
    {
        var walk = await s.StartAsync(input);
        return TypedResults.Created($"/api/inspections/{walk.Id}", await s.DetailAsync(walk.Id));
    }

    /// <summary>
    /// multipart/form-data: buildingId, entranceNumber (optional), categoryId, description, and up to nine photos. The
    /// photos are checked by their bytes before anything is written.
    /// </summary>
    public static async Task<Created<WalkProblemRow>> RecordProblemAsync(Guid id, HttpContext ctx, InspectionsService s)
    {
        if (!ctx.Request.HasFormContentType) throw new BadHttpRequestException("multipart/form-data expected", StatusCodes.Status415UnsupportedMediaType);
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var input = new ProblemInput
        {
            BuildingId = Guid.TryParse(form["buildingId"], out var b) ? b : Guid.Empty,
            EntranceNumber = string.IsNullOrWhiteSpace(form["entranceNumber"]) ? null
                : int.TryParse(form["entranceNumber"], out var e) ? e : throw DomainException.Invalid(nameof(ProblemInput.EntranceNumber), "inspections.entrance_unknown"),
            CategoryId = Guid.TryParse(form["categoryId"], out var c) ? c : Guid.Empty,
            Description = form["description"],
        };
        var photos = await WorkOrdersApi.PrepareAsync(form.Files, ctx.RequestAborted, required: false);
        var problem = await s.RecordProblemAsync(id, input, photos, ctx.RequestAborted);
        var detail = await s.DetailAsync(id, ctx.RequestAborted);
        return TypedResults.Created($"/api/inspections/{id}", detail.Problems.First(p => p.Id == problem.Id));
    }
}
