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
/// TOTP) and GETs the page over the last year and over all time, by category, by handler and by community, one request
/// at a time: p50/p95 of each (target: under 300 ms). The figures the page shows are checked against the database.
/// </summary>
public static class Metrics
{
    private const double TargetMs = 300;

    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        var ordersWanted = o.Int("orders", 1_000_000, 0, 20_000_000);
        var code = o.Get("orders-community") ?? "130108007024";
        var years = o.Seconds("years", 3, 0.1, 20);
        var requests = o.Int("requests", 30, 1, 10_000);
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
                var result = await OrderGenerator.RunAsync(new OrderSettings(DatabaseProvider.Postgres, connection, code, ordersWanted, years, o.Int("seed", 42, 0, int.MaxValue)), ct);
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
            var (inYear, inAll, total) = await CountAsync(connection, community, yearFrom, allFrom, today, ct);
            Log.Line($"signed in {phone} (secretary, TOTP); the community holds {total:N0} orders: {inAll:N0} from {allFrom:yyyy-MM-dd} (all time), {inYear:N0} from {yearFrom:yyyy-MM-dd} (a year), " +
                     $"duplicates left out; machine load {Import.LoadAverage()}");

            var sb = new StringBuilder($"RESULT scenario=metrics orders={total}");
            var summary = new StringBuilder();
            var worst = 0.0;
            var errors = 0;
            foreach (var (period, from, expected) in new[] { ("year", yearFrom, inYear), ("all", allFrom, inAll) })
            {
                foreach (var by in new[] { "Category", "Handler", "Community" })
                {
                    ct.ThrowIfCancellationRequested();
                    // The page shows the total reported first in its total row; the API gives the same report as JSON, checked once.
                    var api = await client.GetFromJsonAsync<JsonElement>($"/api/work-orders/metrics?from={from:yyyy-MM-dd}&to={today:yyyy-MM-dd}&by={by}&communityId={community}", ct);
                    var reported = api.GetProperty("total").GetProperty("reported").GetInt64();
                    if (reported != expected) throw new BenchException($"metrics {period} by {by}: the report counts {reported} orders, the database {expected}");
                    var url = $"/console/orders/metrics?from={from:yyyy-MM-dd}&to={today:yyyy-MM-dd}&by={by}";
                    var hist = new Histogram();
                    var failed = 0;
                    for (var i = -3; i < requests; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        using var response = await client.GetAsync(url, ct);
                        var html = await response.Content.ReadAsStringAsync(ct);
                        var micros = Stopwatch.GetElapsedTime(start).Ticks / 10;
                        if (i < 0) continue;
                        if (response.StatusCode != HttpStatusCode.OK || !html.Contains("class=\"table metrics\"", StringComparison.Ordinal))
                        {
                            if (failed++ < 3) Log.Line($"  {url}: {(int)response.StatusCode} {html[..Math.Min(300, html.Length)]}");
                            continue;
                        }
                        hist.Record(micros);
                    }
                    errors += failed;
                    var name = $"{period}_{by.ToLowerInvariant()}";
                    var p95 = hist.Percentile(95) / 1000;
                    worst = Math.Max(worst, double.IsNaN(p95) ? double.PositiveInfinity : p95);
                    Log.Line($"{name,-18} p50 {hist.Percentile(50) / 1000,8:F1} ms  p95 {p95,8:F1} ms  max {hist.Max / 1000.0,8:F1} ms  rows {api.GetProperty("rows").GetArrayLength()}  " +
                             $"reported {reported:N0}  errors {failed}; load {Import.LoadAverage()}");
                    sb.Append(CultureInfo.InvariantCulture, $" {name}_p50_ms={hist.Percentile(50) / 1000:F1}");
                    summary.Append(CultureInfo.InvariantCulture, $" {name}_p95_ms={p95:F1}");
                }
            }
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
    private static async Task<(long Year, long All, long Total)> CountAsync(string connection, Guid community, DateOnly yearFrom, DateOnly allFrom, DateOnly to, CancellationToken ct)
    {
        DateTime Utc(DateOnly d) => DateTime.SpecifyKind(d.ToDateTime(TimeOnly.MinValue).AddHours(-8), DateTimeKind.Utc);
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE "CreatedAt" >= @y AND "CreatedAt" < @e AND "DuplicateOfId" IS NULL),
                   count(*) FILTER (WHERE "CreatedAt" >= @a AND "CreatedAt" < @e AND "DuplicateOfId" IS NULL),
                   count(*)
            FROM "WorkOrders" WHERE "CommunityId" = @c
            """, conn);
        cmd.Parameters.AddWithValue("c", community);
        cmd.Parameters.AddWithValue("y", Utc(yearFrom));
        cmd.Parameters.AddWithValue("a", Utc(allFrom));
        cmd.Parameters.AddWithValue("e", Utc(to.AddDays(1)));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
