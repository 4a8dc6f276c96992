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
/// <c>search</c>: the published app on a PostgreSQL with generated residents; a staff member signs in through the JSON
/// API (password + TOTP) and runs each kind of registry search (<c>GET /api/residents</c>; by ID number <c>POST /api/residents/search</c>) with terms drawn at random
/// from the searched community's own data, one request at a time; p50/p95 per kind (target: p95 under 100 ms).
/// Without <c>--connection</c>: a private PostgreSQL, the app started on it first (it migrates and loads the demo),
/// then <see cref="Generator"/> adds the residents: <c>--large-residents</c> of them into the demo staff's
/// community 融华府社区, the rest into other communities.
/// </summary>
public static class Search
{
    private const double TargetMs = 100;

    private sealed record Kind(string Name, Func<Terms, Random, string> Query, bool ExpectHit);

    /// <summary>The kinds measured, each a query string made from a random sampled resident of the community.</summary>
    private static readonly Kind[] Kinds =
    [
        new("name1", (t, r) => "name=" + Uri.EscapeDataString(t.Pick(r).Name[..1]), true),                          // a surname: 王
        new("name2", (t, r) => "name=" + Uri.EscapeDataString(t.Pick(r).Name[^2..]), true),                         // a given name: 秀兰
        new("phone4", (t, r) => "phone=" + t.PickWhere(r, x => x.Phone is not null).Phone![^4..], true),
        new("idnumber", (t, r) => "idNumber=" + t.PickWhere(r, x => x.IdNumber is not null).IdNumber, true),
        new("estate", (t, r) => "estateId=" + t.PickWhere(r, x => x.EstateId is not null).EstateId, true),
        new("building", (t, r) => "buildingId=" + t.PickWhere(r, x => x.BuildingId is not null).BuildingId, true),
        new("entrance", (t, r) => Address(t, r, withHome: false), true),
        new("home", (t, r) => Address(t, r, withHome: true), true),
        new("tag", (t, r) => "tag=" + t.Tags[r.Next(t.Tags.Count)], true),
        new("grid", (t, r) => "gridId=" + t.Grids[r.Next(t.Grids.Count)], false),
        new("all", (_, _) => "", true),                                                                              // the list as it opens
    ];

    private static string Address(Terms t, Random r, bool withHome)
    {
        var x = t.PickWhere(r, p => p.BuildingId is not null);
        return $"buildingId={x.BuildingId}&entrance={x.Entrance}" + (withHome ? $"&home={x.Home}" : "");
    }

    public static async Task<string> RunAsync(Options o, string work, CancellationToken ct)
    {
        var given = o.Get("connection");
        if (given is not null && o.Get("keys") is null) throw new UsageException("--connection needs --keys PATH (the field-keys file the data was generated with)");
        var keys = Path.GetFullPath(o.Get("keys") ?? Path.Combine(work, "field-keys.json"));
        var requests = o.Number("requests", 200, 10, 100_000);
        var phone = o.Get("phone") ?? "13800000002";
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
            server = await ServerProcess.StartOnPostgresAsync(o, work, "search", connection, [new("Crypto__KeyFile", keys)], "/health/live", ct);
            if (given is null)
            {
                var settings = Generate.Settings(o, DatabaseProvider.Postgres, connection, keys, largeDefault: DemoSeeder.Accounts.First(a => a.Phone == "13800000002").CommunityCode);
                var generated = await Generator.RunAsync(settings, ct);
                Log.Line($"generated {generated.Residents:N0} residents in {generated.TotalSeconds:F1} s");
            }

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, MaxConnectionsPerServer = 1 })
            {
                BaseAddress = server.BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var token = await SignInAsync(client, phone, password, totpKey, ct);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var me = await client.GetFromJsonAsync<JsonElement>("/api/me", ct);
            var communities = me.GetProperty("communities").EnumerateArray().Select(c => Guid.Parse(c.GetString()!)).ToList();
            if (communities.Count != 1) throw new BenchException($"{phone} should work in exactly one community, not {communities.Count}");
            var community = communities[0];

            var terms = await Terms.DrawAsync(connection, Generator.Crypto(keys), community, o.Number("seed", 42, 0, int.MaxValue), ct);
            Log.Line($"signed in {phone} (staff, TOTP); community {community} holds {terms.CommunityResidents:N0} of {terms.AllResidents:N0} residents; " +
                     $"terms from {terms.Sample.Count} random residents, {terms.Grids.Count} grids, {terms.Tags.Count} tag rows");
            if (terms.CommunityResidents < 50_000) Log.Line("note: the searched community holds under 50,000 residents; the target is meant for a large one");

            var random = new Random(o.Number("seed", 42, 0, int.MaxValue));
            var sb = new StringBuilder($"RESULT scenario=search residents={terms.AllResidents} community_residents={terms.CommunityResidents}");
            var worst = 0.0;
            var errors = 0;
            var summary = new List<string>();
            foreach (var kind in Kinds)
            {
                ct.ThrowIfCancellationRequested();
                var (hist, failed, rows) = await MeasureAsync(client, community, kind, terms, random, requests, ct);
                var p50 = hist.Percentile(50) / 1000;
                var p95 = hist.Percentile(95) / 1000;
                worst = Math.Max(worst, p95);
                errors += failed;
                Log.Line($"{kind.Name,-9} p50 {p50,7:F1} ms  p95 {p95,7:F1} ms  max {hist.Max / 1000.0,7:F1} ms  mean total {rows:F0}  errors {failed}  (e.g. ?{kind.Query(terms, new Random(1))})");
                summary.Add(string.Create(CultureInfo.InvariantCulture, $" {kind.Name}_p95_ms={p95:F1}"));
                sb.Append(CultureInfo.InvariantCulture, $" {kind.Name}_p50_ms={p50:F1}");
            }
            foreach (var s in summary) sb.Append(s);
            sb.Append(CultureInfo.InvariantCulture, $" worst_p95_ms={worst:F1} target_met={(worst < TargetMs && errors == 0 ? "yes" : "no")} errors={errors} requests_per_kind={requests}");
            return sb.ToString();
        }
        finally
        {
            await Teardown.StopAsync(server, pg, o);
        }
    }

    /// <summary>POST /api/auth/token with the phone, password and the current TOTP code; the bearer token.</summary>
    private static async Task<string> SignInAsync(HttpClient client, string phone, string password, string totpKey, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/token",
            new { phone, password, twoFactorCode = Totp.Code(totpKey, DateTimeOffset.UtcNow) }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new BenchException($"sign-in of {phone} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString() ?? throw new BenchException("no accessToken");
    }

    /// <summary>20 warm-up requests, then <paramref name="requests"/> measured ones, one at a time, each with a new random term.</summary>
    private static async Task<(Histogram Hist, int Errors, double MeanTotal)> MeasureAsync(HttpClient client, Guid community, Kind kind, Terms terms, Random random,
        int requests, CancellationToken ct)
    {
        var hist = new Histogram();
        var errors = 0;
        long totals = 0;
        for (var i = -20; i < requests; i++)
        {
            var query = kind.Query(terms, random);
            var url = $"/api/residents?communityId={community}" + (query.Length > 0 ? "&" + query : "");
            var start = Stopwatch.GetTimestamp();
            // A full ID number never goes into a URL: that search is a POST with the filters in the body.
            using var response = query.StartsWith("idNumber=", StringComparison.Ordinal)
                ? await client.PostAsync("/api/residents/search", new StringContent(
                    JsonSerializer.Serialize(new { communityId = community, idNumber = query["idNumber=".Length..] }), Encoding.UTF8, "application/json"), ct)
                : await client.GetAsync(url, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            var micros = Stopwatch.GetElapsedTime(start).Ticks / 10;
            if (i < 0) continue;
            var ok = response.StatusCode == HttpStatusCode.OK;
            var total = 0;
            if (ok)
            {
                using var json = JsonDocument.Parse(body);
                total = json.RootElement.GetProperty("total").GetInt32();
                // A term drawn from a resident of the community finds at least that resident.
                ok = !kind.ExpectHit || (total > 0 && json.RootElement.GetProperty("rows").GetArrayLength() > 0);
            }
            if (!ok)
            {
                if (errors++ < 3) Log.Line($"  {kind.Name}: {(int)response.StatusCode} for {url}: {Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
                continue;
            }
            hist.Record(micros);
            totals += total;
        }
        return (hist, errors, hist.Count == 0 ? 0 : totals / (double)hist.Count);
    }

    /// <summary>Random residents of the searched community with what a caller could search them by, read straight from the database.</summary>
    private sealed class Terms
    {
        public sealed record Person(string Name, string? Phone, string? IdNumber, Guid? EstateId, Guid? BuildingId, int Entrance, string? Home);

        public List<Person> Sample { get; } = [];
        public List<Guid> Grids { get; } = [];
        public List<string> Tags { get; } = [];
        public long CommunityResidents { get; private set; }
        public long AllResidents { get; private set; }

        public Person Pick(Random r) => Sample[r.Next(Sample.Count)];

        public Person PickWhere(Random r, Func<Person, bool> p)
        {
            for (var i = 0; i < 1000; i++)
            {
                var x = Pick(r);
                if (p(x)) return x;
            }
            throw new BenchException("no sampled resident has what this search needs");
        }

        public static async Task<Terms> DrawAsync(string connection, Web.Infrastructure.Privacy.IFieldCrypto crypto, Guid community, int seed, CancellationToken ct)
        {
            var t = new Terms();
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync(ct);
            await using (var cmd = new NpgsqlCommand("SELECT setseed(@s)", conn))
            {
                cmd.Parameters.AddWithValue("s", (seed % 1000) / 1000.0);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await using (var cmd = new NpgsqlCommand("""
                SELECT r."Name", r."Phone", r."IdNumberCipher", b."EstateId", h."BuildingId", h."EntranceNumber", h."Number"
                FROM "Residents" r
                LEFT JOIN "Residences" x ON x."ResidentId" = r."Id" AND x."To" IS NULL
                LEFT JOIN "Homes" h ON h."Id" = x."HomeId"
                LEFT JOIN "Buildings" b ON b."Id" = h."BuildingId"
                WHERE r."CommunityId" = @c
                ORDER BY random() LIMIT 2000
                """, conn))
            {
                cmd.Parameters.AddWithValue("c", community);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    t.Sample.Add(new Person(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                        reader.IsDBNull(2) ? null : crypto.Decrypt(reader.GetString(2)),
                        reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetGuid(4),
                        reader.IsDBNull(5) ? 0 : reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
                }
            }
            await using (var cmd = new NpgsqlCommand("""SELECT "Id" FROM "Grids" WHERE "CommunityId" = @c ORDER BY "Id" """, conn))
            {
                cmd.Parameters.AddWithValue("c", community);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) t.Grids.Add(reader.GetGuid(0));
            }
            // Tags as often as they occur: a random tag row of the community each time (custom tags are not searchable by kind).
            await using (var cmd = new NpgsqlCommand("""SELECT "Kind" FROM "ResidentTags" WHERE "CommunityId" = @c AND "Kind" <> 99 ORDER BY random() LIMIT 500""", conn))
            {
                cmd.Parameters.AddWithValue("c", community);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) t.Tags.Add(((Web.Features.Residents.TagKind)reader.GetInt32(0)).ToString());
            }
            await using (var cmd = new NpgsqlCommand("""SELECT count(*) FILTER (WHERE "CommunityId" = @c), count(*) FROM "Residents" """, conn))
            {
                cmd.Parameters.AddWithValue("c", community);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                t.CommunityResidents = reader.GetInt64(0);
                t.AllResidents = reader.GetInt64(1);
            }
            if (t.Sample.Count == 0 || t.Grids.Count == 0 || t.Tags.Count == 0) throw new BenchException("the staff member's community has no generated residents, grids or tags");
            return t;
        }
    }
}
