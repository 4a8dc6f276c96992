using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.WorkOrders.Console;

/// <summary>The work orders the console user may see in the current community, newest first, by status.</summary>
public sealed class IndexModel(CurrentCommunity console, WorkOrderQueries orders) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public WorkOrderStatus? Status { get; set; }
    public List<WorkOrderRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await console.CurrentAsync() is { } c) Rows = await orders.ListAsync(c.Id, Status, take: 200, ct: ct);
    }
}
