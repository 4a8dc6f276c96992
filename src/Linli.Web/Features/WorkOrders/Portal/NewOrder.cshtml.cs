using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.WorkOrders.Portal;

/// <summary>Report a problem: category, what, where (the own home by default, or words).</summary>
[Authorize(Policy = Policies.Resident)]
[Infrastructure.Web.UploadLimit(WorkOrderPhoto.MaxPerStage * Infrastructure.Media.PhotoStore.MaxBytes)]
public sealed class NewOrderModel(WorkOrderIntake intake, WorkOrderReference reference, CurrentCommunity communities, ResidentsService residents) : LinliPageModel
{
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public Guid CategoryId { get; set; }
    [BindProperty] public bool AtHome { get; set; } = true;
    [BindProperty] public string? PlaceText { get; set; }
    [BindProperty] public Guid? DuplicateOfId { get; set; }
    public List<SimilarOrder> Similar { get; private set; } = [];
    public List<CategoryRow> Categories { get; private set; } = [];
    public (Guid HomeId, string Address)? Home { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var community = (await communities.CurrentAsync()) ?? throw new NotFoundException();
        await LoadAsync();
        var input = new NewWorkOrder
        {
            CategoryId = CategoryId, Description = Description, DuplicateOfId = DuplicateOfId,
            Place = new PlaceInput { HomeId = AtHome ? Home?.HomeId : null, Text = AtHome && Home is not null ? null : PlaceText },
        };
        WorkOrder? created = null;
        // The photos are checked before the order is created and saved with it: a bad photo or a refused report leaves nothing behind.
        if (await TryAsync(async () =>
            {
                var photos = await WorkOrdersApi.PrepareAsync(Request.Form.Files, HttpContext.RequestAborted, required: false);
                created = (await intake.ReportAsync(community.Id, input, photos, ct: HttpContext.RequestAborted)).Order;
            }))
            return RedirectWithFlash($"/orders/{created!.Id}", T.Get("workorders.reported_flash", created.Number));
        // The hint stays with the choice she made while she corrects the rest.
        if (AtHome && Home is { } home && CategoryId != Guid.Empty)
            Similar = await intake.SimilarAsync(community.Id, CategoryId, new PlaceInput { HomeId = home.HomeId }, ct);
        return Page();
    }

    /// <summary>htmx: the open orders that look like the same problem (same category, same building), as the reporter picks them.</summary>
    public async Task<IActionResult> OnPostSimilarAsync(CancellationToken ct)
    {
        var community = (await communities.CurrentAsync()) ?? throw new NotFoundException();
        await LoadAsync();
        if (AtHome && Home is { } home && CategoryId != Guid.Empty)
            Similar = await intake.SimilarAsync(community.Id, CategoryId, new PlaceInput { HomeId = home.HomeId }, ct);
        return Partial("_SimilarOrders", new SimilarHint(Similar, nameof(DuplicateOfId)));
    }

    private async Task LoadAsync()
    {
        if (await communities.CurrentAsync() is { } c) Categories = (await reference.CategoriesAsync(c.Id)).Where(x => !x.IsRetired).ToList();
        if (User.UserId() is { } me && await residents.ForAccountAsync(me) is { } r && r.Current is { } home)
        {
            var household = await residents.HouseholdAsync(home.HomeId);
            Home = (home.HomeId, household.Address);
        }
    }
}
