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
        builder.Services.AddSingleton(new Infrastructure.Media.PhotoStore(builder.Configuration["Photos:Folder"]
            ?? Path.Combine(builder.Environment.ContentRootPath, "data", "photos")));
        return builder;
    }

    public static void MapWorkOrdersApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/work-orders").WithTags("Work orders").RequireAuthorization();
        api.MapGet("/", async (Guid? communityId, WorkOrderStatus? status, bool? mine, WorkOrderQueries s) =>
            TypedResults.Ok(await s.ListAsync(communityId, status, mine ?? false)));
        api.MapPost("/", CreateAsync);
        api.MapGet("/metrics", async (DateOnly? from, DateOnly? to, MetricsBy? by, Guid? communityId, WorkOrderMetrics m, CurrentCommunity console, TimeProvider clock) =>
        {
            var (f, t) = MetricsPeriod(from, to, clock);
            var communities = communityId is { } c ? [await console.ResolveAsync(c)] : (await console.CommunitiesAsync()).Select(x => x.Id).ToList();
            return TypedResults.Ok(await m.ForAsync(communities, f, t, by ?? MetricsBy.Category));
        }).RequireAuthorization(WorkOrderPolicies.Metrics);
        api.MapPost("/similar", async (NewWorkOrder input, WorkOrderIntake s, CurrentCommunity resolve) =>
            TypedResults.Ok(await s.SimilarAsync(await resolve.ResolveAsync(input.CommunityId), input.CategoryId, input.Place)));
        api.MapGet("/{id:guid}", async (Guid id, WorkOrderQueries s) => TypedResults.Ok(await s.DetailAsync(id)));
        // Where the routing would send the order now (the dispatcher's hint); 204 when no rule, grid or default handler applies.
        api.MapGet("/{id:guid}/route", async Task<Results<Ok<RouteChoice>, NoContent>> (Guid id, WorkOrderRouting s) =>
            await s.SuggestAsync(id) is { } r ? TypedResults.Ok(r) : TypedResults.NoContent());
        api.MapPost("/{id:guid}/photos", AddPhotosAsync).RequireAntiforgeryForCookies()
            .WithMetadata(new Infrastructure.Web.UploadLimitAttribute(WorkOrderPhoto.MaxPerStage * Infrastructure.Media.PhotoStore.MaxBytes))
            .Accepts<IFormFileCollection>("multipart/form-data");
        api.MapGet("/{id:guid}/photos/{photoId:guid}", async (Guid id, Guid photoId, bool? thumb, WorkOrderPhotos s, HttpContext ctx) =>
        {
            ctx.Response.Headers.CacheControl = "private, max-age=86400";
            return TypedResults.PhysicalFile(await s.FileAsync(id, photoId, thumb ?? false), "image/jpeg");
        });
        api.MapPost("/{id:guid}/{step}", StepAsync);
        // The public board: anonymous, by division code; its photos only while their order is on the board.
        app.MapGet("/api/board/{code}", async (string code, PublicBoard b) => TypedResults.Ok(await b.ForAsync(code))).WithTags("Work orders").AllowAnonymous();
        app.MapGet("/board/{code}/photos/{photoId:guid}", async (string code, Guid photoId, bool? thumb, PublicBoard b, Infrastructure.Media.PhotoStore store, HttpContext ctx) =>
        {
            var (file, thumbnail) = await b.PhotoAsync(code, photoId);
            ctx.Response.Headers.CacheControl = "public, max-age=3600";
            return TypedResults.PhysicalFile(store.PathOf(thumb == true ? thumbnail : file), "image/jpeg");
        }).AllowAnonymous().ExcludeFromDescription();
        var categories = app.MapGroup("/api/work-order-categories").WithTags("Work orders").RequireAuthorization();
        categories.MapGet("/", async (Guid? communityId, WorkOrderReference s, CurrentCommunity resolve) =>
            TypedResults.Ok(await s.CategoriesAsync(await resolve.ResolveAsync(communityId))));
        categories.MapPost("/", async (CategoryInput input, WorkOrderSetupService s, CurrentCommunity resolve) =>
        {
            var c = await s.CreateCategoryAsync(await resolve.ResolveAsync(input.CommunityId), input);
            return TypedResults.Created($"/api/work-order-categories/{c.Id}", CategoryRow.Of(c));
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        categories.MapPut("/{id:guid}", async (Guid id, CategoryInput input, WorkOrderSetupService s) => TypedResults.Ok(CategoryRow.Of(await s.UpdateCategoryAsync(id, input))))
            .RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        categories.MapPost("/{id:guid}/retire", async (Guid id, WorkOrderSetupService s) => TypedResults.Ok(CategoryRow.Of(await s.SetRetiredAsync(id, true))))
            .RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        categories.MapPost("/{id:guid}/restore", async (Guid id, WorkOrderSetupService s) => TypedResults.Ok(CategoryRow.Of(await s.SetRetiredAsync(id, false))))
            .RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        categories.MapPut("/{id:guid}/default-handler", async (Guid id, HandlerInput? handler, WorkOrderSetupService s) =>
            TypedResults.Ok(CategoryRow.Of(await s.SetDefaultHandlerAsync(id, handler)))).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);

        // 派单规则 and 值班表: read by the console, changed by the office.
        var rules = app.MapGroup("/api/routing-rules").WithTags("Work orders").RequireAuthorization(Policies.Console);
        rules.MapGet("/", async (Guid? communityId, WorkOrderSetupService s, CurrentCommunity resolve) => TypedResults.Ok(await s.RulesAsync(await resolve.ResolveAsync(communityId))));
        rules.MapPost("/", async (RuleInput input, WorkOrderSetupService s, CurrentCommunity resolve) =>
        {
            var community = await resolve.ResolveAsync(input.CommunityId);
            var rule = await s.AddRuleAsync(community, input);
            return TypedResults.Created($"/api/routing-rules/{rule.Id}", (await s.RulesAsync(community)).Single(r => r.Id == rule.Id));
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        rules.MapPut("/{id:guid}", async (Guid id, RuleInput input, WorkOrderSetupService s) =>
        {
            var rule = await s.UpdateRuleAsync(id, input);
            return TypedResults.Ok((await s.RulesAsync(rule.CommunityId)).Single(r => r.Id == rule.Id));
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        rules.MapPost("/{id:guid}/move", async (Guid id, bool up, WorkOrderSetupService s) =>
        {
            await s.MoveRuleAsync(id, up);
            return TypedResults.NoContent();
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        rules.MapDelete("/{id:guid}", async (Guid id, WorkOrderSetupService s) =>
        {
            await s.RemoveRuleAsync(id);
            return TypedResults.NoContent();
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        var onCall = app.MapGroup("/api/on-call").WithTags("Work orders").RequireAuthorization(Policies.Console);
        onCall.MapGet("/", async (Guid? communityId, DateOnly? from, DateOnly? to, WorkOrderSetupService s, CurrentCommunity resolve, TimeProvider clock) =>
        {
            var f = from ?? Infrastructure.Time.ChinaTime.Today(clock);
            return TypedResults.Ok(await s.DutiesAsync(await resolve.ResolveAsync(communityId), f, to ?? f.AddDays(30)));
        });
        onCall.MapPut("/{date}", async (DateOnly date, DutyInput input, WorkOrderSetupService s, CurrentCommunity resolve) =>
            TypedResults.Ok(await s.SetDutyAsync(await resolve.ResolveAsync(input.CommunityId), date, input))).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
        onCall.MapDelete("/{date}", async (DateOnly date, Guid? communityId, WorkOrderSetupService s, CurrentCommunity resolve) =>
        {
            await s.RemoveDutyAsync(await resolve.ResolveAsync(communityId), date);
            return TypedResults.NoContent();
        }).RequireAuthorization(WorkOrderPolicies.ManageWorkOrders);
    }

    /// <summary>The period of the metrics: the given dates, else the last 30 days (China dates).</summary>
    public static (DateOnly From, DateOnly To) MetricsPeriod(DateOnly? from, DateOnly? to, TimeProvider clock)
    {
        var today = Infrastructure.Time.ChinaTime.Today(clock);
        var end = to ?? today;
        return (from ?? end.AddDays(-29), end);
    }

    /// <summary>Takes a step and answers the order as it is now; 204 when the step took it out of the caller's sight (returned, transferred).</summary>
    public static async Task<Results<Ok<WorkOrderDetail>, NoContent>> StepAsync(Guid id, string step, StepInput? input, WorkOrderSteps steps, WorkOrderQueries s)
    {
        await steps.TakeAsync(id, step, input ?? new StepInput());
        try
        {
            return TypedResults.Ok(await s.DetailAsync(id));
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
    public static async Task<Ok<WorkOrderDetail>> AddPhotosAsync(Guid id, HttpContext ctx, WorkOrderPhotos photos, WorkOrderQueries s)
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
        await photos.AddAsync(id, stage, prepared);
        return TypedResults.Ok(await s.DetailAsync(id));
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

    public static async Task<Created<WorkOrderDetail>> CreateAsync(NewWorkOrder input, WorkOrderIntake intake, WorkOrderQueries s, CurrentCommunity resolve)
    {
        var reported = await intake.ReportAsync(await resolve.ResolveAsync(input.CommunityId), input, []);
        return TypedResults.Created($"/api/work-orders/{reported.Order.Id}", await s.ReportedDetailAsync(reported));
    }
}
