using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.WorkOrders;

/// <summary>The JSON API of work orders; the pages call the same services (intake, steps, routing, queries, photos).</summary>
public static class WorkOrdersApi
{
    public static WebApplicationBuilder AddWorkOrders(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(
            new NavEntry(NavPlace.ConsoleMenu, "nav.orders", "/console/orders", WorkOrderPolicies.Orders, 310, "nav.service"),
            new NavEntry(NavPlace.ConsoleMenu, "nav.categories", "/console/orders/categories", WorkOrderPolicies.ManageWorkOrders, 320, "nav.service"),
            new NavEntry(NavPlace.ConsoleMenu, "nav.routing", "/console/orders/routing", WorkOrderPolicies.ManageWorkOrders, 330, "nav.service"),
            new NavEntry(NavPlace.PortalTab, "nav.orders_resident", "/orders", null, 100, Icon: "✎"),
            new NavEntry(NavPlace.PortalTile, "workorders.report", "/orders/new", null, 100, Icon: "✚"),
            new NavEntry(NavPlace.PortalTile, "board.title", "/board/" + NavEntry.CommunityToken, null, 300, Icon: "☑"));
        WorkOrderPolicies.Add(builder.Services);
        builder.Services.AddScoped<WorkOrderCaller>();
        builder.Services.AddScoped<WorkOrderReference>();
        builder.Services.AddScoped<WorkOrderIntake>();
        builder.Services.AddScoped<WorkOrderSteps>();
        builder.Services.AddScoped<WorkOrderRouting>();
        builder.Services.AddScoped<WorkOrderQueries>();
        builder.Services.AddScoped<WorkOrderPhotos>();
        builder.Services.AddScoped<WorkOrderSetupService>();
        builder.Services.AddSingleton<WorkOrderNumbers>();
        builder.Services.AddScoped<PublicBoard>();
        builder.Services.AddScoped<WorkOrderMetrics>();
        builder.Services.AddScoped<WorkOrderMetricsRollup>();
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, WorkOrderMetricsInterceptor>();
        builder.Services.AddScoped<WorkOrderNotifier>();
        builder.Services.AddHostedService<WorkOrderClock>();
        builder.Services.AddHostedService<WorkOrderMetricsMaintenance>();
        builder.Services.AddApiTag("Work orders", "Work orders (工单): report, follow and take the flow's steps; photos; the public board; "
            + "the office's set-up: categories with their time limits, routing rules (派单规则) and the on-call list (值班表).");
        return builder;
    }

    public static void MapWorkOrdersApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/work-orders").WithTags("Work orders").RequireAuthorization();
        api.MapGet("/", async (Guid? communityId, WorkOrderStatus? status, bool? mine, WorkOrderQueries s, CancellationToken ct) =>
            TypedResults.Ok(await s.ListAsync(communityId, status, mine ?? false, ct: ct)))
            .WithName("listWorkOrders").WithSummary("List the latest orders the caller may see (mine=true: reported by or sent to the caller)");
        api.MapPost("/", CreateAsync)
            .WithName("createWorkOrder").WithSummary("Report a work order").WithDescription(WorkOrdersApiDocs.CreateDescription)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample("resident", "A resident's report", WorkOrdersApiDocs.ResidentReport)
            .WithRequestExample("staff", "Staff, on a resident's behalf", WorkOrdersApiDocs.StaffReport);
        api.MapGet("/metrics", async (DateOnly? from, DateOnly? to, MetricsBy? by, Guid? communityId, WorkOrderMetrics m, CurrentCommunity console, TimeProvider clock, CancellationToken ct) =>
        {
            var (f, t) = MetricsPeriod(from, to, clock);
            var communities = communityId is { } c ? [await console.ResolveAsync(c)] : (await console.CommunitiesAsync()).Select(x => x.Id).ToList();
            return TypedResults.Ok(await m.ForAsync(communities, f, t, by ?? MetricsBy.Category, ct));
        }).RequireAuthorization(WorkOrderPolicies.Metrics)
            .WithName("getWorkOrderMetrics").WithSummary("Counts, timeliness and satisfaction by category, grid, handler or community (China dates; the last 30 days by default)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/similar", async (NewWorkOrder input, WorkOrderIntake s, CurrentCommunity resolve, CancellationToken ct) =>
            TypedResults.Ok(await s.SimilarAsync(await resolve.ResolveAsync(input.CommunityId), input.CategoryId, input.Place, ct)))
            .WithName("findSimilarWorkOrders").WithSummary("Open orders of the same category at the same building (the duplicate hint before reporting)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestExample(WorkOrdersApiDocs.SimilarQuery);
        api.MapGet("/{id:guid}", async (Guid id, WorkOrderQueries s, CancellationToken ct) => TypedResults.Ok(await s.DetailAsync(id, ct)))
            .WithName("getWorkOrder").WithSummary("An order with its timeline, photos and the steps the caller may take now");
        // Where the routing would send the order now (the dispatcher's hint); 204 when no rule, grid or default handler applies.
        api.MapGet("/{id:guid}/route", async Task<Results<Ok<RouteChoice>, NoContent>> (Guid id, WorkOrderRouting s, CancellationToken ct) =>
            await s.SuggestAsync(id, ct) is { } r ? TypedResults.Ok(r) : TypedResults.NoContent())
            .WithName("suggestWorkOrderRoute").WithSummary("Where the routing would send the order now, and why (staff; 204 when nobody is set up)");
        api.MapPost("/{id:guid}/photos", AddPhotosAsync).RequireAntiforgeryForCookies()
            .WithMetadata(new Infrastructure.Web.UploadLimitAttribute(WorkOrderPhoto.MaxPerStage * Infrastructure.Media.PhotoStore.MaxBytes))
            .Accepts<WorkOrdersApiDocs.PhotosForm>("multipart/form-data")
            .WithName("addWorkOrderPhotos").WithSummary("Add photos to an order: before-photos while reporting, after-photos with the completion")
            .WithDescription(WorkOrdersApiDocs.PhotosDescription).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new WorkOrdersApiDocs.PhotosForm { Stage = PhotoStage.After });
        api.MapGet("/{id:guid}/photos/{photoId:guid}", async (Guid id, Guid photoId, bool? thumb, WorkOrderPhotos s, HttpContext ctx, CancellationToken ct) =>
        {
            ctx.Response.Headers.CacheControl = "private, max-age=86400";
            return TypedResults.PhysicalFile(await s.FileAsync(id, photoId, thumb ?? false, ct), "image/jpeg");
        }).WithName("getWorkOrderPhoto").WithSummary("A photo of the order as JPEG (thumb=true: the thumbnail)").ProducesFile("image/jpeg");
        api.MapPost("/{id:guid}/{step}", StepAsync)
            .WithParameterValues("step", WorkOrderFlow.Names)
            .WithName("takeWorkOrderStep").WithSummary("Take a step of the order's flow (accept, dispatch, take, complete, …)")
            .WithDescription(WorkOrdersApiDocs.StepDescription).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExamples(WorkOrdersApiDocs.StepExamples);
        // The public board: anonymous, by division code; its photos only while their order is on the board.
        app.MapGet("/api/board/{code}", async (string code, PublicBoard b, CancellationToken ct) => TypedResults.Ok(await b.ForAsync(code, ct: ct))).WithTags("Work orders").AllowAnonymous()
            .WithName("getPublicBoard").WithSummary("A community's public board (公示栏) by its division code: what it fixed in 90 days, with photos and no personal data")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/board/{code}/photos/{photoId:guid}", async (string code, Guid photoId, bool? thumb, PublicBoard b, Infrastructure.Media.PhotoStore store, HttpContext ctx, CancellationToken ct) =>
        {
            var (file, thumbnail) = await b.PhotoAsync(code, photoId, ct);
            ctx.Response.Headers.CacheControl = "public, max-age=3600";
            return TypedResults.PhysicalFile(store.PathOf(thumb == true ? thumbnail : file), "image/jpeg");
        }).AllowAnonymous().ExcludeFromDescription();
        var categories = app.MapGroup("/api/work-order-categories").WithTags("Work orders").RequireAuthorization();
        categories.MapGet("/", async (Guid? communityId, WorkOrderReference s, CurrentCommunity resolve, CancellationToken ct) =>
            TypedResults.Ok(await s.CategoriesAsync(await resolve.ResolveAsync(communityId), ct)))
            .WithName("listWorkOrderCategories").WithSummary("A community's category tree with time limits and default handlers")
            .ProducesProblem(StatusCodes.Status404NotFound);
        categories.MapPost("/", async (CategoryInput input, WorkOrderSetupService s, CurrentCommunity resolve, CancellationToken ct) =>
        {
            var c = await s.CreateCategoryAsync(await resolve.ResolveAsync(input.CommunityId), input, ct);
            return TypedResults.Created($"/api/work-order-categories/{c.Id}", CategoryRow.Of(c));
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("createWorkOrderCategory").WithSummary("Create a category (a top category, or one under parentId) with its time limits")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(WorkOrdersApiDocs.NewCategory);
        categories.MapPut("/{id:guid}", async (Guid id, CategoryInput input, WorkOrderSetupService s, CancellationToken ct) => TypedResults.Ok(CategoryRow.Of(await s.UpdateCategoryAsync(id, input, ct))))
            .RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("updateWorkOrderCategory").WithSummary("Rename a category and change its limits (orders reported later get them)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(WorkOrdersApiDocs.NewCategory);
        categories.MapPost("/{id:guid}/retire", async (Guid id, WorkOrderSetupService s, CancellationToken ct) => TypedResults.Ok(CategoryRow.Of(await s.SetRetiredAsync(id, true, ct))))
            .RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("retireWorkOrderCategory").WithSummary("Retire a category (a top category with its sub-categories)");
        categories.MapPost("/{id:guid}/restore", async (Guid id, WorkOrderSetupService s, CancellationToken ct) => TypedResults.Ok(CategoryRow.Of(await s.SetRetiredAsync(id, false, ct))))
            .RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("restoreWorkOrderCategory").WithSummary("Restore a retired category (409 while its parent is retired)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        categories.MapPut("/{id:guid}/default-handler", async (Guid id, HandlerInput? handler, WorkOrderSetupService s, CancellationToken ct) =>
            TypedResults.Ok(CategoryRow.Of(await s.SetDefaultHandlerAsync(id, handler, ct)))).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("setCategoryDefaultHandler").WithSummary("Set the category's default handler (an empty body clears it)")
            .WithRequestExample(WorkOrdersApiDocs.DefaultHandler);

        // 派单规则 and 值班表: read by the console, changed by the office.
        var rules = app.MapGroup("/api/routing-rules").WithTags("Work orders").RequireAuthorization(Policies.Console);
        rules.MapGet("/", async (Guid? communityId, WorkOrderSetupService s, CurrentCommunity resolve, CancellationToken ct) => TypedResults.Ok(await s.RulesAsync(await resolve.ResolveAsync(communityId), ct)))
            .WithName("listRoutingRules").WithSummary("A community's routing rules in the order they are tried")
            .ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapPost("/", async (RuleInput input, WorkOrderSetupService s, CurrentCommunity resolve, CancellationToken ct) =>
        {
            var community = await resolve.ResolveAsync(input.CommunityId);
            var rule = await s.AddRuleAsync(community, input, ct);
            return TypedResults.Created($"/api/routing-rules/{rule.Id}", (await s.RulesAsync(community, ct)).Single(r => r.Id == rule.Id));
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("createRoutingRule").WithSummary("Add a routing rule at the end of the list")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestExample(WorkOrdersApiDocs.Rule);
        rules.MapPut("/{id:guid}", async (Guid id, RuleInput input, WorkOrderSetupService s, CancellationToken ct) =>
        {
            var rule = await s.UpdateRuleAsync(id, input, ct);
            return TypedResults.Ok((await s.RulesAsync(rule.CommunityId, ct)).Single(r => r.Id == rule.Id));
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("updateRoutingRule").WithSummary("Change a routing rule")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(WorkOrdersApiDocs.Rule);
        rules.MapPost("/{id:guid}/move", async (Guid id, bool up, WorkOrderSetupService s, CancellationToken ct) =>
        {
            await s.MoveRuleAsync(id, up, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("moveRoutingRule").WithSummary("Move a rule one place earlier (up=true) or later")
            .ProducesProblem(StatusCodes.Status409Conflict);
        rules.MapDelete("/{id:guid}", async (Guid id, WorkOrderSetupService s, CancellationToken ct) =>
        {
            await s.RemoveRuleAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("removeRoutingRule").WithSummary("Remove a routing rule")
            .ProducesProblem(StatusCodes.Status409Conflict);
        var onCall = app.MapGroup("/api/on-call").WithTags("Work orders").RequireAuthorization(Policies.Console);
        onCall.MapGet("/", async (Guid? communityId, DateOnly? from, DateOnly? to, WorkOrderSetupService s, CurrentCommunity resolve, TimeProvider clock, CancellationToken ct) =>
        {
            var f = from ?? Infrastructure.Time.ChinaTime.Today(clock);
            return TypedResults.Ok(await s.DutiesAsync(await resolve.ResolveAsync(communityId), f, to ?? f.AddDays(30), ct));
        }).WithName("listOnCallDuties").WithSummary("Who is on duty each day (from today for 30 days by default)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        onCall.MapPut("/{date}", async (DateOnly date, DutyInput input, WorkOrderSetupService s, CurrentCommunity resolve, CancellationToken ct) =>
            TypedResults.Ok(await s.SetDutyAsync(await resolve.ResolveAsync(input.CommunityId), date, input, ct))).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("setOnCallDuty").WithSummary("Put a staff or grid member on duty for a duty day (from one office opening to the next)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(WorkOrdersApiDocs.Duty);
        onCall.MapDelete("/{date}", async (DateOnly date, Guid? communityId, WorkOrderSetupService s, CurrentCommunity resolve, CancellationToken ct) =>
        {
            await s.RemoveDutyAsync(await resolve.ResolveAsync(communityId), date, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders)
            .WithName("removeOnCallDuty").WithSummary("Take the duty of a day off the list")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>The period of the metrics: the given dates, else the last 30 days (China dates).</summary>
    public static (DateOnly From, DateOnly To) MetricsPeriod(DateOnly? from, DateOnly? to, TimeProvider clock)
    {
        var today = Infrastructure.Time.ChinaTime.Today(clock);
        var end = to ?? today;
        return (from ?? end.AddDays(-29), end);
    }

    /// <summary>Takes a step and answers the order as it is now; 204 when the step took it out of the caller's sight (returned, transferred).</summary>
    public static async Task<Results<Ok<WorkOrderDetail>, NoContent>> StepAsync(Guid id, string step, StepInput? input, WorkOrderSteps steps, WorkOrderQueries s, CancellationToken ct)
    {
        await steps.TakeAsync(id, step, input ?? new StepInput(), ct: ct);
        try
        {
            return TypedResults.Ok(await s.DetailAsync(id, ct));
        }
        catch (Infrastructure.Errors.NotFoundException)
        {
            return TypedResults.NoContent();
        }
    }

    /// <summary>
    /// multipart/form-data: one or more files in "photos" (or "file"), and "stage" = Before (default) or After. The body
    /// is streamed part by part: a photo over 10 MB is refused as soon as its eleventh megabyte arrives, not after the
    /// whole upload has been read.
    /// </summary>
    public static async Task<Ok<WorkOrderDetail>> AddPhotosAsync(Guid id, HttpContext ctx, WorkOrderPhotos photos, WorkOrderQueries s, CancellationToken ct)
    {
        var boundary = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(ctx.Request.ContentType, out var type)
            ? Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary)) throw Infrastructure.Errors.DomainException.Invalid("Photos", "photos.none");
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, ctx.Request.Body);
        var stage = PhotoStage.Before;
        var prepared = new List<Infrastructure.Media.PreparedPhoto>();
        while (await reader.ReadNextSectionAsync(ctx.RequestAborted) is { } section)
        {
            if (!Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue)
            {
                if (prepared.Count == WorkOrderPhoto.MaxPerStage) throw Infrastructure.Errors.DomainException.Invalid("Photos", "photos.too_many", WorkOrderPhoto.MaxPerStage);
                prepared.Add(await Infrastructure.Media.PhotoStore.PrepareAsync(section.Body, "Photos", ctx.RequestAborted));
            }
            else if (name == "stage")
            {
                using var text = new StreamReader(section.Body);
                stage = Enum.TryParse<PhotoStage>(await text.ReadToEndAsync(ctx.RequestAborted), true, out var st) ? st : PhotoStage.Before;
            }
        }
        if (prepared.Count == 0) throw Infrastructure.Errors.DomainException.Invalid("Photos", "photos.none");
        await photos.AddAsync(id, stage, prepared, ct);
        return TypedResults.Ok(await s.DetailAsync(id, ct));
    }

    /// <summary>Checks every uploaded file before anything is written; no file is a 400.</summary>
    public static async Task<List<Infrastructure.Media.PreparedPhoto>> PrepareAsync(IFormFileCollection files, CancellationToken ct, bool required = true)
    {
        var list = files.Where(f => f.Length > 0).ToList();
        if (list.Count == 0 && required) throw Infrastructure.Errors.DomainException.Invalid("Photos", "photos.none");
        if (list.Count > WorkOrderPhoto.MaxPerStage) throw Infrastructure.Errors.DomainException.Invalid("Photos", "photos.too_many", WorkOrderPhoto.MaxPerStage);
        var prepared = new List<Infrastructure.Media.PreparedPhoto>();
        foreach (var f in list)
        {
            await using var stream = f.OpenReadStream();
            prepared.Add(await Infrastructure.Media.PhotoStore.PrepareAsync(stream, "Photos", ct));
        }
        return prepared;
    }

    public static async Task<Created<WorkOrderDetail>> CreateAsync(NewWorkOrder input, WorkOrderIntake intake, WorkOrderQueries s, CurrentCommunity resolve, CancellationToken ct)
    {
        var reported = await intake.ReportAsync(await resolve.ResolveAsync(input.CommunityId), input, [], ct: ct);
        return TypedResults.Created($"/api/work-orders/{reported.Order.Id}", await s.ReportedDetailAsync(reported, ct));
    }
}
