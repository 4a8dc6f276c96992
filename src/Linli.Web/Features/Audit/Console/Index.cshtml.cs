using System.Globalization;
using Linli.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Linli.Web.Features.Audit.Console;

public sealed class IndexModel(AuditQuery query) : LinliPageModel
{
    [BindProperty(SupportsGet = true)] public AuditFilter Filter { get; set; } = new();
    public AuditPage Result { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Result = await query.SearchAsync(Filter, ct);

    public string PageUrl(int page)
    {
        var q = Request.Query.Where(kv => kv.Key != "Page").ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
        q["Page"] = page.ToString(CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString("/console/audit", q);
    }
}
