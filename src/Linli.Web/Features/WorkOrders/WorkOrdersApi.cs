using Linli.Web.Features.Console;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.WorkOrders;

/// <summary>The JSON API of work orders; the pages call the same <see cref="WorkOrdersService"/>.</summary>
public static class WorkOrdersApi
{
    public static WebApplicationBuilder AddWorkOrders(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WorkOrdersService>();
        return builder;
    }

    public static void MapWorkOrdersApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/work-orders").WithTags("Work orders").RequireAuthorization();
        api.MapGet("/", async (Guid? communityId, WorkOrderStatus? status, bool? mine, WorkOrdersService s) =>
            TypedResults.Ok(await s.ListAsync(communityId, status, mine ?? false)));
        api.MapPost("/", CreateAsync);
        api.MapGet("/{id:guid}", async (Guid id, WorkOrdersService s) => TypedResults.Ok(await s.DetailAsync(id)));
        api.MapPost("/{id:guid}/{step}", StepAsync);
        var categories = app.MapGroup("/api/work-order-categories").WithTags("Work orders").RequireAuthorization();
        categories.MapGet("/", async (Guid? communityId, WorkOrdersService s, ConsoleContext resolve) =>
            TypedResults.Ok(await s.CategoriesAsync(await resolve.ResolveAsync(communityId))));
        categories.MapPut("/{id:guid}/default-handler", async (Guid id, HandlerInput? handler, WorkOrdersService s) =>
        {
            var c = await s.SetCategoryHandlerAsync(id, handler);
            return TypedResults.Ok(new { c.Id, c.DefaultHandlerKind, c.DefaultHandlerId, c.DefaultHandlerName });
        }).RequireAuthorization(Policies.Console);
    }

    /// <summary>Takes a step and answers the order as it is now; 204 when the step took it out of the caller's sight (returned, transferred).</summary>
    public static async Task<Results<Ok<WorkOrderDetail>, NoContent>> StepAsync(Guid id, string step, StepInput? input, WorkOrdersService s)
    {
        await s.StepAsync(id, step, input ?? new StepInput());
        try
        {
            return TypedResults.Ok(await s.DetailAsync(id));
        }
        catch (Infrastructure.Errors.NotFoundException)
        {
            return TypedResults.NoContent();
        }
    }

    public static async Task<Created<WorkOrderDetail>> CreateAsync(NewWorkOrder input, WorkOrdersService s, ConsoleContext resolve)
    {
        var order = await s.CreateAsync(await resolve.ResolveAsync(input.CommunityId), input);
        return TypedResults.Created($"/api/work-orders/{order.Id}", await s.DetailAsync(order.Id));
    }
}
