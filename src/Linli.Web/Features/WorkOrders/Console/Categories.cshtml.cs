using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.WorkOrders.Console;

/// <summary>诉求分类: the community's category tree with its limits, public-board and grid-first switches and default handlers.</summary>
[Authorize(Policy = WorkOrderPolicies.ManageWorkOrders)]
public sealed class CategoriesModel(CurrentCommunity console, WorkOrderReference reference, WorkOrderRouting routing, WorkOrderSetupService setup) : LinliPageModel
{
    /// <summary>The category being edited (null: the form adds a new one).</summary>
    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }
    [BindProperty] public CategoryInput Input { get; set; } = new() { ResponseHours = 4, ResolutionHours = 24, WarningLeadHours = 4 };
    [BindProperty] public string? DefaultHandler { get; set; }
    public List<CategoryRow> Categories { get; private set; } = [];
    public List<Handler> Handlers { get; private set; } = [];
    public CategoryRow? Editing => Edit is { } id ? Categories.FirstOrDefault(c => c.Id == id) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync();
        if (Edit is not null && Editing is not { } e) return NotFound();
        if (Editing is { } c)
        {
            Input = new CategoryInput
            {
                ParentId = c.ParentId, Name = c.Name, ResponseHours = c.ResponseHours, ResolutionHours = c.ResolutionHours, WarningLeadHours = c.WarningLeadHours,
                WorkingHours = c.WorkingHours, Public = c.Public, GridFirst = c.GridFirst,
            };
            DefaultHandler = c.DefaultHandlerKind is { } k ? $"{k}:{c.DefaultHandlerId}" : null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        WorkOrderCategory? saved = null;
        var handler = HandlerInput.Parse(DefaultHandler);
        if (await TryAsync(async () =>
            {
                saved = Edit is { } id ? await setup.UpdateCategoryAsync(id, Input) : await setup.CreateCategoryAsync(community.Id, Input);
                if (saved.DefaultHandlerKind != handler?.Kind || saved.DefaultHandlerId != handler?.Id) await setup.SetDefaultHandlerAsync(saved.Id, handler);
            }, nameof(Input)))
            return RedirectWithFlash("/console/orders/categories", T.Get("categories.saved", saved!.Name));
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRetireAsync(Guid id, bool retired, CancellationToken ct)
    {
        WorkOrderCategory? c = null;
        if (await TryAsync(async () => c = await setup.SetRetiredAsync(id, retired)))
            return RedirectWithFlash("/console/orders/categories", T.Get(retired ? "categories.retired_flash" : "categories.restored_flash", c!.Name));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        if (await console.CurrentAsync() is not { } c) return;
        Categories = await reference.CategoriesAsync(c.Id);
        Handlers = await routing.HandlerChoicesAsync(c.Id);
    }
}
