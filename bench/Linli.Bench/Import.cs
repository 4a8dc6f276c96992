using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bogus;
using Linli.Web.Features.Demo;
using Linli.Web.Features.Residents;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Linli.Bench;

/// <summary>
/// <c>import</c>: the registry's Excel import of an N-row workbook (issue 3: 100,000 rows in under 60 s on SQLite and
/// on PostgreSQL, memory flat). The published app on a fresh demo database (SQLite, or a private PostgreSQL); a
/// workbook laid out like the template (the offices' Chinese headers), written row by row, of households living in
/// the demo staff's community (addresses read through the places API); the staff member signs in through the JSON
/// API (password + TOTP), uploads it (the check), commits it and polls until Done. The same file a second time must
/// update every resident and add none. The app's resident set size (VmRSS) is sampled every 200 ms throughout.
/// </summary>
public static class Import
{
    private const double TargetSeconds = 60;
    private const long MaxUploadBytes = 20L * 1024 * 1024; // ResidentImporter.MaxBytes

    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        var postgres = (o.Get("provider") ?? "sqlite").ToLowerInvariant() switch
        {
            "postgres" or "postgresql" => true,
            "sqlite" => false,
            var other => throw new UsageException($"--provider {other}: sqlite or postgres"),
        };
        var rows = o.Number("rows", 100_000, 1, 1_000_000);
        var seed = o.Number("seed", 42, 0, int.MaxValue);
        var phone = o.Get("phone") ?? "13800000002";
        var password = o.Get("password") ?? DemoSeeder.Password;
        var totpKey = o.Get("totp-key") ?? DemoSeeder.TotpKey;
        var provider = postgres ? "postgres" : "sqlite";
        var sharedStrings = (o.Get("strings") ?? "shared") switch
        {
            "shared" => true,
            "inline" => false,
            var other => throw new UsageException($"--strings {other}: shared (as Excel and WPS save a workbook) or inline (as MiniExcel writes it)"),
        };
        PrivatePostgres? pg = null;
        ServerProcess? server = null;
        MemorySampler? memory = null;
        try
        {
            var dir = Path.Combine(work, "import");
            Directory.CreateDirectory(dir);
            // Uploads wait in the work folder, not in the app's data/imports (which --app would leave full of workbooks).
            var env = new List<KeyValuePair<string, string>> { new("Crypto__KeyFile", Path.Combine(dir, "field-keys.json")), new("Imports__Folder", Path.Combine(dir, "uploads")) };
            if (postgres)
            {
                pg = await PrivatePostgres.StartAsync(work, ct);
                env.Add(new("Database__Provider", "Postgres"));
                env.Add(new("ConnectionStrings__Postgres", pg.ConnectionString("linli")));
            }
            env.AddRange(o.ServerEnvironment());
            var app = o.Get("app") is { } folder ? ColdStart.AppFolder(folder) : await Publisher.PublishAsync(Publisher.FindRepo(o.Get("repo")), work, o.All("publish-arg"), ct);
            server = ServerProcess.Start(app, Path.Combine(dir, "linli.db"), Path.Combine(dir, "server.log"), env);
            using (var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) })
            {
                var ready = await server.WaitFor200Async(probe, "/health/live", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(o.Seconds("start-timeout", 120, 5, 600)), ct);
                if (server.Mark("Demo data loaded") is null) throw new BenchException($"the app did not load the demo (see {server.LogPath})");
                Log.Line($"started Linli.Web (pid {server.Pid}) at {server.BaseAddress} on a fresh {provider} database with the demo; live after {ready.TotalMilliseconds:F0} ms");
            }

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, MaxConnectionsPerServer = 2 })
            {
                BaseAddress = server.BaseAddress,
                Timeout = TimeSpan.FromMinutes(10), // the upload answers when every row is checked
            };
            await SignInAsync(client, phone, password, totpKey, ct);
            var me = await client.GetFromJsonAsync<JsonElement>("/api/me", ct);
            var communities = me.GetProperty("communities").EnumerateArray().ToList();
            if (communities.Count != 1) throw new BenchException($"{phone} should work in exactly one community, not {communities.Count}");
            var homes = await HomesAsync(client, ct);
            Log.Line($"signed in {phone} (staff, TOTP); the community has {homes.Count:N0} homes in {homes.Select(h => h.Estate).Distinct().Count()} estates " +
                     $"({string.Join(", ", homes.GroupBy(h => h.Estate).Select(g => $"{g.Key} {g.Count()}"))})");

            var file = Path.Combine(dir, $"residents-{rows}.xlsx");
            var sw = Stopwatch.StartNew();
            var sheet = new Workbook(homes, seed);
            MiniExcel.SaveAs(file, sheet.Rows(rows));
            var sst = "";
            if (sharedStrings)
            {
                var (distinct, cells) = SharedStrings.Rewrite(file, "P", rows + 1); // the template's 16 columns, A–P
                sst = $", as Excel saves it ({cells:N0} text cells, {distinct:N0} distinct texts in the shared-strings table)";
            }
            var bytes = new FileInfo(file).Length;
            Log.Line($"wrote {file}: {rows:N0} rows ({sheet.Households:N0} households, {sheet.BadRows} bad rows, {sheet.WithoutAddress} without an address), " +
                     $"{bytes / 1048576.0:F1} MB{sst}, in {sw.Elapsed.TotalSeconds:F1} s");
            if (bytes > MaxUploadBytes)
                throw new BenchException($"{rows:N0} rows make a {bytes / 1048576.0:F1} MB workbook: over the import's 20 MB limit; pass fewer --rows");

            var before = await TotalAsync(client, ct);
            memory = MemorySampler.Start(server.Pid, TimeSpan.FromMilliseconds(200));
            await Task.Delay(600, ct);
            var baseline = memory.Current;
            var baselineAnon = MemorySampler.Read(server.Pid, "RssAnon:");
            Log.Line($"residents before: {before:N0}; app RSS before the upload {Mb(baseline)} MB; machine load {LoadAverage()}");

            var first = await ImportOnceAsync(client, server, pg, memory, file, rows, sheet.BadRows, "import", ct);
            var afterFirst = await TotalAsync(client, ct);
            if (first.Created + first.Updated != rows - sheet.BadRows)
                throw new BenchException($"import: created {first.Created} + updated {first.Updated} should be the {rows - sheet.BadRows} valid rows");
            if (afterFirst != before + first.Created) throw new BenchException($"import: {afterFirst} residents after, {before} before and {first.Created} created");

            // A bearer token lives 15 minutes: sign in again for the second run.
            await SignInAsync(client, phone, password, totpKey, ct);
            var second = await ImportOnceAsync(client, server, pg, memory, file, rows, sheet.BadRows, "re-import", ct);
            var afterSecond = await TotalAsync(client, ct);
            if (second.Created != 0 || second.Updated != rows - sheet.BadRows)
                throw new BenchException($"re-import: created {second.Created}, updated {second.Updated}; every one of the {rows - sheet.BadRows} valid rows should be an update");
            if (afterSecond != afterFirst) throw new BenchException($"re-import: the registry grew from {afterFirst} to {afterSecond} residents");
            Log.Line($"re-import added no resident: {afterSecond:N0} before and after");

            await memory.StopAsync();
            var hwm = MemorySampler.Read(server.Pid, "VmHWM:");
            var peak = Math.Max(first.PeakRss, second.PeakRss);
            Log.Line($"app RSS: before {Mb(baseline)} MB, peak {Mb(first.PeakRss)} MB (import) / {Mb(second.PeakRss)} MB (re-import); VmHWM {Mb(hwm)} MB " +
                     $"(since the process started: includes the start and the demo seed); {memory.Samples} samples. Without mapped files (RssAnon): " +
                     $"before {Mb(baselineAnon)} MB, peak {Mb(first.PeakAnon)} / {Mb(second.PeakAnon)} MB");
            var total = first.CheckSeconds + first.CommitSeconds;
            var dbCpu = first.DbCpu is { } d1 && second.DbCpu is { } d2 ? string.Create(CultureInfo.InvariantCulture, $"db_cpu_s={d1:F1} reimport_db_cpu_s={d2:F1} ") : "";
            return string.Create(CultureInfo.InvariantCulture,
                $"RESULT scenario=import provider={provider} rows={rows} strings={(sharedStrings ? "shared" : "inline")} check_s={first.CheckSeconds:F1} commit_s={first.CommitSeconds:F1} total_s={total:F1} " +
                $"reimport_check_s={second.CheckSeconds:F1} reimport_commit_s={second.CommitSeconds:F1} reimport_total_s={second.CheckSeconds + second.CommitSeconds:F1} " +
                $"rss_base_mb={Mb(baseline)} rss_peak_mb={Mb(peak)} rss_peak_import_mb={Mb(first.PeakRss)} rss_peak_reimport_mb={Mb(second.PeakRss)} hwm_mb={Mb(hwm)} " +
                $"anon_base_mb={Mb(baselineAnon)} anon_peak_mb={Mb(Math.Max(first.PeakAnon, second.PeakAnon))} " +
                $"created={first.Created} updated={first.Updated} skipped={first.Skipped} file_mb={bytes / 1048576.0:F1} " +
                $"app_cpu_s={first.AppCpu:F1} reimport_app_cpu_s={second.AppCpu:F1} " +
                $"{dbCpu}" +
                $"target_met={(total < TargetSeconds && second.CheckSeconds + second.CommitSeconds < TargetSeconds ? "yes" : "no")}");
        }
        finally
        {
            if (memory is not null) await memory.StopAsync();
            await Teardown.StopAsync(server, pg, o);
        }
    }

    private sealed record Outcome(double CheckSeconds, double CommitSeconds, int Created, int Updated, int Skipped, long PeakRss, long PeakAnon, double AppCpu, double? DbCpu);

    /// <summary>Upload (answered when every row is checked), commit, poll until Done; the RSS peak over all of it.</summary>
    private static async Task<Outcome> ImportOnceAsync(HttpClient client, ServerProcess server, PrivatePostgres? pg, MemorySampler memory, string file, int rows,
        int badRows, string label, CancellationToken ct)
    {
        memory.ResetPeak();
        var cpu = server.CpuTime();
        var dbCpu = pg?.CpuTime();
        var start = Stopwatch.GetTimestamp();
        JsonElement job;
        await using (var stream = File.OpenRead(file))
        {
            using var form = new MultipartFormDataContent();
            var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            form.Add(content, "file", "居民信息.xlsx");
            using var response = await client.PostAsync("/api/residents/imports", form, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.Created) throw new BenchException($"{label}: upload answered {(int)response.StatusCode}: {Shorten(body)}");
            job = JsonDocument.Parse(body).RootElement.Clone();
        }
        var check = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var id = job.GetProperty("id").GetGuid();
        var (status, checkedRows, valid, problemRows) = (job.GetProperty("status").GetString(), job.GetProperty("rows").GetInt32(),
            job.GetProperty("validRows").GetInt32(), job.GetProperty("problemRows").GetInt32());
        Log.Line($"{label}: uploaded and checked in {check:F1} s: {status}, {checkedRows:N0} rows, {valid:N0} valid, {problemRows} with problems" +
                 (problemRows > 0 ? $" (e.g. row {job.GetProperty("problems")[0].GetProperty("row").GetInt32()}: {job.GetProperty("problems")[0].GetProperty("column").GetString()} " +
                                    $"{job.GetProperty("problems")[0].GetProperty("reason").GetString()})" : "") + $"; RSS peak {Mb(memory.Peak)} MB");
        if (status != "Checked" || checkedRows != rows || problemRows != badRows)
            throw new BenchException($"{label}: the check should find {rows} rows of which {badRows} bad, not {checkedRows} and {problemRows} ({status})");

        var commitStart = Stopwatch.GetTimestamp();
        using (var response = await client.PostAsync($"/api/residents/imports/{id}/commit", null, ct))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new BenchException($"{label}: commit answered {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync(ct))}");
        }
        var lastLog = Stopwatch.GetTimestamp();
        JsonElement state;
        while (true)
        {
            await Task.Delay(100, ct);
            state = await client.GetFromJsonAsync<JsonElement>($"/api/residents/imports/{id}", ct);
            var s = state.GetProperty("status").GetString();
            if (s is "Done" or "Failed") break;
            if (Stopwatch.GetElapsedTime(commitStart) > TimeSpan.FromMinutes(30)) throw new BenchException($"{label}: the commit did not finish in 30 minutes");
            if (Stopwatch.GetElapsedTime(lastLog) > TimeSpan.FromSeconds(5))
            {
                lastLog = Stopwatch.GetTimestamp();
                Log.Line($"{label}: {s} {state.GetProperty("processed").GetInt32():N0} of {rows:N0} rows after {Stopwatch.GetElapsedTime(commitStart).TotalSeconds:F0} s; RSS {Mb(memory.Current)} MB");
            }
        }
        var commit = Stopwatch.GetElapsedTime(commitStart).TotalSeconds;
        if (state.GetProperty("status").GetString() != "Done")
            throw new BenchException($"{label}: the commit failed: {state.GetProperty("error").GetString()}");
        var outcome = new Outcome(check, commit, state.GetProperty("created").GetInt32(), state.GetProperty("updated").GetInt32(), state.GetProperty("skipped").GetInt32(),
            memory.Peak, memory.PeakAnon, (server.CpuTime() - cpu).TotalSeconds, pg is null ? null : (pg.CpuTime() - dbCpu!.Value).TotalSeconds);
        Log.Line($"{label}: committed in {commit:F1} s: {outcome.Created:N0} created, {outcome.Updated:N0} updated, {outcome.Skipped} skipped; " +
                 $"total {check + commit:F1} s ({rows / (check + commit):F0} rows/s); CPU: app {outcome.AppCpu:F1} s" + (outcome.DbCpu is { } db ? $", PostgreSQL {db:F1} s" : "") +
                 $"; RSS peak {Mb(outcome.PeakRss)} MB; load {LoadAverage()}");
        return outcome;
    }

    /// <summary>POST /api/auth/token with the phone, password and the current TOTP code; sets the bearer token.</summary>
    private static async Task SignInAsync(HttpClient client, string phone, string password, string totpKey, CancellationToken ct)
    {
        client.DefaultRequestHeaders.Authorization = null;
        using var response = await client.PostAsJsonAsync("/api/auth/token",
            new { phone, password, twoFactorCode = Totp.Code(totpKey, DateTimeOffset.UtcNow) }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new BenchException($"sign-in of {phone} answered {(int)response.StatusCode}: {body}");
        var token = JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString() ?? throw new BenchException("no accessToken");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The registry's size as the list reports it (GET /api/residents?size=1, total).</summary>
    private static async Task<int> TotalAsync(HttpClient client, CancellationToken ct) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/residents?size=1", ct)).GetProperty("total").GetInt32();

    public sealed record HomeAddress(string Estate, string Building, int Entrance, string Number);

    /// <summary>Every home of the signed-in staff member's community: estates, their buildings, each building's homes.</summary>
    private static async Task<List<HomeAddress>> HomesAsync(HttpClient client, CancellationToken ct)
    {
        var homes = new List<HomeAddress>();
        foreach (var estate in (await client.GetFromJsonAsync<JsonElement>("/api/estates", ct)).EnumerateArray())
        {
            var name = estate.GetProperty("name").GetString()!;
            foreach (var building in (await client.GetFromJsonAsync<JsonElement>($"/api/estates/{estate.GetProperty("id").GetGuid()}/buildings", ct)).EnumerateArray())
            {
                var detail = await client.GetFromJsonAsync<JsonElement>($"/api/buildings/{building.GetProperty("id").GetGuid()}", ct);
                var number = detail.GetProperty("number").GetString()!;
                foreach (var h in detail.GetProperty("homes").EnumerateArray())
                    homes.Add(new HomeAddress(name, number, h.GetProperty("entrance").GetInt32(), h.GetProperty("number").GetString()!));
            }
        }
        if (homes.Count == 0) throw new BenchException("the staff member's community has no homes");
        return homes;
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length > 400 ? s[..400] + "…" : s;

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>
    /// Households of a northern Chinese city (as the generator makes them) in the community's homes, as rows of the
    /// import template, made one by one while MiniExcel writes them: the bench itself stays small. Offices write the
    /// same address several ways (3 / 3号楼, 1 / 1单元, 1801 / 1-1801 / 1801室); every 2,000th row carries one mistake.
    /// </summary>
    private sealed class Workbook(List<HomeAddress> homes, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly People _people = new(new Random(seed + 1), new Faker("zh_CN") { Random = new Randomizer(seed + 2) },
            DateOnly.FromDateTime(DateTime.UtcNow + Web.Infrastructure.Time.ChinaTime.Offset));

        // 裕华区 for most; other districts of the province and beyond for people who moved here.
        private static readonly string[] OtherAreas = ["130102", "130104", "130105", "130107", "130123", "130181", "130602", "131102", "140105", "410105", "370102"];
        private static readonly string[] Skills = ["理发", "缝纫", "家电维修", "书法", "电脑维修", "推拿", "修自行车", "厨艺", "剪纸", "太极拳"];
        private static readonly string[] Notes = ["长期外出务工", "行动不便，需上门服务", "子女在外地", "已办理居住证", "每周透析"];

        public int Households { get; private set; }
        public int BadRows { get; private set; }
        public int WithoutAddress { get; private set; }

        private enum Kind { ElderAlone, YoungAlone, ElderCouple, YoungCouple, Nuclear, ThreeGenerations, ElderWithChild }

        private static readonly (Kind Kind, int Weight)[] Kinds =
        [
            (Kind.ElderAlone, 10), (Kind.YoungAlone, 8), (Kind.ElderCouple, 22), (Kind.YoungCouple, 7), (Kind.Nuclear, 30),
            (Kind.ThreeGenerations, 15), (Kind.ElderWithChild, 8),
        ];

        private sealed record Person(Gender Gender, int Age, RelationToHead Relation);

        public IEnumerable<Dictionary<string, object?>> Rows(int count)
        {
            // The homes in a random order, then again: a community's workbook lists household after household.
            var order = Enumerable.Range(0, homes.Count).OrderBy(_ => _random.Next()).ToArray();
            var written = 0;
            while (written < count)
            {
                var kind = PickKind();
                var people = Household(kind);
                var home = _people.Chance(0.02) ? null : homes[order[Households % order.Length]];
                if (home is null) WithoutAddress += Math.Min(people.Count, count - written);
                Households++;
                var surname = _people.Surname();
                var tenant = kind is Kind.YoungAlone or Kind.YoungCouple ? _people.Chance(0.4) : _people.Chance(0.08);
                var lowIncome = _people.Chance(0.03);
                foreach (var person in people)
                {
                    if (written == count) yield break;
                    written++;
                    yield return Row(written + 1, kind, person, surname, home, tenant, lowIncome); // +1: Excel row numbers, after the header
                }
            }
        }

        private Kind PickKind()
        {
            var roll = _random.Next(Kinds.Sum(k => k.Weight));
            foreach (var (k, w) in Kinds)
            {
                if (roll < w) return k;
                roll -= w;
            }
            return Kinds[0].Kind;
        }

        private List<Person> Household(Kind kind)
        {
            var people = new List<Person>();
            var headIsMan = _people.Chance(0.7);
            Gender G(bool man) => man ? Gender.Male : Gender.Female;
            void Couple(int min, int max)
            {
                var husband = _people.Between(min, max);
                var wife = Math.Max(min - 2, husband - _people.Between(0, 5));
                people.Add(new Person(G(headIsMan), headIsMan ? husband : wife, RelationToHead.Head));
                people.Add(new Person(G(!headIsMan), headIsMan ? wife : husband, RelationToHead.Spouse));
            }
            void Children(int motherAge, int n)
            {
                for (var i = 0; i < n; i++)
                {
                    var age = motherAge - _people.Between(23, 36);
                    if (age >= 0) people.Add(new Person(G(_people.Chance(0.51)), age, RelationToHead.Child));
                }
            }
            switch (kind)
            {
                case Kind.ElderAlone: people.Add(new Person(G(_people.Chance(0.35)), _people.Between(65, 96), RelationToHead.Head)); break;
                case Kind.YoungAlone: people.Add(new Person(G(_people.Chance(0.55)), _people.Between(22, 45), RelationToHead.Head)); break;
                case Kind.ElderCouple: Couple(55, 92); break;
                case Kind.YoungCouple: Couple(24, 40); break;
                case Kind.Nuclear:
                    Couple(28, 58);
                    Children(people.Min(x => x.Age), _people.Chance(0.7) ? 1 : 2);
                    break;
                case Kind.ThreeGenerations:
                    Couple(32, 50);
                    Children(people.Min(x => x.Age), _people.Chance(0.6) ? 1 : 2);
                    var headAge = people[0].Age;
                    for (var i = 0; i < (_people.Chance(0.5) ? 2 : 1); i++)
                        people.Add(new Person(G(i == 0 ? _people.Chance(0.3) : true), Math.Min(98, headAge + _people.Between(23, 32)), RelationToHead.Parent));
                    break;
                case Kind.ElderWithChild:
                    var elder = _people.Between(58, 90);
                    people.Add(new Person(G(_people.Chance(0.35)), elder, RelationToHead.Head));
                    people.Add(new Person(G(_people.Chance(0.5)), Math.Max(18, elder - _people.Between(24, 34)), RelationToHead.Child));
                    break;
            }
            return people;
        }

        private Dictionary<string, object?> Row(int excelRow, Kind kind, Person p, string surname, HomeAddress? home, bool tenant, bool lowIncome)
        {
            var birth = _people.BirthDate(p.Age);
            var name = _people.Name(p.Gender, birth.Year, p.Relation is RelationToHead.Head or RelationToHead.Child ? surname : null);
            var id = _people.IdNumber(_people.Chance(0.85) ? "130108" : _people.Pick(OtherAreas), birth, p.Gender).Value;
            var hasPhone = p.Age switch { < 12 => false, < 16 => _people.Chance(0.4), < 80 => _people.Chance(0.96), _ => _people.Chance(0.55) };
            var emergency = p.Age >= 60 && _people.Chance(0.7);
            var row = new Dictionary<string, object?>(16)
            {
                ["姓名"] = name,
                ["身份证号"] = id,
                ["性别"] = p.Gender == Gender.Male ? "男" : "女",
                ["出生日期"] = _people.Chance(0.5) ? birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : birth.ToDateTime(TimeOnly.MinValue),
                ["手机号"] = hasPhone ? _people.Mobile() : null,
                ["小区"] = home?.Estate,
                ["楼栋"] = home is null ? null : _random.Next(10) switch { < 7 => home.Building, < 9 => home.Building + "号楼", _ => home.Building + "栋" },
                ["单元"] = null,
                ["门牌号"] = null,
                ["居住类型"] = p.Relation == RelationToHead.Head ? (tenant ? "租户" : "业主") : _people.Chance(0.5) ? "家庭成员" : null,
                ["与户主关系"] = Relation(p),
                ["人员类别"] = Categories(kind, p, lowIncome),
                ["紧急联系人"] = emergency ? _people.Name(_people.Chance(0.5) ? Gender.Female : Gender.Male, birth.Year + 28, surname) : null,
                ["紧急联系电话"] = emergency ? _people.Mobile() : null,
                ["技能特长"] = p.Age is >= 25 and < 85 && _people.Chance(0.02) ? _people.Pick(Skills) : null,
                ["备注"] = _people.Chance(0.01) ? _people.Pick(Notes) : null,
            };
            if (home is not null)
            {
                var entrance = home.Entrance.ToString(CultureInfo.InvariantCulture);
                switch (_random.Next(10))
                {
                    case < 6: row["单元"] = entrance; row["门牌号"] = home.Number; break;
                    case < 8: row["单元"] = entrance + "单元"; row["门牌号"] = home.Number + "室"; break;
                    default: row["门牌号"] = $"{entrance}-{home.Number}"; break; // the entrance only in the door number
                }
            }
            if (excelRow % 2000 == 0) Spoil(row, excelRow / 2000 % 5);
            return row;
        }

        /// <summary>One mistake an office makes, of five kinds in turn.</summary>
        private void Spoil(Dictionary<string, object?> row, int kind)
        {
            BadRows++;
            var id = (string)row["身份证号"]!;
            switch (kind)
            {
                case 0: row["身份证号"] = id[..17] + (id[17] == '0' ? '1' : '0'); break; // a wrong check character
                case 1: row["手机号"] = "1381111222"; break;                               // 10 digits
                case 2: row["楼栋"] = "99"; row["小区"] = homes[0].Estate; row["门牌号"] = "101"; row["单元"] = "1"; break;
                case 3: row["出生日期"] = "1900-01-01"; break;                            // contradicts the ID number
                default: row["与户主关系"] = "邻居"; break;
            }
        }

        private string Relation(Person p) => p.Relation switch
        {
            RelationToHead.Head => "户主",
            RelationToHead.Spouse => _random.Next(3) switch { 0 => "配偶", _ => p.Gender == Gender.Female ? "妻子" : "丈夫" },
            RelationToHead.Child => _random.Next(3) switch { 0 => "子女", _ => p.Gender == Gender.Female ? "女儿" : "儿子" },
            RelationToHead.Parent => p.Gender == Gender.Female ? "母亲" : "父亲",
            _ => "其他",
        };

        private string? Categories(Kind kind, Person p, bool lowIncome)
        {
            var tags = new List<string>();
            if (kind == Kind.ElderAlone) tags.Add(_people.Chance(0.5) ? "独居老人" : "独居");
            if (kind == Kind.ElderCouple) tags.Add(_people.Chance(0.5) ? "空巢老人" : "空巢");
            if (kind is Kind.ElderAlone or Kind.ElderCouple && _people.Chance(0.01)) tags.Add("失独家庭");
            if (p.Age >= 18 && _people.Chance(p.Age >= 60 ? 0.12 : 0.06)) tags.Add("党员");
            if (p.Gender == Gender.Male && p.Age >= 40 && _people.Chance(0.03)) tags.Add("退役军人");
            if (_people.Chance(p.Age >= 70 ? 0.05 : 0.015))
            {
                tags.Add("残疾人");
                if (_people.Chance(0.3)) tags.Add("失能");
            }
            if (lowIncome) tags.Add("低保户");
            if (p.Age >= 80 && _people.Chance(0.5)) tags.Add("80岁以上"); // computed from the birth date: ignored by the import
            if (_people.Chance(0.002)) tags.Add("楼长");                    // an office's own category: a custom tag
            return tags.Count == 0 ? null : string.Join(_people.Chance(0.8) ? "、" : ",", tags);
        }
    }
}

/// <summary>
/// Samples a process's resident set size (VmRSS of <c>/proc/PID/status</c>) at a fixed interval on a thread of its
/// own; keeps the current value and the peak since the last <see cref="ResetPeak"/>.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _current;
    private long _peak;
    private long _peakAnon;
    private int _samples;

    private MemorySampler(int pid) => _pid = pid;

    public void Dispose() => _stop.Dispose();

    public long Current => Interlocked.Read(ref _current);
    public long Peak => Interlocked.Read(ref _peak);
    /// <summary>The peak of RssAnon: the resident memory that is not mapped files (the runtime's and the app's code).</summary>
    public long PeakAnon => Interlocked.Read(ref _peakAnon);
    public int Samples => Volatile.Read(ref _samples);

    public static MemorySampler Start(int pid, TimeSpan interval)
    {
        var s = new MemorySampler(pid);
        s.Sample();
        s._loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(s._stop.Token)) s.Sample();
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        });
        return s;
    }

    public void ResetPeak()
    {
        Interlocked.Exchange(ref _peak, 0);
        Interlocked.Exchange(ref _peakAnon, 0);
        Sample();
    }

    private void Sample()
    {
        var rss = Read(_pid, "VmRSS:");
        if (rss <= 0) return;
        Interlocked.Exchange(ref _current, rss);
        Interlocked.Increment(ref _samples);
        Max(ref _peak, rss);
        Max(ref _peakAnon, Read(_pid, "RssAnon:"));
    }

    private static void Max(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await _loop;
    }

    /// <summary>A "kB" line of /proc/PID/status in bytes (VmRSS:, VmHWM:), or 0 when the process is gone.</summary>
    public static long Read(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var parts = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the process has exited
        }
        return 0;
    }
}
