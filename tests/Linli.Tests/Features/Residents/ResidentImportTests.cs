using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Linli.Tests.Features.Residents;

/// <summary>Excel import: template, check (nothing written), batched commit, idempotent re-import, bad files, isolation.</summary>
[Collection(AppCollection.Name)]
public sealed class ResidentImportTests(LinliFactory app)
{
    /// <summary>A workbook laid out like the template: a header row of the given columns, then the rows.</summary>
    public static byte[] Workbook(IEnumerable<IDictionary<string, object?>> rows)
    {
        using var buffer = new MemoryStream();
        MiniExcel.SaveAs(buffer, rows);
        return buffer.ToArray();
    }

    public static Dictionary<string, object?> Row(string name, string? id, string? phone = null, string? estate = "融创裕华壹号", string? building = "2",
        string? entrance = "1", string? home = "101", string? relation = "户主", string? category = null, object? birth = null) => new()
        {
            ["姓名"] = name, ["身份证号"] = id, ["出生日期"] = birth, ["手机号"] = phone, ["小区"] = estate, ["楼栋"] = building, ["单元"] = entrance,
            ["门牌号"] = home, ["与户主关系"] = relation, ["人员类别"] = category,
        };

    private static int _seq = Random.Shared.Next(100, 600);

    private static readonly HashSet<string> Issued = [];

    /// <summary>A valid ID number not used by another test of this run.</summary>
    public static string NewId(int year = 1950)
    {
        lock (Issued)
        {
            while (true)
            {
                var id = ResidentsApiTests.IdFor(new DateOnly(year, 1 + Random.Shared.Next(12), 1 + Random.Shared.Next(28)), ++_seq % 1000, "130105");
                if (Issued.Add(id)) return id;
            }
        }
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string fileName = "居民.xlsx")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", fileName);
        return await client.PostAsync("/api/residents/imports", form);
    }

    public static async Task<JsonElement> WaitAsync(HttpClient client, Guid job)
    {
        for (var i = 0; i < 600; i++)
        {
            var state = await (await client.GetAsync($"/api/residents/imports/{job}")).JsonAsync(HttpStatusCode.OK);
            if (state.GetProperty("status").GetString() is "Done" or "Failed") return state;
            await Task.Delay(100);
        }
        throw new TimeoutException("the import did not finish in 60 s");
    }

    private static async Task<int> CountAsync(HttpClient api, string name) =>
        (await (await api.GetAsync($"/api/residents?name={Uri.EscapeDataString(name)}")).JsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32();

    [Fact]
    public async Task The_template_has_the_columns_offices_use()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var response = await api.GetAsync("/api/residents/imports/template");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var header = ((IDictionary<string, object?>)MiniExcel.Query(stream).First()).Values.Select(v => v?.ToString()).ToList();
        header.ShouldBe(["姓名", "身份证号", "性别", "出生日期", "手机号", "小区", "楼栋", "单元", "门牌号", "居住类型", "与户主关系", "人员类别", "紧急联系人", "紧急联系电话", "技能特长", "备注"]);
        stream.Position = 0;
        MiniExcel.GetSheetNames(stream).Count.ShouldBe(2); // the rows, and how to fill them in
    }

    [Fact]
    public async Task The_check_lists_every_problem_with_row_and_column_and_writes_nothing_then_the_commit_imports_the_valid_rows_once()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var mark = Clients.Unique("导入");
        var (a, b, c) = (NewId(1940), NewId(1975), NewId(1988));
        var contradicted = NewId(1960);
        var rows = new List<IDictionary<string, object?>>
        {
            Row(mark + "甲", a, "13811112222", category: "独居、党员、楼长"),                           // row 2
            Row(mark + "乙", b, relation: "配偶", category: "低保"),                                   // row 3
            Row(mark + "丙", c, estate: null, building: null, entrance: null, home: null),            // row 4: no address, fine
            Row(mark + "坏1", ResidentsApiTests.IdFor(new DateOnly(1950, 5, 5), 321)[..17] + "Y"),   // row 5: format
            Row(mark + "坏2", contradicted, birth: "1961-01-01"),                                     // row 6: birth contradicts ID
            Row(mark + "坏3", NewId(), building: "99"),                                               // row 7: unknown building
            Row(mark + "坏4", NewId(), phone: "1381111222"),                                          // row 8: 10-digit phone
            Row(mark + "坏5", a),                                                                     // row 9: same ID as row 2
            Row(mark + "坏6", NewId(), relation: "邻居"),                                             // row 10: unknown relation
        };
        var bytes = Workbook(rows);
        var job = await (await UploadAsync(api, bytes)).JsonAsync(HttpStatusCode.Created);
        job.GetProperty("status").GetString().ShouldBe("Checked");
        job.GetProperty("rows").GetInt32().ShouldBe(9);
        job.GetProperty("validRows").GetInt32().ShouldBe(3);
        job.GetProperty("problemRows").GetInt32().ShouldBe(6);
        var problems = job.GetProperty("problems").EnumerateArray()
            .Select(p => (Row: p.GetProperty("row").GetInt32(), Column: p.GetProperty("column").GetString()!, Reason: p.GetProperty("reason").GetString()!)).ToList();
        problems.ShouldContain(p => p.Row == 5 && p.Column == "身份证号");
        problems.ShouldContain(p => p.Row == 6 && p.Column == "出生日期" && p.Reason.Contains("身份证"));
        problems.ShouldContain(p => p.Row == 7 && p.Column == "楼栋" && p.Reason.Contains("99"));
        problems.ShouldContain(p => p.Row == 8 && p.Column == "手机号");
        problems.ShouldContain(p => p.Row == 9 && p.Column == "身份证号" && p.Reason.Contains('2'));
        problems.ShouldContain(p => p.Row == 10 && p.Column == "与户主关系");
        (await CountAsync(api, mark)).ShouldBe(0); // nothing written by the check

        // The problems workbook has them all.
        var sheet = await api.GetAsync($"/api/residents/imports/{job.GetProperty("id").GetGuid()}/problems");
        sheet.StatusCode.ShouldBe(HttpStatusCode.OK);
        MiniExcel.Query(new MemoryStream(await sheet.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Count().ShouldBe(problems.Count);

        var id = job.GetProperty("id").GetGuid();
        (await api.PostAsync($"/api/residents/imports/{id}/commit", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var done = await WaitAsync(api, id);
        done.GetProperty("status").GetString().ShouldBe("Done", done.ToString());
        done.GetProperty("created").GetInt32().ShouldBe(3);
        done.GetProperty("skipped").GetInt32().ShouldBe(6);
        (await api.PostAsync($"/api/residents/imports/{id}/commit", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict); // not twice

        var found = await (await api.GetAsync($"/api/residents?name={Uri.EscapeDataString(mark + "甲")}")).JsonAsync(HttpStatusCode.OK);
        var row = found.GetProperty("rows")[0];
        row.GetProperty("address").GetString()!.ShouldContain("融创裕华壹号");
        row.GetProperty("phoneMasked").GetString().ShouldBe("138****2222");
        var tags = row.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        tags.ShouldContain("独居");
        tags.ShouldContain("党员");
        tags.ShouldContain("楼长"); // an office's own category becomes a custom tag
        var detail = await (await api.GetAsync($"/api/residents/{row.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        detail.GetProperty("birthDate").GetString().ShouldBe($"{a[6..10]}-{a[10..12]}-{a[12..14]}");

        // The same file again: updates, never duplicates.
        var again = await (await UploadAsync(api, bytes)).JsonAsync(HttpStatusCode.Created);
        var againId = again.GetProperty("id").GetGuid();
        (await api.PostAsync($"/api/residents/imports/{againId}/commit", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var second = await WaitAsync(api, againId);
        second.GetProperty("created").GetInt32().ShouldBe(0);
        second.GetProperty("updated").GetInt32().ShouldBe(3);
        (await CountAsync(api, mark)).ShouldBe(3);

        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        (await (await audit.GetAsync("/api/audit?event=resident.imported")).JsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_batch_that_fails_in_the_database_leaves_nothing_of_itself_and_importing_again_completes_without_duplicates()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var mark = Clients.Unique("批次");
        var poison = mark + "毒";
        var rows = Enumerable.Range(0, 2500).Select(i => (IDictionary<string, object?>)Row(i == 1500 ? poison : $"{mark}{i:0000}", NewId(1930 + i % 80),
            estate: null, building: null, entrance: null, home: null)).ToList();
        var bytes = Workbook(rows);
        var trigger = "linli_test_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(LinliFactory.Provider == DatabaseProvider.Postgres
            ? [$"CREATE FUNCTION {trigger}() RETURNS trigger AS $$ BEGIN IF NEW.\"Name\" = '{poison}' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
               $"CREATE TRIGGER {trigger} BEFORE INSERT ON \"Residents\" FOR EACH ROW EXECUTE FUNCTION {trigger}()"]
            : [$"CREATE TRIGGER {trigger} BEFORE INSERT ON Residents WHEN NEW.Name = '{poison}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END"]);
        try
        {
            var job = await (await UploadAsync(api, bytes)).JsonAsync(HttpStatusCode.Created);
            var id = job.GetProperty("id").GetGuid();
            (await api.PostAsync($"/api/residents/imports/{id}/commit", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            var failed = await WaitAsync(api, id);
            failed.GetProperty("status").GetString().ShouldBe("Failed");
            failed.GetProperty("error").GetString()!.ShouldContain("2"); // the batch number
            failed.GetProperty("created").GetInt32().ShouldBe(1000);
            (await CountAsync(api, mark)).ShouldBe(1000); // batch 1 saved, nothing of batch 2, batch 3 never ran
        }
        finally
        {
            await ExecuteAsync(LinliFactory.Provider == DatabaseProvider.Postgres
                ? [$"DROP TRIGGER {trigger} ON \"Residents\"", $"DROP FUNCTION {trigger}()"]
                : [$"DROP TRIGGER {trigger}"]);
        }
        var retry = await (await UploadAsync(api, bytes)).JsonAsync(HttpStatusCode.Created);
        var retryId = retry.GetProperty("id").GetGuid();
        (await api.PostAsync($"/api/residents/imports/{retryId}/commit", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var done = await WaitAsync(api, retryId);
        done.GetProperty("status").GetString().ShouldBe("Done");
        done.GetProperty("created").GetInt32().ShouldBe(1500);
        done.GetProperty("updated").GetInt32().ShouldBe(1000);
        (await CountAsync(api, mark)).ShouldBe(2500);
    }

    private async Task ExecuteAsync(string[] statements)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var sql in statements) await db.Database.ExecuteSqlRawAsync(sql);
    }

    [Fact]
    public async Task Files_that_are_not_a_readable_workbook_are_refused_with_a_clear_message_and_nothing_is_kept()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        async Task<string> Refused(byte[] bytes, string name = "居民.xlsx") => await (await UploadAsync(api, bytes, name)).ShouldBeFieldErrorAsync("File");

        (await Refused("姓名,身份证号\n张三,1"u8.ToArray(), "居民.xlsx")).ShouldContain(".xlsx");
        // An executable renamed .xlsx: "MZ" and a PE stub.
        var exe = new byte[4096];
        exe[0] = (byte)'M'; exe[1] = (byte)'Z';
        (await Refused(exe, "setup.xlsx")).ShouldContain(".xlsx");
        // A password-protected workbook is an OLE2 compound file holding an EncryptedPackage stream.
        var ole = new byte[8192];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(ole, 0);
        System.Text.Encoding.Unicode.GetBytes("EncryptedPackage").CopyTo(ole, 1024);
        (await Refused(ole)).ShouldContain("密码");
        // A zip that is not a workbook.
        using (var zip = new MemoryStream())
        {
            using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            await using (var w = new StreamWriter(archive.CreateEntry("readme.txt").Open())) await w.WriteAsync("not a workbook");
            (await Refused(zip.ToArray())).ShouldNotBeNullOrEmpty();
        }
        // A workbook without the required columns.
        (await Refused(Workbook([new Dictionary<string, object?> { ["名字"] = "张三", ["电话"] = "13800000000" }]))).ShouldContain("姓名");
        // An ID number stored as a number has lost digits: a row problem, not a file problem.
        var numeric = await (await UploadAsync(api, Workbook([new Dictionary<string, object?> { ["姓名"] = "张三", ["身份证号"] = 130108195001011234d }]))).JsonAsync(HttpStatusCode.Created);
        numeric.GetProperty("problems")[0].GetProperty("reason").GetString()!.ShouldContain("文本");

        // Over 20 MB: refused from the declared length, before the body is read.
        var big = await UploadAsync(api, new byte[21 * 1024 * 1024]);
        big.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        big.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        // Not a form at all.
        (await api.PostAsync("/api/residents/imports", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_import_belongs_to_its_community_and_needs_a_role_that_manages_the_registry()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var job = await (await UploadAsync(staff, Workbook([Row(Clients.Unique("隔离"), NewId())]))).JsonAsync(HttpStatusCode.Created);
        var id = job.GetProperty("id").GetGuid();

        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        (await other.GetAsync($"/api/residents/imports/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostAsync($"/api/residents/imports/{id}/commit", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/api/residents/imports/{id}/problems")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var volunteer = await app.ApiAsAsync(Clients.Volunteer);
        (await UploadAsync(volunteer, Workbook([Row("志愿者", NewId())]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_page_uploads_checks_and_commits_with_a_progress_fragment()
    {
        var pages = await app.PagesAsAsync(Clients.Staff);
        var html = await pages.GetStringAsync("/console/residents/import");
        var token = Clients.AntiforgeryToken(html);
        var mark = Clients.Unique("页面");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Workbook([Row(mark, NewId()), Row(mark + "坏", NewId(), phone: "123")])), "File", "居民.xlsx" },
        };
        var uploaded = await pages.PostAsync("/console/residents/import?handler=Upload", form);
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var jobUrl = uploaded.Headers.Location!.OriginalString;
        var preview = await pages.GetStringAsync(jobUrl);
        preview.ShouldContain("手机号");
        preview.ShouldContain("class=\"table problems\"");
        var jobId = jobUrl[(jobUrl.IndexOf("job=", StringComparison.Ordinal) + 4)..];

        var commit = await pages.PostAsync("/console/residents/import?handler=Commit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Clients.AntiforgeryToken(preview), ["job"] = jobId,
        }));
        commit.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        string fragment = "";
        for (var i = 0; i < 100 && !fragment.Contains("class=\"flash\""); i++)
        {
            await Task.Delay(100);
            fragment = await pages.GetStringAsync($"/console/residents/import?handler=Progress&job={jobId}");
        }
        fragment.ShouldContain("class=\"flash\"");
        fragment.ShouldNotContain("hx-trigger"); // finished: polling stops

        // Without the antiforgery token a cookie-signed-in upload is refused.
        var forged = new MultipartFormDataContent { { new ByteArrayContent(Workbook([Row(mark, NewId())])), "file", "x.xlsx" } };
        (await pages.PostAsync("/api/residents/imports", forged)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
