using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.ApiDocs;
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
        builder.Services.AddApiTag("Inspection walks", "走访找问题: an estate walked building by building; each building marked walked, each problem found becomes a work order.");
        return builder;
    }

    public static void MapInspectionsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/inspections").WithTags("Inspection walks").RequireAuthorization(InspectionPolicies.Inspections);
        api.MapGet("/", async (Guid? communityId, bool? finished, InspectionsService s, CurrentCommunity console, CancellationToken ct) =>
            TypedResults.Ok(await s.ListAsync(await console.ResolveAsync(communityId), finished, ct: ct)))
            .WithName("listInspectionWalks").WithSummary("List a community's walks with their coverage (finished=false: the open ones)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/estates", async (Guid? communityId, InspectionsService s, CurrentCommunity console, CancellationToken ct) =>
            TypedResults.Ok(await s.EstatesAsync(await console.ResolveAsync(communityId), ct)))
            .WithName("listInspectionEstates").WithSummary("The estates the caller may walk, each with its open walk if there is one")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", StartAsync)
            .WithName("startInspectionWalk").WithSummary("Start a walk of an estate (an estate has one open walk at a time: else 409)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new StartWalkInput { EstateId = Guid.Parse("01a1c6fd-3bcb-7b5f-8de4-840d335f902f"), Note = "冬季安全检查" });
        api.MapGet("/{id:guid}", async (Guid id, InspectionsService s, CancellationToken ct) => TypedResults.Ok(await s.DetailAsync(id, ct)))
            .WithName("getInspectionWalk").WithSummary("A walk: its buildings (walked or not) and the problems recorded");
        api.MapPost("/{id:guid}/walked", async (Guid id, MarkWalkedInput input, InspectionsService s, CancellationToken ct) =>
        {
            await s.MarkWalkedAsync(id, input.BuildingId, ct);
            return TypedResults.Ok(await s.DetailAsync(id, ct));
        }).WithName("markBuildingWalked").WithSummary("Mark a building of the walk walked (again: no change, the first mark stays)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new MarkWalkedInput { BuildingId = ExampleBuilding });
        api.MapPost("/{id:guid}/problems", RecordProblemAsync).RequireAntiforgeryForCookies()
            .WithMetadata(new Infrastructure.Web.UploadLimitAttribute(WorkOrderPhoto.MaxPerStage * Infrastructure.Media.PhotoStore.MaxBytes))
            .Accepts<ProblemForm>("multipart/form-data")
            .WithName("recordInspectionProblem").WithSummary("Record a problem at a building of the walk: a work order with up to nine photos, in one go")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new ProblemForm { BuildingId = ExampleBuilding, EntranceNumber = 2, CategoryId = Guid.Parse("01a1a817-13cb-7727-8719-1b927d205858"), Description = "2 单元楼道灯不亮" });
        api.MapPost("/{id:guid}/finish", async (Guid id, InspectionsService s, CancellationToken ct) =>
        {
            await s.FinishAsync(id, ct);
            return TypedResults.Ok(await s.DetailAsync(id, ct));
        }).WithName("finishInspectionWalk").WithSummary("Finish the walk, whatever its coverage (the starter or the office; a finished walk: 409)")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static readonly Guid ExampleBuilding = Guid.Parse("01a1e5e3-63cb-7610-b2d0-1211298803ab");

    /// <summary>The problem's form, as the API document describes it (the handler reads the form itself).</summary>
    public sealed class ProblemForm
    {
        public Guid BuildingId { get; set; }
        /// <summary>Empty: the building as a whole or its common areas.</summary>
        public int? EntranceNumber { get; set; }
        public Guid CategoryId { get; set; }
        public string? Description { get; set; }
        /// <summary>Up to nine photos (JPEG, PNG or WebP, 10 MB each).</summary>
        public IFormFileCollection Photos { get; set; } = null!;
    }

    public static async Task<Created<WalkDetail>> StartAsync(StartWalkInput input, InspectionsService s, CancellationToken ct)
    {
        var walk = await s.StartAsync(input, ct);
        return TypedResults.Created($"/api/inspections/{walk.Id}", await s.DetailAsync(walk.Id, ct));
    }

    /// <summary>
    /// multipart/form-data: buildingId, entranceNumber (optional), categoryId, description, and up to nine photos. The
    /// photos are checked by their bytes before anything is written.
    /// </summary>
    public static async Task<Created<WalkProblemRow>> RecordProblemAsync(Guid id, HttpContext ctx, InspectionsService s, CancellationToken ct)
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
