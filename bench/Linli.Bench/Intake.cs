using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Web.Features.Demo;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Operations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Linli.Bench;

/// <summary>
/// <c>intake</c>: residents' reports created through the JSON API (<c>POST /api/work-orders</c>) on PostgreSQL under a
/// closed-loop load, beside the ceiling: <c>POST /api/bench/ceiling</c> in the same app (<see cref="BenchCeiling"/>,
/// mapped only with <c>Bench:Ceiling=true</c>), which binds the same JSON with the same authentication and inserts one
/// plain row. Target: intake at least 50 % of the ceiling's requests/s, p99 under 100 ms. Afterwards the orders in the
/// database must be exactly the successful reports, and the ceiling's rows its successes.
/// </summary>
public static class Intake
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private const double TargetRatio = 0.50;
    private const double TargetP99Ms = 100;
    private const string ReporterPassword = "Linli@2026";

    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        var connections = o.Number("connections", 32, 1, 1024);
        var duration = TimeSpan.FromSeconds(o.Seconds("duration", 15, 1, 600));
        var warmup = TimeSpan.FromSeconds(o.Seconds("warmup", 5, 0, 120));
        // Each phase is measured once the app's JIT has settled (ClosedLoop), at most this long after the phase starts; 0: off.
        var settle = TimeSpan.FromSeconds(o.Seconds("settle", 120, 0, 600));
        var maxRequests = o.Number("max-requests", 20_000_000, 1, int.MaxValue);
        var reporters = o.Number("reporters", connections, 1, 1000);
        var seed = o.Number("seed", 42, 0, int.MaxValue);
        var phases = (o.Get("phases") ?? "intake,ceiling").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (phases.Length == 0 || phases.Any(p => p is not ("intake" or "ceiling")) || phases.Distinct().Count() != phases.Length)
            throw new UsageException("--phases: a comma list of intake and ceiling");
        var phone = o.Get("phone") ?? "13800000001"; // the demo secretary of 融华府社区: she opens residents' accounts
        var password = o.Get("password") ?? DemoSeeder.Password;
        var totpKey = o.Get("totp-key") ?? DemoSeeder.TotpKey;

        PrivatePostgres? pg = null;
        ServerProcess? server = null;
        try
        {
            pg = await PrivatePostgres.StartAsync(work, ct);
            var connection = pg.ConnectionString("linli");
            await CreateCeilingTableAsync(pg, connection, ct);

            var dir = Path.Combine(work, "intake");
            server = await ServerProcess.StartOnPostgresAsync(o, work, "intake", connection,
                [new("Crypto__KeyFile", Path.Combine(dir, "field-keys.json")), new("Photos__Folder", Path.Combine(dir, "photos")), new("Bench__Ceiling", "true")], "/health/ready", ct);
            if (server.Mark("Demo data loaded") is null) throw new BenchException($"the app did not load the demo (see {server.LogPath})");

            // The secretary opens the reporters' accounts, as the office does for residents; each reporter then signs in.
            using var anon = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            using var admin = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(anon, phone, password, Totp.Code(totpKey, DateTimeOffset.UtcNow), ct));
            var me = await admin.GetFromJsonAsync<JsonElement>("/api/me", ct);
            var communityList = me.GetProperty("communities").EnumerateArray().Select(c => Guid.Parse(c.GetString()!)).ToList();
            if (communityList.Count != 1) throw new BenchException($"{phone} should work in exactly one community, not {communityList.Count}");
            var community = communityList[0];
            var places = await PlacesAsync(connection, community, ct);
            var people = new People(new Random(seed), new Bogus.Faker("zh_CN") { Random = new Bogus.Randomizer(seed) }, DateOnly.FromDateTime(DateTime.UtcNow));
            var tokens = new List<string>();
            var accountIds = new List<Guid>();
            for (var i = 0; i < reporters; i++)
            {
                var mobile = $"1370{seed % 10}{i:000000}";
                var name = people.Name(i % 2 == 0 ? Web.Features.Residents.Gender.Female : Web.Features.Residents.Gender.Male, 1950 + i % 50);
                using var created = await admin.PostAsJsonAsync("/api/users", new { phone = mobile, displayName = name, password = ReporterPassword, role = "Resident" }, ct);
                var body = await created.Content.ReadAsStringAsync(ct);
                if (created.StatusCode != HttpStatusCode.Created) throw new BenchException($"creating resident {mobile} answered {(int)created.StatusCode}: {body}");
                accountIds.Add(JsonDocument.Parse(body).RootElement.GetProperty("user").GetProperty("id").GetGuid());
                tokens.Add(await TokenAsync(anon, mobile, ReporterPassword, null, ct));
            }
            Log.Line($"the secretary {phone} opened {reporters} residents' accounts in 融华府社区 ({community}); each signed in through /api/auth/token");

            using var resident = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            resident.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[0]);
            var categories = (await resident.GetFromJsonAsync<JsonElement>("/api/work-order-categories", ct)).EnumerateArray()
                .Select(c => new Category(c.GetProperty("id").GetGuid(), c.GetProperty("name").GetString()!, c.TryGetProperty("parentId", out var p) && p.ValueKind == JsonValueKind.String)).ToList();
            var reports = Reports.Make(categories, places, new Random(seed), 4096);
            Log.Line($"{categories.Count} categories; {places.Homes.Count} homes in {places.Buildings.Count} buildings; {reports.Length} different reports " +
                     $"(e.g. {Encoding.UTF8.GetString(reports[0])})");

            using var handler = new SocketsHttpHandler
            {
                UseCookies = false, AllowAutoRedirect = false, UseProxy = false, AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, ConnectTimeout = TimeSpan.FromSeconds(5),
            };
            using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var headers = tokens.Select(t => new AuthenticationHeaderValue("Bearer", t)).ToArray();
            ClosedLoop.Phase Post(string name, string path, string marker)
            {
                var expected = Encoding.UTF8.GetBytes(marker);
                return new ClosedLoop.Phase(name, (w, n) =>
                {
                    var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(reports[(int)((w * 7919L + n) % reports.Length)]) };
                    req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    req.Headers.Authorization = headers[w % headers.Length];
                    return req;
                }, (status, body) => status != HttpStatusCode.Created ? $"http_{(int)status}" : body.Span.IndexOf(expected) < 0 ? "unexpected_content" : null);
            }
            var specs = new Dictionary<string, ClosedLoop.Phase>
            {
                ["intake"] = Post("intake", "/api/work-orders", "\"number\":\""),
                ["ceiling"] = Post("ceiling", BenchCeiling.Path, "\"id\":\""),
            };
            var results = new Dictionary<string, ClosedLoop.Result>();
            foreach (var name in phases)
            {
                results[name] = await ClosedLoop.RunAsync(client, specs[name], connections, warmup, duration, maxRequests, server, pg, ct, settle);
            }

            // What the database holds must be what the server answered: every 201 one row, nothing else.
            var (orders, events, numbers, ceilingRows) = await CountAsync(connection, community, accountIds, ct);
            var verified = true;
            if (results.TryGetValue("intake", out var intake))
            {
                var ok = orders == intake.OkAll || (orders >= intake.OkAll && orders <= intake.OkAll + intake.Unsure);
                verified &= ok && numbers == orders && events == orders;
                Log.Line($"verify intake: {orders} orders of the bench's reporters in the database, {intake.OkAll} answered 201 (warm-up included), {intake.Unsure} unsure; " +
                         $"{numbers} distinct numbers, {events} 'Submitted' events: {(ok && numbers == orders && events == orders ? "OK" : "MISMATCH")}");
            }
            if (results.TryGetValue("ceiling", out var ceiling))
            {
                var ok = ceilingRows == ceiling.OkAll || (ceilingRows >= ceiling.OkAll && ceilingRows <= ceiling.OkAll + ceiling.Unsure);
                verified &= ok;
                Log.Line($"verify ceiling: {ceilingRows} rows, {ceiling.OkAll} answered 201: {(ok ? "OK" : "MISMATCH")}");
            }

            var sb = new StringBuilder("RESULT scenario=intake");
            foreach (var (name, r) in results)
                sb.Append(CultureInfo.InvariantCulture, $" {name}_rps={r.Rps:F1} {name}_p50_ms={r.P(50):F2} {name}_p99_ms={r.P(99):F2} {name}_errors={r.Errors}");
            if (intake is not null && ceiling is not null)
            {
                var ratio = ceiling.Rps > 0 ? intake.Rps / ceiling.Rps : 0;
                sb.Append(CultureInfo.InvariantCulture, $" ratio={ratio:F3} target_met={(ratio >= TargetRatio && intake.P(99) < TargetP99Ms && intake.Errors == 0 && verified ? "yes" : "no")}");
            }
            foreach (var (name, r) in results)
                sb.Append(CultureInfo.InvariantCulture, $" {name}_server_ms_per_req={ClosedLoop.F(r.ServerMsPerRequest)} {name}_db_ms_per_req={ClosedLoop.F(r.DbMsPerRequest)} {name}_warmup_s={r.WarmupSeconds:F0}");
            sb.Append(CultureInfo.InvariantCulture, $" orders_in_db={orders} verified={(verified ? "yes" : "no")} reporters={reporters} connections={connections} duration_s={duration.TotalSeconds:F0}");
            sb.Append(CultureInfo.InvariantCulture, $" loadavg=\"{string.Join(" | ", results.Values.Select(r => r.LoadAverage))}\"");
            return sb.ToString();
        }
        finally
        {
            await Teardown.StopAsync(server, pg, o);
        }
    }

    /// <summary>
    /// The ceiling's table, made before the app starts (so that it is no part of the app's model or migrations): the
    /// database first, then the table, with raw SQL through the app's own context and connection.
    /// </summary>
    private static async Task CreateCeilingTableAsync(PrivatePostgres pg, string connection, CancellationToken ct)
    {
        await using (var server = new NpgsqlConnection(pg.ConnectionString("postgres")))
        {
            await server.OpenAsync(ct);
            await using var create = new NpgsqlCommand("CREATE DATABASE linli", server);
            await create.ExecuteNonQueryAsync(ct);
        }
        await using var db = Generator.Context(DatabaseProvider.Postgres, connection);
        await db.Database.ExecuteSqlRawAsync(BenchCeiling.CreateTableSql, ct);
        Log.Line($"created the ceiling's table {BenchCeiling.Table} in the private database");
    }

    private static async Task<string> TokenAsync(HttpClient client, string phone, string password, string? totp, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { phone, password, twoFactorCode = totp }) };
        using var response = await client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new BenchException($"sign-in of {phone} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString() ?? throw new BenchException("no accessToken");
    }

    public sealed record Category(Guid Id, string Name, bool IsLeaf);

    public sealed record Places(List<(Guid Id, int Entrances)> Buildings, List<Guid> Homes, List<Guid> Estates);

    /// <summary>The community's estates, buildings and homes, straight from the database.</summary>
    public static async Task<Places> PlacesAsync(string connection, Guid community, CancellationToken ct)
    {
        var places = new Places([], [], []);
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync(ct);
        async Task ReadAsync(string sql, Action<NpgsqlDataReader> row)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("c", community);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) row(reader);
        }
        await ReadAsync("""SELECT "Id" FROM "Estates" WHERE "CommunityId" = @c ORDER BY "Id" """, r => places.Estates.Add(r.GetGuid(0)));
        await ReadAsync("""SELECT "Id", "EntranceCount" FROM "Buildings" WHERE "CommunityId" = @c ORDER BY "Id" """, r => places.Buildings.Add((r.GetGuid(0), r.GetInt32(1))));
        await ReadAsync("""SELECT "Id" FROM "Homes" WHERE "CommunityId" = @c ORDER BY "Id" """, r => places.Homes.Add(r.GetGuid(0)));
        if (places.Homes.Count == 0 || places.Buildings.Count == 0) throw new BenchException("the community has no buildings or homes");
        return places;
    }

    private static async Task<(long Orders, long Events, long Numbers, long Ceiling)> CountAsync(string connection, Guid community, List<Guid> accounts, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            SELECT (SELECT count(*) FROM "WorkOrders" WHERE "CommunityId" = @c AND "ReporterAccountId" = ANY(@a)),
                   (SELECT count(*) FROM "WorkOrderEvents" e JOIN "WorkOrders" o ON o."Id" = e."WorkOrderId"
                     WHERE o."CommunityId" = @c AND o."ReporterAccountId" = ANY(@a) AND e."Step" = 'Submitted'),
                   (SELECT count(DISTINCT "Number") FROM "WorkOrders" WHERE "CommunityId" = @c AND "ReporterAccountId" = ANY(@a)),
                   (SELECT count(*) FROM {BenchCeiling.Table})
            """, conn);
        cmd.Parameters.AddWithValue("c", community);
        cmd.Parameters.AddWithValue("a", accounts.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Residents' reports as the phone sends them: a category, a description in their words, and a place.</summary>
    public static class Reports
    {
        /// <summary>What residents write, by the category's name (top-level or leaf).</summary>
        public static readonly Dictionary<string, string[]> Texts = new()
        {
            ["水电维修"] = ["家里水龙头一直滴水，关不紧", "卫生间水管接头渗水", "热水器打不着火，麻烦看看", "厨房插座没电了"],
            ["管道堵塞"] = ["厨房下水道堵了，水下不去", "卫生间地漏返臭水", "楼下主管道堵塞，一楼污水倒灌", "马桶堵了，疏通不开"],
            ["漏水"] = ["楼上漏水，我家卫生间顶棚滴水", "暖气片接口漏水，地板泡了", "外墙渗水，卧室墙皮起鼓"],
            ["停电跳闸"] = ["家里总闸老跳，一开空调就断电", "楼道整层停电了", "单元门禁没电，门打不开"],
            ["环境卫生"] = ["楼道里堆了很多杂物，影响通行", "垃圾桶满了好几天没清运", "小区绿地有狗粪没人清理", "楼道小广告太多了"],
            ["邻里纠纷"] = ["楼上晚上十一点后还很吵，沟通无效", "邻居在楼道里养鸡，味道很大", "对门把鞋柜放在公共走廊", "楼下烧烤油烟直冲我家窗户"],
            ["公共设施"] = ["单元门的闭门器坏了，门关不上", "小区健身器材螺丝松了，有危险", "楼道扶手松动", "信报箱门掉了"],
            ["路灯"] = ["小区东门口的路灯不亮了，晚上很黑", "楼前那盏路灯一闪一闪的", "停车场路灯坏了好几盏"],
            ["电梯"] = ["电梯经常停在半层，老人不敢坐", "电梯按钮不灵，按了没反应", "电梯里有异响", "电梯门关得太快，夹到孩子"],
            ["安全隐患"] = ["楼道里有人给电动车充电，飞线很危险", "消防通道被私家车堵住了", "楼顶护栏锈断了", "地下室有煤气味"],
            ["政策咨询"] = ["想问一下高龄津贴怎么申请", "孩子入学需要开居住证明吗", "医保卡丢了去哪里补办", "老旧小区改造什么时候轮到我们楼"],
        };

        /// <summary>Relative frequency of each category in residents' reports (pipes, leaks and lifts lead, policy questions are few).</summary>
        private static readonly Dictionary<string, int> Weights = new()
        {
            ["管道堵塞"] = 14, ["漏水"] = 12, ["停电跳闸"] = 6, ["水电维修"] = 6, ["环境卫生"] = 16, ["邻里纠纷"] = 8, ["公共设施"] = 8, ["路灯"] = 7,
            ["电梯"] = 10, ["安全隐患"] = 7, ["政策咨询"] = 6,
        };

        public static byte[][] Make(List<Category> categories, Places places, Random random, int count)
        {
            var pool = categories.Where(c => Weights.ContainsKey(c.Name)).SelectMany(c => Enumerable.Repeat(c, Weights[c.Name])).ToList();
            if (pool.Count == 0) throw new BenchException("none of the seeded categories is known to the bench");
            var bodies = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                var c = pool[random.Next(pool.Count)];
                var text = Texts[c.Name][random.Next(Texts[c.Name].Length)];
                object place;
                var roll = random.NextDouble();
                if (c.Name is "管道堵塞" or "漏水" or "停电跳闸" or "水电维修" or "邻里纠纷" && roll < 0.8)
                    place = new { homeId = places.Homes[random.Next(places.Homes.Count)] };                 // in my home
                else if (roll < 0.75)
                {
                    var (id, entrances) = places.Buildings[random.Next(places.Buildings.Count)];           // at a building or entrance
                    place = random.NextDouble() < 0.6 ? new { buildingId = id, entranceNumber = (int?)random.Next(1, entrances + 1) } : new { buildingId = id, entranceNumber = (int?)null };
                }
                else if (roll < 0.9) place = new { estateId = places.Estates[random.Next(places.Estates.Count)], text = "小区东门口" };
                else place = new { text = random.NextDouble() < 0.5 ? "社区南侧马路边" : "菜市场门口" };
                bodies[i] = JsonSerializer.SerializeToUtf8Bytes(new { categoryId = c.Id, description = text, place }, WebJson);
            }
            return bodies;
        }
    }
}
