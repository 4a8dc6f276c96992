using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Places.Console.Estates;

public sealed class IndexModel(CurrentCommunity console, PlacesService places) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public bool Retired { get; set; }
    public List<EstateRow> Rows { get; private set; } = [];
    public bool CanManage => User.IsInRole(Roles.Staff) || User.IsInRole(Roles.Secretary);

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await console.CurrentAsync() is { } c) Rows = await places.ListEstatesAsync(c.Id, Retired, ct);
    }
}
