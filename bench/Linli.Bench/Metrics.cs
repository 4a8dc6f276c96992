using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Web.Features.Demo;
using Linli.Web.Infrastructure.Data;
using Npgsql;

namespace Linli.Bench;

/// <summary>
/// <c>metrics</c>: the console's work-order metrics page (<c>/console/orders/metrics</c>) for a community with
/// 1,000,000 orders on PostgreSQL. A private PostgreSQL, the published app started on it (it migrates and loads the
/// demo), then <see cref="OrderGenerator"/> writes <c>--orders</c> orders of <c>--years</c> years into
/// <c>--orders-community</c> (the demo secretary's 融华府社区). The secretary signs in through the JSON API (password +
/// TOTP) and GETs the page as it opens (the last 30 days), over the last year and over all time, by category, grid,
/// handler and community, one request at a time: p50/p95 of each (target: under 300 ms); then over all time again with
/// an old order reopened before each request. The figures the page shows are checked against the database.
/// </summary>
public static class Metrics
{
    private const double TargetMs = 300;

    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        var ordersWanted = o.Number("orders", 1_000_000, 0, 20_000_000);
        var code = o.Get("orders-community") ?? "130108007024";
        var years = o.Seconds("years", 3, 0.1, 20);
        var requests = o.Number("requests", 30, 1, 10_000);
        var given = o.Get("connection");
        if (given is not null && o.Get("keys") is null) throw new UsageException("--connection needs --keys PATH (the field-keys file the app was started with)");
        var keys = Path.GetFullPath(o.Get("keys") ?? Path.Combine(work, "field-keys.json"));
        var phone = o.Get("phone") ?? "13800000001";
        var password = o.Get("password") ?? DemoSeeder.Password;
        var totpKey = o.Get("totp-key") ?? DemoSeeder.TotpKey;
        PrivatePostgres? pg = null;
        ServerProcess? server = null;
        try
        {
            string connection;
            if (given is not null) connection = given;
            else
            {
                pg = await PrivatePostgres.StartAsync(work, ct);
                connection = pg.ConnectionString("linli");
            }
            server = await ServerProcess.StartOnPostgresAsync(o, work, "metrics", connection, [new("Crypto__KeyFile", keys)], "/health/ready", ct);
            var generated = "";
            if (ordersWanted > 0)
            {
                var result = await OrderGenerator.RunAsync(new OrderSettings(DatabaseProvider.Postgres, connection, code, ordersWanted, years, o.Number("seed", 42, 0, int.MaxValue)), ct);
                generated = string.Create(CultureInfo.InvariantCulture, $" generated_orders={result.Orders} generated_events={result.Events} load_s={result.LoadSeconds:F1} analyze_s={result.AnalyzeSeconds:F1}");
            }

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, MaxConnectionsPerServer = 1, AllowAutoRedirect = false })
            {
                BaseAddress = server.BaseAddress,
                Timeout = TimeSpan.FromSeconds(120),
            };
            using (var token = await client.PostAsJsonAsync("/api/auth/token", new { phone, password, twoFactorCode = Totp.Code(totpKey, DateTimeOffset.UtcNow) }, ct))
            {
                var body = await token.Content.ReadAsStringAsync(ct);
                if (token.StatusCode != HttpStatusCode.OK) throw new BenchException($"sign-in of {phone} answered {(int)token.StatusCode}: {body}");
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString());
            }
            var me = await client.GetFromJsonAsync<JsonElement>("/api/me", ct);
            var communities = me.GetProperty("communities").EnumerateArray().Select(c => Guid.Parse(c.GetString()!)).ToList();
            if (communities.Count != 1) throw new BenchException($"{phone} should work in exactly one community, not {communities.Count}");
            var community = communities[0];
            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
            var allFrom = today.AddDays(-(int)Math.Ceiling(years * 365.25) - 1);
            var yearFrom = today.AddDays(-364);
            var defaultFrom = today.AddDays(-29); // the page's own period when it opens
            var (inDefault, inYear, inAll, total) = await CountAsync(connection, community, defaultFrom, yearFrom, allFrom, today, ct);
            Log.Line($"signed in {phone} (secretary, TOTP); the community holds {total:N0} orders: {inAll:N0} from {allFrom:yyyy-MM-dd} (all time), {inYear:N0} from {yearFrom:yyyy-MM-dd} (a year), " +
                     $"{inDefault:N0} from {defaultFrom:yyyy-MM-dd} (the page's default, 30 days), duplicates left out; machine load {Import.LoadAverage()}");

            var sb = new StringBuilder($"RESULT scenario=metrics orders={total}");
            var summary = new StringBuilder();
            var worst = 0.0;
            var errors = 0;
            async Task<JsonElement> ApiAsync(string query) => await client.GetFromJsonAsync<JsonElement>($"/api/work-orders/metrics?{query}&communityId={community}", ct);
            // One request at a time; the first (not counted) is also the one that builds the rollup's months if they are not built yet.
            async Task<(Histogram Hist, int Failed, double FirstMs)> MeasureAsync(string url, Func<int, Task>? before = null)
            {
                var hist = new Histogram();
                var failed = 0;
                var firstMs = 0.0;
                for (var i = -3; i < requests; i++)
                {
                    if (before is not null) await before(i);
                    var start = Stopwatch.GetTimestamp();
                    using var response = await client.GetAsync(url, ct);
                    var html = await response.Content.ReadAsStringAsync(ct);
                    var micros = Stopwatch.GetElapsedTime(start).Ticks / 10;
                    if (i == -3) firstMs = micros / 1000.0;
                    if (i < 0) continue;
                    if (response.StatusCode != HttpStatusCode.OK || !html.Contains("class=\"table metrics\"", StringComparison.Ordinal))
                    {
                        if (failed++ < 3) Log.Line($"  {url}: {(int)response.StatusCode} {html[..Math.Min(300, html.Length)]}");
                        continue;
                    }
                    hist.Record(micros);
                }
                return (hist, failed, firstMs);
            }
            void Report(string name, Histogram hist, int failed, string detail)
            {
                errors += failed;
                var p95 = hist.Percentile(95) / 1000;
                worst = Math.Max(worst, double.IsNaN(p95) ? double.PositiveInfinity : p95);
                Log.Line($"{name,-20} p50 {hist.Percentile(50) / 1000,8:F1} ms  p95 {p95,8:F1} ms  max {hist.Max / 1000.0,8:F1} ms  {detail}  errors {failed}; load {Import.LoadAverage()}");
                sb.Append(CultureInfo.InvariantCulture, $" {name}_p50_ms={hist.Percentile(50) / 1000:F1}");
                summary.Append(CultureInfo.InvariantCulture, $" {name}_p95_ms={p95:F1}");
            }
            foreach (var (period, from, expected) in new[] { ("default", (DateOnly?)null, inDefault), ("year", yearFrom, inYear), ("all", allFrom, inAll) })
            {
                foreach (var by in new[] { "Category", "Grid", "Handler", "Community" })
                {
                    ct.ThrowIfCancellationRequested();
                    var range = from is { } f ? $"from={f:yyyy-MM-dd}&to={today:yyyy-MM-dd}&" : "";
                    var url = $"/console/orders/metrics?{range}by={by}";
                    var (hist, failed, firstMs) = await MeasureAsync(url);
                    // The page shows the total reported first in its total row; the API gives the same report as JSON, checked once.
                    var api = await ApiAsync($"{range}by={by}");
                    var reported = api.GetProperty("total").GetProperty("reported").GetInt64();
                    if (reported != expected) throw new BenchException($"metrics {period} by {by}: the report counts {reported} orders, the database {expected}");
                    Report($"{period}_{by.ToLowerInvariant()}", hist, failed,
                        $"first {firstMs,8:F1} ms  rows {api.GetProperty("rows").GetArrayLength()}  reported {reported:N0}");
                }
            }

            // Orders of the oldest year change between views (reopened, as an office does when a resident says it is not fixed):
            // each view must fold the change into its month first. Each reopen takes one done order out of the figures.
            var allRange = $"from={allFrom:yyyy-MM-dd}&to={today:yyyy-MM-dd}";
            var doneBefore = (await ApiAsync($"{allRange}&by=Category")).GetProperty("total").GetProperty("done").GetInt64();
            var old = await OldClosedAsync(connection, community, allFrom, requests + 3, ct);
            var (changedHist, changedFailed, _) = await MeasureAsync($"/console/orders/metrics?{allRange}&by=Category", async i =>
            {
                using var step = await client.PostAsJsonAsync($"/api/work-orders/{old[i + 3]}/reopen", new { reason = "居民反映问题没有解决" }, ct);
                if (step.StatusCode != HttpStatusCode.OK) throw new BenchException($"reopening {old[i + 3]} answered {(int)step.StatusCode}: {await step.Content.ReadAsStringAsync(ct)}");
            });
            var doneAfter = (await ApiAsync($"{allRange}&by=Category")).GetProperty("total").GetProperty("done").GetInt64();
            if (doneBefore - doneAfter != old.Count) throw new BenchException($"after {old.Count} reopened orders the report counts {doneBefore - doneAfter} fewer done, not {old.Count}");
            Report("changed_all_category", changedHist, changedFailed, $"an order of {allFrom:yyyy} reopened before each view; done {doneBefore:N0} → {doneAfter:N0}");
            sb.Append(summary);
            sb.Append(CultureInfo.InvariantCulture, $" worst_p95_ms={worst:F1} target_met={(worst < TargetMs && errors == 0 ? "yes" : "no")} errors={errors} requests_per_kind={requests}{generated}");
            sb.Append(CultureInfo.InvariantCulture, $" loadavg=\"{Import.LoadAverage()}\"");
            return sb.ToString();
        }
        finally
        {
            await Teardown.StopAsync(server, pg, o);
        }
    }

    /// <summary>What the report must count: the community's orders reported in each period (China days), duplicates left out.</summary>
    private static async Task<(long Default, long Year, long All, long Total)> CountAsync(string connection, Guid community, DateOnly defaultFrom, DateOnly yearFrom,
        DateOnly allFrom, DateOnly to, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE "CreatedAt" >= @d AND "CreatedAt" < @e AND "DuplicateOfId" IS NULL),
                   count(*) FILTER (WHERE "CreatedAt" >= @y AND "CreatedAt" < @e AND "DuplicateOfId" IS NULL),
                   count(*) FILTER (WHERE "CreatedAt" >= @a AND "CreatedAt" < @e AND "DuplicateOfId" IS NULL),
                   count(*)
            FROM "WorkOrders" WHERE "CommunityId" = @c
            """, conn);
        cmd.Parameters.AddWithValue("c", community);
        cmd.Parameters.AddWithValue("d", Utc(defaultFrom));
        cmd.Parameters.AddWithValue("y", Utc(yearFrom));
        cmd.Parameters.AddWithValue("a", Utc(allFrom));
        cmd.Parameters.AddWithValue("e", Utc(to.AddDays(1)));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Closed orders (done, not linked as duplicates) of the period's first year, at random: the ones the bench reopens.</summary>
    private static async Task<List<Guid>> OldClosedAsync(string connection, Guid community, DateOnly from, int count, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT "Id" FROM "WorkOrders"
            WHERE "CommunityId" = @c AND "CreatedAt" >= @a AND "CreatedAt" < @b AND "Status" = 'Closed' AND "DuplicateOfId" IS NULL
            ORDER BY random() LIMIT @n
            """, conn);
        cmd.Parameters.AddWithValue("c", community);
        cmd.Parameters.AddWithValue("a", Utc(from));
        cmd.Parameters.AddWithValue("b", Utc(from.AddYears(1)));
        cmd.Parameters.AddWithValue("n", count);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        if (ids.Count < count) throw new BenchException($"only {ids.Count} closed orders in the first year to reopen, {count} needed");
        return ids;
    }

    private static DateTime Utc(DateOnly d) => DateTime.SpecifyKind(d.ToDateTime(TimeOnly.MinValue).AddHours(-8), DateTimeKind.Utc);
}
