using System.Globalization;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Calendar.Console;

/// <summary>工作日历: the system administrator enters each year's public holidays and adjusted working days (调休).</summary>
[Authorize(Policy = CalendarPolicies.ManageCalendar)]
public sealed class IndexModel(WorkCalendarService calendar, TimeProvider clock) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty] public DateOnly? Date { get; set; }
    [BindProperty] public CalendarDayInput Input { get; set; } = new();
    public List<CalendarDayRow> Days { get; private set; } = [];
    public int WorkingDays { get; private set; }
    public WorkingTime Time { get; private set; } = WorkingTime.Clock;

    public int ShownYear => Year is >= 2000 and <= 2100 ? Year.Value : Infrastructure.Time.ChinaTime.Today(clock).Year;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Date is not { } date)
        {
            ModelState.AddModelError(nameof(Date), T.Get("validation.required", T.Get("calendar.date")));
            await LoadAsync();
            return Page();
        }
        if (await TryAsync(() => calendar.SetAsync(date, Input), nameof(Input)))
            return RedirectWithFlash($"/console/calendar?year={date.Year}", T.Get("calendar.saved", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(DateOnly date, CancellationToken ct)
    {
        await calendar.RemoveAsync(date, ct);
        return RedirectWithFlash($"/console/calendar?year={date.Year}", T.Get("calendar.removed", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    private async Task LoadAsync()
    {
        Days = await calendar.YearAsync(ShownYear);
        Time = await calendar.CurrentAsync();
        var first = new DateOnly(ShownYear, 1, 1);
        WorkingDays = Enumerable.Range(0, DateTime.IsLeapYear(ShownYear) ? 366 : 365).Count(i => Time.IsWorkingDay(first.AddDays(i)));
    }
}
