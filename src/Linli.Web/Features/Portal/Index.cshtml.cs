using Linli.Web.Features.Places;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Portal;

/// <summary>The residents' home page (mobile first). Staff are taken to the console.</summary>
[AllowAnonymous]
public sealed class IndexModel(AppDbContext db) : LinliPageModel
{
    public Community? Community { get; private set; }
    public string? SubdistrictName { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated != true) return Page();
        if (User.IsStaff()) return LocalRedirect("/console");
        // The tenant filter leaves only the communities of the resident's own scope.
        Community = await db.Communities.AsNoTracking().OrderBy(c => c.DivisionCode).FirstOrDefaultAsync();
        if (Community is not null)
            SubdistrictName = await db.Divisions.AsNoTracking().Where(d => d.Code == Community.SubdistrictCode).Select(d => d.Name).FirstOrDefaultAsync();
        return Page();
    }
}
