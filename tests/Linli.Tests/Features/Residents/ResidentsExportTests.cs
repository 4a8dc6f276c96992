using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Features.Residents;

[Collection(AppCollection.Name)]
public sealed class ResidentsExportTests(LinliFactory app)
{
    [Fact]
    public async Task The_exported_list_opened_by_an_independent_reader_has_the_same_rows_masked()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var mark = Clients.Unique("导出");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = ResidentsApiTests.IdFor(new DateOnly(1960 + i, 1, 1), 500 + i);
            ids.Add(id);
            (await api.PostAsJsonAsync("/api/residents", new { name = $"{mark}{i}", idNumber = id, phone = $"1381234{i:0000}" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        var response = await api.GetAsync($"/api/residents/export?name={mark}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        var dir = Directory.CreateTempSubdirectory("linli-export-");
        try
        {
            var xlsx = Path.Combine(dir.FullName, "residents.xlsx");
            await File.WriteAllBytesAsync(xlsx, await response.Content.ReadAsByteArrayAsync());
            // LibreOffice, headless, as the independent reader (installed by test.sh).
            var soffice = Process.Start(new ProcessStartInfo("soffice", ["--headless", $"-env:UserInstallation=file://{dir.FullName}/profile", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir.FullName, xlsx])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            await soffice.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
            soffice.ExitCode.ShouldBe(0, await soffice.StandardError.ReadToEndAsync());
            var lines = (await File.ReadAllLinesAsync(Path.Combine(dir.FullName, "residents.csv"))).Where(l => l.Length > 0).ToList();
            lines.Count.ShouldBe(4); // header + 3 residents
            lines[0].ShouldStartWith("姓名,性别,年龄,身份证号,手机号,住址,人员类别");
            for (var i = 0; i < 3; i++)
            {
                var row = lines.Single(l => l.StartsWith($"{mark}{i},"));
                row.ShouldContain(ids[i][..3] + new string('*', 11) + ids[i][^4..]);
                row.ShouldNotContain(ids[i]);
                row.ShouldContain($"138****{i:0000}");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_export_button_downloads_what_the_page_lists()
    {
        var pages = await app.PagesAsAsync(Clients.Staff);
        var html = await pages.GetStringAsync("/console/residents?name=张");
        html.ShouldContain("/console/residents?handler=Export&amp;name=");
        var file = await pages.GetAsync("/console/residents?handler=Export&name=张");
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentDisposition!.FileName!.ShouldEndWith(".xlsx");
        (await file.Content.ReadAsByteArrayAsync())[..2].ShouldBe("PK"u8.ToArray()); // a zip package
    }
}
