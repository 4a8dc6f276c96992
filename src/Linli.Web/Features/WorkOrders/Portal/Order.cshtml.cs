using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.WorkOrders.Portal;

/// <summary>One of the resident's orders: where it is, in plain words, and the rating when it is done.</summary>
[Authorize(Policy = Policies.Resident)]
public sealed class OrderModel(WorkOrderQueries orders, WorkOrderSteps steps) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public int? Rating { get; set; }
    [BindProperty] public string? Comment { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public WorkOrderDetail Order { get; private set; } = null!;
    public OrderLive Live => new(Order, Staff: false, $"/orders/{Id}?handler=Live&v={Order.Version}", Changed: false);

    public async Task OnGetAsync(CancellationToken ct) => Order = await orders.DetailAsync(Id, ct);

    /// <summary>The page's poll: 204 while nothing changed, else the live part and the timeline.</summary>
    public async Task<IActionResult> OnGetLiveAsync(int v, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        if (await orders.VersionAsync(Id, ct) == v) return StatusCode(StatusCodes.Status204NoContent);
        Order = await orders.DetailAsync(Id, ct);
        return Partial("_OrderLive", Live with { Changed = true });
    }

    public async Task<IActionResult> OnPostStepAsync(string step, CancellationToken ct)
    {
        // The resident's page takes the steps a reporter may take; the others belong to the console.
        if (WorkOrderFlow.Find(step) is not { } row || !WorkOrderFlow.MayTake(row, FlowParty.Reporter)) return NotFound();
        if (await TryAsync(() => steps.TakeAsync(Id, step, new StepInput { Rating = Rating, Comment = Comment, Reason = Reason })))
            return RedirectWithFlash($"/orders/{Id}", T.Get("workorders.step_done." + step));
        Order = await orders.DetailAsync(Id, ct);
        return Page();
    }
}
