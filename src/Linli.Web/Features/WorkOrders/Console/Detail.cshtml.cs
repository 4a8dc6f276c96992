using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.WorkOrders.Console;

/// <summary>One order: what, where, who has it, the limits, the timeline, and a form for each step the user may take now.</summary>
[Infrastructure.Web.UploadLimit(WorkOrderPhoto.MaxPerStage * Infrastructure.Media.PhotoStore.MaxBytes)]
public sealed class DetailModel(CurrentCommunity console, WorkOrderQueries orders, WorkOrderSteps steps, WorkOrderRouting routing,
    ResidentsService residents, IAuthorizationService authz) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    /// <summary>The step's form; its handler select posts "Kind:Id".</summary>
    [BindProperty] public StepInput Input { get; set; } = new();
    public WorkOrderDetail Order { get; private set; } = null!;
    public List<Handler> Handlers { get; private set; } = [];
    /// <summary>Where the routing would send it now, shown beside the dispatch form.</summary>
    public RouteChoice? Suggested { get; private set; }
    /// <summary>The resident the order is for, to roles that read the registry and may see them there (phone masked).</summary>
    public ResidentPick? Resident { get; private set; }

    public OrderLive Live => new(Order, Staff: true, $"/console/orders/{Id}?handler=Live&v={Order.Version}", Changed: false);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    /// <summary>The page's poll: 204 while nothing changed, else the live part and the timeline (the step forms stay as typed).</summary>
    public async Task<IActionResult> OnGetLiveAsync(int v, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        if (await orders.VersionAsync(Id, ct) == v) return StatusCode(StatusCodes.Status204NoContent);
        Order = await orders.DetailAsync(Id, ct);
        return Partial("_OrderLive", Live with { Changed = true });
    }

    public async Task<IActionResult> OnPostStepAsync(string step, CancellationToken ct)
    {
        // After-photos come with the step that takes them (completing): checked first, saved with the step.
        if (await TryAsync(async () =>
            {
                var photos = WorkOrderFlow.Find(step)?.Reads(StepFields.Photos) == true && Request.HasFormContentType
                    ? await WorkOrdersApi.PrepareAsync(Request.Form.Files, HttpContext.RequestAborted, required: false) : [];
                await steps.TakeAsync(Id, step, Input, photos, HttpContext.RequestAborted);
            }, nameof(Input)))
        {
            try
            {
                await orders.DetailAsync(Id, ct);
                return RedirectWithFlash($"/console/orders/{Id}", T.Get("workorders.step_done." + step));
            }
            catch (Infrastructure.Errors.NotFoundException)
            {
                return RedirectWithFlash("/console/orders", T.Get("workorders.step_done." + step));
            }
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Order = await orders.DetailAsync(Id);
        if (Order.ResidentId is { } rid && (await authz.AuthorizeAsync(User, ResidentPolicies.Registry)).Succeeded)
            Resident = await residents.PickAsync(null, rid, withHome: false);
        if (Order.AllowedSteps.Contains("dispatch") || Order.AllowedSteps.Contains("transfer"))
            Handlers = await routing.HandlerChoicesAsync((await console.CurrentAsync())!.Id);
        if (Order.AllowedSteps.Contains("dispatch")) Suggested = await routing.SuggestAsync(Id);
    }
}
