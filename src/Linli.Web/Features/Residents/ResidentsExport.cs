using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Time;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Linli.Web.Features.Residents;

/// <summary>
/// Exports exactly the filtered list to xlsx, with the column headers offices use. ID numbers and phones stay
/// masked: the export is for lists and visits; a full number is revealed one at a time, with a reason.
/// </summary>
public sealed class ResidentsExport(ResidentsService residents, Texts t, TimeProvider clock)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The workbook in memory and its file name, for the page's button and the API alike.</summary>
    public async Task<(MemoryStream Content, string FileName)> CreateAsync(Guid communityId, ResidentFilter filter, CancellationToken ct = default)
    {
        var buffer = new MemoryStream();
        await WriteAsync(communityId, filter, buffer, ct);
        buffer.Position = 0;
        return (buffer, $"residents-{clock.GetUtcNow().UtcDateTime + ChinaTime.Offset:yyyyMMdd-HHmm}.xlsx");
    }

    public async Task WriteAsync(Guid communityId, ResidentFilter filter, Stream output, CancellationToken ct = default)
    {
        var rows = new List<Dictionary<string, object?>>();
        var page = 1;
        while (true)
        {
            var batch = await residents.SearchAsync(communityId, new ResidentFilter
            {
                Name = filter.Name, Phone = filter.Phone, IdNumber = filter.IdNumber, EstateId = filter.EstateId, BuildingId = filter.BuildingId,
                Entrance = filter.Entrance, HomeNumber = filter.HomeNumber, Tag = filter.Tag, GridId = filter.GridId, Page = page, Size = 500,
            }, ct);
            rows.AddRange(batch.Rows.Select(r => new Dictionary<string, object?>
            {
                [t.Get("export.name")] = r.Name,
                [t.Get("export.gender")] = r.Gender is { } g ? t.Get("gender." + g) : "",
                [t.Get("export.age")] = r.Age,
                [t.Get("export.id_number")] = r.IdNumberMasked ?? "",
                [t.Get("export.phone")] = r.PhoneMasked ?? "",
                [t.Get("export.address")] = r.Address ?? "",
                [t.Get("export.tags")] = string.Join("、", r.Tags),
            }));
            if (page * 500 >= batch.Total || batch.Rows.Count == 0) break;
            page++;
        }
        if (rows.Count == 0)
        {
            rows.Add(new Dictionary<string, object?> { [t.Get("export.name")] = t.Get("residents.none_found") });
        }
        await MiniExcel.SaveAsAsync(output, rows, sheetName: t.Get("nav.residents"), cancellationToken: ct);
    }
}
