using Linli.Web.Features.Residents;
using Xunit.Abstractions;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Linli.BrowserTests;

/// <summary>An office moves its spreadsheet into Linli: import, check, commit, find, reveal, export.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportTests(LinliAppFixture app, ITestOutputHelper output)
{
    private static readonly string[] Given = ["秀英", "桂兰", "建国", "志强", "淑珍", "玉兰", "德明", "凤英", "国华", "文静"];

    private static string IdFor(DateOnly birth, int sequence)
    {
        var first17 = $"130102{birth:yyyyMMdd}{sequence:000}";
        return first17 + IdNumber.CheckChar(first17);
    }

    /// <summary>200 rows in 融创裕华壹号 buildings 3–4, five of them wrong in five different ways.</summary>
    private static string BuildWorkbook(string folder)
    {
        var rows = new List<Dictionary<string, object?>>();
        for (var i = 0; i < 200; i++)
        {
            var birth = new DateOnly(1935 + i % 60, 1 + i % 12, 1 + i % 28);
            rows.Add(new Dictionary<string, object?>
            {
                ["姓名"] = "欧阳" + Given[i % Given.Length] + (char)('甲' + i / Given.Length),
                ["身份证号"] = IdFor(birth, 100 + i),
                ["出生日期"] = null, // MiniExcel takes the columns from the first row
                ["手机号"] = $"1390311{i:0000}",
                ["小区"] = "融创裕华壹号", ["楼栋"] = 3 + i % 2 + "号楼", ["单元"] = 1 + i % 2, ["门牌号"] = $"{1 + i % 18}0{1 + i % 2}",
                ["与户主关系"] = "户主", ["人员类别"] = i % 7 == 0 ? "独居、党员" : null,
            });
        }
        rows[10]["身份证号"] = ((string)rows[10]["身份证号"]!)[..17] + (((string)rows[10]["身份证号"]!)[17] == '1' ? '2' : '1'); // wrong check digit
        rows[20]["出生日期"] = "1999-09-09";                                                                                          // contradicts the ID
        rows[30]["楼栋"] = "99号楼";                                                                                                  // unknown building
        rows[40]["手机号"] = "1390311000";                                                                                            // 10 digits
        rows[50]["身份证号"] = rows[49]["身份证号"];                                                                                  // same person twice
        var path = Path.Combine(folder, "欧阳家族.xlsx");
        MiniExcel.SaveAs(path, rows);
        return path;
    }

    [Fact]
    public async Task Staff_import_a_workbook_see_its_problems_commit_then_find_reveal_and_export()
    {
        var folder = Directory.CreateTempSubdirectory("linli-import-").FullName;
        try
        {
            await using var s = await BrowserSession.StartAsync(app, output, "import");
            var page = s.Page;
            await s.SignInAsync("13800000002", staff: true, landing: "/console");
            await s.GotoAsync("/console/residents", "residents");
            await s.SubmitAsync(page.Locator("a[href='/console/residents/import']"), "import-form");

            await page.Locator("#File").SetInputFilesAsync(BuildWorkbook(folder));
            await s.SubmitAsync(page.Locator("main form button[type=submit]"), "import-preview");
            await Expect(page.Locator(".import-summary")).ToContainTextAsync("200");
            var problems = page.Locator("table.problems tbody tr");
            await Expect(problems).ToHaveCountAsync(5);
            foreach (var (row, column) in new[] { (12, "身份证号"), (22, "出生日期"), (32, "楼栋"), (42, "手机号"), (52, "身份证号") })
                await Expect(problems.Filter(new() { HasText = column }).Filter(new() { Has = page.Locator($"td:text-is('{row}')") })).ToHaveCountAsync(1);

            // Commit: the progress fragment polls until the import is done.
            await s.SubmitAsync(page.Locator("form[action*=Commit] button"), "import-committing");
            await Expect(page.Locator(".import-progress .flash")).ToContainTextAsync("195", new() { Timeout = 60_000 });
            await s.CheckPageAsync("import-done");

            // Find a resident by part of the name.
            await s.GotoAsync("/console/residents?name=" + Uri.EscapeDataString("欧阳秀英"), "import-found");
            await Expect(page.Locator("main table tbody tr").First).ToContainTextAsync("欧阳秀英");
            await Expect(page.Locator("main table tbody")).ToContainTextAsync("融创裕华壹号");

            // Export the filtered list: every listed resident, masked.
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a[href*='handler=Export']"));
            var file = Path.Combine(folder, "export.xlsx");
            await download.SaveAsAsync(file);
            var exported = MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            exported.Count.ShouldBe(15); // 欧阳秀英…: every tenth of the 200 rows, less rows 10–50, the five refused
            exported.ShouldAllBe(r => ((string)r["姓名"]).StartsWith("欧阳秀英"));
            exported.ShouldAllBe(r => ((string)r["身份证号"]).Contains("***********"));

            // Reveal one ID number with a reason.
            await s.SubmitAsync(page.Locator("main table tbody tr a").First, "import-resident");
            await page.FillAsync("#reason", "核对导入数据");
            await page.ClickAsync("form.reveal button");
            await Expect(page.Locator("#id-number")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("130102\\d{11}[\\dX]"));
            await s.CheckPageAsync("import-revealed");
            await s.FinishAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
