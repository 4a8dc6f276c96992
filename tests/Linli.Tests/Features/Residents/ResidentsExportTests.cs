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
                var row = lines.Single(l => l.StartsWith($"{mark}{i},", StringComparison.Ordinal));
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

    [Fact]
    public async Task A_role_that_may_reveal_exports_full_numbers_with_a_reason_and_the_secretary_sees_it_in_the_reveal_log()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var mark = Clients.Unique("完整");
        var id = ResidentsApiTests.IdFor(new DateOnly(1952, 2, 2), 611);
        (await staff.PostAsJsonAsync("/api/residents", new { name = mark, idNumber = id, phone = "13812340611" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        await (await staff.PostAsJsonAsync("/api/residents/export", new { filter = new { name = mark }, reason = "" })).ShouldBeFieldErrorAsync("Reason");
        var response = await staff.PostAsJsonAsync("/api/residents/export", new { filter = new { name = mark }, reason = "民政高龄津贴申报" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        rows.Count.ShouldBe(1);
        rows[0]["身份证号"].ShouldBe(id);
        rows[0]["手机号"].ShouldBe("13812340611");

        // Roles that may not reveal get the masked export only.
        (await (await app.ApiAsAsync(Clients.GridMember)).PostAsJsonAsync("/api/residents/export", new { filter = new { name = mark }, reason = "看看" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await app.ApiAsAsync(Clients.Volunteer)).PostAsJsonAsync("/api/residents/export", new { filter = new { name = mark }, reason = "看看" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var secretary = await app.ApiAsAsync(Clients.Secretary);
        var log = await (await secretary.GetAsync("/api/residents/reveals")).JsonAsync(HttpStatusCode.OK);
        log.EnumerateArray().ShouldContain(r => r.GetProperty("reason").GetString() == "民政高龄津贴申报" && r.GetProperty("residentName").GetString()!.Contains('1'));
    }

    [Fact]
    public async Task The_page_searches_by_id_number_only_by_post_and_exports_full_details_with_a_reason()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var mark = Clients.Unique("精确");
        var id = ResidentsApiTests.IdFor(new DateOnly(1953, 3, 3), 613);
        (await staff.PostAsJsonAsync("/api/residents", new { name = mark, idNumber = id })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var pages = await app.PagesAsAsync(Clients.Staff);
        // An ID number in a URL is ignored: not used as a filter, not put into the search field or the list's links.
        var fromUrl = await pages.GetStringAsync($"/console/residents?idNumber={id}&name={Uri.EscapeDataString(mark)}");
        fromUrl.ShouldNotContain($"value=\"{id}\"");
        fromUrl.ShouldNotContain($"handler=Export&amp;idNumber");
        var found = await pages.PostFormAsync("/console/residents?handler=IdSearch", new() { ["IdNumber"] = id }, formPage: "/console/residents");
        found.StatusCode.ShouldBe(HttpStatusCode.OK);
        found.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var html = await found.Content.ReadAsStringAsync();
        html.ShouldContain(mark);
        html.ShouldContain(id[..3] + new string('*', 11) + id[^4..]); // the list shows it masked (the search field keeps what was typed; the page is no-store)

        var noReason = await pages.PostFormAsync($"/console/residents?handler=ExportFull", new() { ["name"] = mark, ["Reason"] = "" }, formPage: "/console/residents");
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("id=\"Reason-error\"");
        var file = await pages.PostFormAsync($"/console/residents?handler=ExportFull", new() { ["name"] = mark, ["Reason"] = "核对户籍" }, formPage: "/console/residents");
        file.Content.Headers.ContentType!.MediaType.ShouldBe(ResidentsExportContentType);
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(await file.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        rows.Single()["身份证号"].ShouldBe(id);
    }

    private const string ResidentsExportContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
