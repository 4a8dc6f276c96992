using System.Globalization;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders.Console;

/// <summary>派单规则 and 值班表: which handler gets which orders where and when, and who is on duty each day.</summary>
[Authorize(Policy = WorkOrderPolicies.ManageWorkOrders)]
public sealed class RoutingModel(CurrentCommunity console, WorkOrderReference reference, WorkOrderRouting routing, WorkOrderSetupService setup, WorkCalendarService calendar,
    AppDbContext db, TimeProvider clock) : LinliPageModel
{
    public const int DaysShown = 14;

    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }
    [BindProperty] public RuleInput Rule { get; set; } = new();
    [BindProperty] public string? RuleHandler { get; set; }
    [BindProperty] public DateOnly? DutyDate { get; set; }
    [BindProperty] public DutyInput Duty { get; set; } = new();

    public List<RuleRow> Rules { get; private set; } = [];
    public List<CategoryRow> Categories { get; private set; } = [];
    public List<Handler> Handlers { get; private set; } = [];
    public List<(Guid Id, string Name, bool HasCompany)> Estates { get; private set; } = [];
    public List<DutyRow> Duties { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public DateOnly OnDutyNow { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync();
        if (Edit is { } id)
        {
            if (Rules.FirstOrDefault(r => r.Id == id) is not { } r) return NotFound();
            Rule = new RuleInput { CategoryId = r.CategoryId, Place = r.Place, EstateId = r.EstateId, Time = r.Time, Target = r.Target, DispatchAtOnce = r.DispatchAtOnce };
            RuleHandler = r.HandlerKind is { } k ? $"{k}:{r.HandlerId}" : null;
        }
        DutyDate = Today;
        return Page();
    }

    public async Task<IActionResult> OnPostRuleAsync(CancellationToken ct)
    {
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        Rule.Handler = HandlerInput.Parse(RuleHandler);
        if (await TryAsync(async () => _ = Edit is { } id ? await setup.UpdateRuleAsync(id, Rule) : await setup.AddRuleAsync(community.Id, Rule), nameof(Rule)))
            return RedirectWithFlash("/console/orders/routing", T.Get("routing.saved"));
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, bool up, CancellationToken ct)
    {
        await setup.MoveRuleAsync(id, up, ct);
        return RedirectWithFlash("/console/orders/routing", T.Get("routing.moved"));
    }

    public async Task<IActionResult> OnPostRemoveRuleAsync(Guid id, CancellationToken ct)
    {
        await setup.RemoveRuleAsync(id, ct);
        return RedirectWithFlash("/console/orders/routing", T.Get("routing.removed"));
    }

    public async Task<IActionResult> OnPostDutyAsync(CancellationToken ct)
    {
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        if (DutyDate is not { } date) ModelState.AddModelError(nameof(DutyDate), T.Get("validation.required", T.Get("oncall.date")));
        else if (await TryAsync(() => setup.SetDutyAsync(community.Id, date, Duty), nameof(Duty)))
            return RedirectWithFlash("/console/orders/routing#on-call", T.Get("oncall.saved", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveDutyAsync(DateOnly date, CancellationToken ct)
    {
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        await setup.RemoveDutyAsync(community.Id, date, ct);
        return RedirectWithFlash("/console/orders/routing#on-call", T.Get("oncall.removed", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    public string Label(RuleRow r) => setup.Label(r);

    private async Task LoadAsync()
    {
        if (await console.CurrentAsync() is not { } c) return;
        var time = await calendar.CurrentAsync();
        Today = clock.Today();
        OnDutyNow = time.DutyDate(clock.GetUtcNow().UtcDateTime);
        Rules = await setup.RulesAsync(c.Id);
        Categories = (await reference.CategoriesAsync(c.Id)).Where(x => !x.IsRetired).ToList();
        Handlers = await routing.HandlerChoicesAsync(c.Id);
        Estates = (await db.Estates.AsNoTracking().Where(e => e.CommunityId == c.Id && !e.IsRetired).OrderBy(e => e.Name)
            .Select(e => new { e.Id, e.Name, HasCompany = e.PropertyCompanyName != null }).ToListAsync())
            .Select(e => (e.Id, e.Name, e.HasCompany)).ToList();
        var from = OnDutyNow < Today ? OnDutyNow : Today;
        Duties = await setup.DutiesAsync(c.Id, from, from.AddDays(DaysShown - 1));
    }
}
