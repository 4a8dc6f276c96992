using Linli.Web.Features.Residents;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;

namespace Linli.Web.Features.Residents.Console;

/// <summary>The secretary reads who saw whose full ID number, when and why.</summary>
[Authorize(Policy = ResidentPolicies.ReadReveals)]
public sealed class RevealsModel(CurrentCommunity console, ResidentsService residents) : LinliPageModel
{
    public List<RevealRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var c = await console.CurrentAsync() ?? throw new NotFoundException();
        Rows = await residents.RevealsAsync(c.Id, ct: ct);
    }
}
