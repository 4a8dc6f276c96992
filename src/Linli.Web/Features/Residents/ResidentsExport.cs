using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Time;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Linli.Web.Features.Residents;

/// <summary>
/// Exports exactly the filtered list to xlsx, with the column headers offices use. ID numbers and phones are masked;
/// a role that may reveal ID numbers can ask for the full numbers with a reason, and that export is audited like a
/// reveal (who, when, why, how many).
/// </summary>
public sealed class ResidentsExport(ResidentsService residents, Texts t, TimeProvider clock, AuditLog audit)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The workbook in memory and its file name, for the page's button and the API alike.</summary>
    public async Task<(MemoryStream Content, string FileName)> CreateAsync(Guid communityId, ResidentFilter filter, string? fullReason = null,
        CancellationToken ct = default)
    {
        var buffer = new MemoryStream();
        await WriteAsync(communityId, filter, buffer, fullReason, ct);
        buffer.Position = 0;
        return (buffer, $"residents-{clock.GetUtcNow().UtcDateTime + ChinaTime.Offset:yyyyMMdd-HHmm}.xlsx");
    }

    /// <param name="fullReason">Null for the masked export; the reason for an export with full numbers (the caller
    /// has checked that the role may reveal).</param>
    public async Task WriteAsync(Guid communityId, ResidentFilter filter, Stream output, string? fullReason = null, CancellationToken ct = default)
    {
        var full = fullReason is not null;
        if (full)
        {
            fullReason = fullReason!.Trim();
            if (fullReason.Length < 2) throw DomainException.Invalid("Reason", "residents.reveal_reason_required");
            if (fullReason.Length > 200) throw DomainException.Invalid("Reason", "validation.too_long", "field.reason", 200);
        }
        var rows = new List<Dictionary<string, object?>>();
        var page = 1;
        while (true)
        {
            var batch = await residents.SearchAsync(communityId, new ResidentFilter
            {
                Name = filter.Name, Phone = filter.Phone, IdNumber = filter.IdNumber, EstateId = filter.EstateId, BuildingId = filter.BuildingId,
                Entrance = filter.Entrance, HomeNumber = filter.HomeNumber, Tag = filter.Tag, GridId = filter.GridId, Page = page, Size = 500,
            }, ct);
            var numbers = full ? await residents.FullNumbersAsync(batch.Rows.Select(r => r.Id).ToList(), ct) : null;
            rows.AddRange(batch.Rows.Select(r => new Dictionary<string, object?>
            {
                [t.Get("export.name")] = r.Name,
                [t.Get("export.gender")] = r.Gender is { } g ? t.Get("gender." + g) : "",
                [t.Get("export.age")] = r.Age,
                [t.Get("export.id_number")] = (numbers is null ? r.IdNumberMasked : numbers.GetValueOrDefault(r.Id).IdNumber) ?? "",
                [t.Get("export.phone")] = (numbers is null ? r.PhoneMasked : numbers.GetValueOrDefault(r.Id).Phone) ?? "",
                [t.Get("export.address")] = r.Address ?? "",
                [t.Get("export.tags")] = string.Join("、", r.Tags),
            }));
            if (page * 500 >= batch.Total || batch.Rows.Count == 0) break;
            page++;
        }
        if (full)
            await audit.WriteAsync(AuditEvents.ResidentsExportedFull, "Resident", null, $"{rows.Count}: {fullReason}", communityId: communityId);
        if (rows.Count == 0)
        {
            rows.Add(new Dictionary<string, object?> { [t.Get("export.name")] = t.Get("residents.none_found") });
        }
        await MiniExcel.SaveAsAsync(output, rows, sheetName: t.Get("nav.residents"), cancellationToken: ct);
    }
}
