using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Console.Orders;

/// <summary>Staff enter an order for a resident who phoned or came by, or a grid member records one from patrol.</summary>
public sealed class NewModel(ConsoleContext console, WorkOrdersService orders, AppDbContext db) : LinliPageModel
{
    [BindProperty] public NewWorkOrder Input { get; set; } = new();
    public List<CategoryRow> Categories { get; private set; } = [];
    public List<(Guid Id, string Label)> Buildings { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var c = await console.CurrentAsync() ?? throw new NotFoundException();
        WorkOrder? created = null;
        if (await TryAsync(async () => created = await orders.CreateAsync(c.Id, Input), nameof(Input)))
            return RedirectWithFlash($"/console/orders/{created!.Id}", T.Get("workorders.created_flash", created.Number));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        if (await console.CurrentAsync() is not { } c) return;
        Categories = (await orders.CategoriesAsync(c.Id)).Where(x => !x.IsRetired).ToList();
        Buildings = (await db.Buildings.AsNoTracking().Where(b => b.CommunityId == c.Id && !b.IsRetired)
            .Join(db.Estates, b => b.EstateId, e => e.Id, (b, e) => new { b.Id, e.Name, b.Number }).ToListAsync())
            .OrderBy(x => x.Name).ThenBy(x => x.Number.Length).ThenBy(x => x.Number)
            .Select(x => (x.Id, T.Get("workorders.building_option", x.Name, x.Number))).ToList();
    }
}
