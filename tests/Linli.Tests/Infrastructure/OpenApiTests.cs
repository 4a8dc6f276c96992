using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Web.Features.WorkOrders;
using Xunit.Abstractions;

namespace Linli.Tests.Infrastructure;

/// <summary>
/// The API describes itself: what a client developer (a mini-program) reads in /openapi/v1.json is complete and true.
/// The document is also written to artifacts/openapi.json and checked there by Redocly CLI's recommended rules.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OpenApiTests(LinliFactory app, ITestOutputHelper output)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private async Task<JsonElement> DocumentAsync() => JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()
            .Where(m => Methods.Contains(m.Name)).Select(m => (p.Name, m.Name, m.Value)));

    private static string Name((string Path, string Method, JsonElement Operation) op) => $"{op.Method.ToUpperInvariant()} {op.Path}";

    private static bool Has(JsonElement e, string property) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out _);

    [Fact]
    public async Task Every_operation_has_a_summary_and_an_operation_id_of_its_own()
    {
        var ops = Operations(await DocumentAsync()).ToList();
        ops.Count.ShouldBeGreaterThan(90);
        ops.Where(o => string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("summary", out var s) ? s.GetString() : null)).Select(Name).ShouldBeEmpty();
        ops.Where(o => !Has(o.Operation, "operationId")).Select(Name).ShouldBeEmpty();
        ops.GroupBy(o => o.Operation.GetProperty("operationId").GetString()).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_operation_that_needs_a_sign_in_lists_401_and_accepts_the_bearer_token_or_the_cookie()
    {
        var doc = await DocumentAsync();
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        schemes.GetProperty("cookie").GetProperty("in").GetString().ShouldBe("cookie");
        schemes.GetProperty("cookie").GetProperty("name").GetString().ShouldBe("linli.auth");
        schemes.GetProperty("antiforgery").GetProperty("name").GetString().ShouldBe("RequestVerificationToken");

        var anonymous = new List<string>();
        foreach (var op in Operations(doc))
        {
            var security = op.Operation.GetProperty("security").EnumerateArray().ToList();
            if (security is [{ } only] && !only.EnumerateObject().Any())
            {
                anonymous.Add(Name(op));
                continue;
            }
            op.Operation.GetProperty("responses").TryGetProperty("401", out _).ShouldBeTrue(Name(op));
            var ways = security.Select(r => string.Join("+", r.EnumerateObject().Select(s => s.Name).Order())).ToList();
            ways.ShouldContain("bearer", Name(op));
            ways.ShouldContain(w => w == "cookie" || w == "antiforgery+cookie", Name(op));
        }
        anonymous.Order().ShouldBe(["GET /api/board/{code}", "POST /api/auth/refresh", "POST /api/auth/token"]);
        // The uploads ask cookie callers for the antiforgery header; bearer callers need nothing more.
        var upload = doc.GetProperty("paths").GetProperty("/api/work-orders/{id}/photos").GetProperty("post").GetProperty("security");
        upload.EnumerateArray().Any(r => r.TryGetProperty("cookie", out _) && r.TryGetProperty("antiforgery", out _)).ShouldBeTrue();
    }

    [Fact]
    public async Task The_step_parameter_lists_every_step_name_and_the_step_examples_are_steps()
    {
        var step = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/work-orders/{id}/{step}").GetProperty("post");
        var parameter = step.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "step");
        var names = parameter.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();
        names.ShouldBe(WorkOrderFlow.Names);
        var examples = step.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        examples.EnumerateObject().Select(e => e.Name).ShouldAllBe(n => names.Contains(n));
        step.GetProperty("responses").TryGetProperty("409", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Every_error_response_is_problem_details_and_enums_travel_as_their_names()
    {
        var doc = await DocumentAsync();
        foreach (var op in Operations(doc))
        {
            foreach (var response in op.Operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')))
            {
                var content = response.Value.GetProperty("content");
                content.EnumerateObject().Select(c => c.Name).ShouldBe(["application/problem+json"], $"{Name(op)} {response.Name}");
                var schema = content.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString();
                schema.ShouldBe(response.Name == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails");
            }
        }
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        foreach (var s in schemas.EnumerateObject().Where(s => Has(s.Value, "enum")))
            s.Value.GetProperty("type").GetString().ShouldBe("string", s.Name);
        schemas.GetProperty("WorkOrderStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldContain("Submitted");
    }

    [Fact]
    public async Task Every_request_body_has_an_example()
    {
        var missing = Operations(await DocumentAsync())
            .Where(o => Has(o.Operation, "requestBody"))
            .Where(o => o.Operation.GetProperty("requestBody").GetProperty("content").EnumerateObject().Any(c => !Has(c.Value, "example") && !Has(c.Value, "examples")))
            .Select(Name).ToList();
        missing.ShouldBeEmpty();
    }

    /// <summary>What the server answers is among what the document says it answers, and a 4xx comes as problem+json.</summary>
    [Fact]
    public async Task The_answers_of_the_running_api_are_among_the_documented_ones()
    {
        var doc = await DocumentAsync();
        var anonymous = app.CreateClient();
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var staff = await app.ApiAsAsync(Clients.Staff);
        foreach (var op in Operations(doc))
        {
            var url = string.Join('/', op.Path.Split('/').Select(s => s switch
            {
                "{step}" => "accept",
                "{code}" => "000000000000",
                "{date}" => "2026-12-05",
                "{role}" => "Staff",
                _ when s.StartsWith('{') => Guid.NewGuid().ToString(),
                _ => s,
            }));
            // Nobody signed in: every protected operation says 401, and says it as documented.
            await CheckAsync(anonymous, op, url);
            // A resident and the office look at things that do not exist or are not theirs (reads only: nothing is changed).
            if (op.Method != "get") continue;
            await CheckAsync(resident, op, url);
            await CheckAsync(staff, op, url);
        }
    }

    private static async Task CheckAsync(HttpClient client, (string Path, string Method, JsonElement Operation) op, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(op.Method.ToUpperInvariant()), url);
        if (op.Method is "post" or "put") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        op.Operation.GetProperty("responses").TryGetProperty(status, out _).ShouldBeTrue($"{Name(op)} answered {status}, which its description does not list");
        if (status[0] == '4') response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{Name(op)} {status}");
    }

    /// <summary>
    /// Redocly CLI's recommended rules, run on the document the app serves (written to artifacts/openapi.json); the
    /// build installs the linter from tools/openapi-lint/package-lock.json. Any error fails the test; warnings are
    /// printed and written to artifacts/openapi-lint.json.
    /// </summary>
    [Fact]
    public async Task An_independent_openapi_linter_finds_no_error_in_the_document()
    {
        var root = RepositoryRoot();
        var artifacts = Directory.CreateDirectory(Path.Combine(root, "artifacts")).FullName;
        var document = Path.Combine(artifacts, "openapi.json");
        await File.WriteAllTextAsync(document, await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var tool = Path.Combine(root, "tools", "openapi-lint");
        var start = new ProcessStartInfo(Path.Combine(tool, "node_modules", ".bin", "redocly"))
        {
            ArgumentList = { "lint", document, "--config", Path.Combine(tool, "redocly.yaml"), "--format=json", "--max-problems=1000" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = tool,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" },
        };
        using var lint = Process.Start(start)!;
        var stdout = lint.StandardOutput.ReadToEndAsync();
        var stderr = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await File.WriteAllTextAsync(Path.Combine(artifacts, "openapi-lint.json"), await stdout);
        var report = JsonDocument.Parse(await stdout).RootElement;
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} "
                + $"({p.GetProperty("location")[0].GetProperty("pointer").GetString()})").ToList();
        var totals = report.GetProperty("totals");
        output.WriteLine($"redocly lint: {totals.GetProperty("errors").GetInt32()} errors, {totals.GetProperty("warnings").GetInt32()} warnings");
        problems.ForEach(output.WriteLine);
        totals.GetProperty("errors").GetInt32().ShouldBe(0, string.Join('\n', problems.Where(p => p.StartsWith("error", StringComparison.Ordinal))));
        lint.ExitCode.ShouldBe(0, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Linli.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Linli.slnx not found above " + AppContext.BaseDirectory);
    }
}
