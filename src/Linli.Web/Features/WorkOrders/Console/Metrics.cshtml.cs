using Linli.Web.Features.Shared;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Linli.Web.Features.WorkOrders.Console;

/// <summary>Response, resolution, satisfaction and on-time rates and the median time to done, by category, handler or community; to xlsx.</summary>
[Authorize(Policy = WorkOrderPolicies.Metrics)]
public sealed class MetricsModel(CurrentCommunity console, WorkOrderMetrics metrics, TimeProvider clock) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public MetricsBy By { get; set; } = MetricsBy.Category;
    public MetricsReport? Report { get; private set; }
    public bool SeesSeveral { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await TryAsync(LoadAsync);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        await LoadAsync();
        var r = Report!;
        var rows = r.Rows.Append(r.Total).Select(x => new Dictionary<string, object?>
        {
            [T.Get("metrics.by." + r.By)] = x.Group, [T.Get("metrics.reported")] = x.Reported,
            [T.Get("metrics.response_rate") + " %"] = x.ResponseRate, [T.Get("metrics.resolution_rate") + " %"] = x.ResolutionRate,
            [T.Get("metrics.satisfaction_rate") + " %"] = x.SatisfactionRate, [T.Get("metrics.on_time_rate") + " %"] = x.OnTimeRate,
            [T.Get("metrics.median_hours")] = x.MedianHoursToDone,
        });
        var buffer = new MemoryStream();
        await MiniExcel.SaveAsAsync(buffer, rows, sheetName: T.Get("metrics.title"), cancellationToken: ct);
        buffer.Position = 0;
        return File(buffer, Linli.Web.Features.Residents.ResidentsExport.ContentType, $"work-order-metrics-{r.From:yyyyMMdd}-{r.To:yyyyMMdd}.xlsx");
    }

    private async Task LoadAsync()
    {
        var (from, to) = WorkOrdersApi.MetricsPeriod(From, To, clock);
        (From, To) = (from, to);
        var all = await console.CommunitiesAsync();
        SeesSeveral = all.Count > 1;
        var communities = By == MetricsBy.Community ? all.Select(c => c.Id).ToList() : [(await console.CurrentAsync())!.Id];
        Report = await metrics.ForAsync(communities, from, to, By);
    }

    public static string Percent(double? rate) => rate is { } r ? $"{r:0.#}%" : "—";
}
