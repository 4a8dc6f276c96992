using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.WorkOrders.Portal;

/// <summary>随手拍 on the phone: the resident's own reports, newest first.</summary>
[Authorize(Policy = Policies.Resident)]
public sealed class OrdersModel(WorkOrderQueries orders) : LinliPageModel
{
    public List<WorkOrderRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rows = await orders.ListAsync(null, mine: true, ct: ct);
}
