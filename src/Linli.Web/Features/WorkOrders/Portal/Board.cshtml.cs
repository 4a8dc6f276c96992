using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.WorkOrders.Portal;

/// <summary>The public board of a community (公示栏): anyone may read it, signed in or not.</summary>
[AllowAnonymous]
public sealed class BoardModel(PublicBoard board) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public string Code { get; set; } = "";
    public WorkOrders.Board Board { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Board = await board.ForAsync(Code, ct: ct);
}
