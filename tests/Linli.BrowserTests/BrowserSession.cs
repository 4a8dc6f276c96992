using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Linli.Web.Features.Demo;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>
/// One test's browser: its own context and page on the shared app. Every page the test lands on goes through
/// <see cref="CheckPageAsync"/>: axe-core (fails on serious or critical violations) and a full-page screenshot to
/// TestResults/screenshots/&lt;test&gt;-&lt;nn&gt;-&lt;step&gt;.png. A page reached without that check fails the test at the
/// next step or at <see cref="FinishAsync"/>, and so does any JavaScript error or failed script/style load.
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ServerLog _serverLog;
    private int _serverLogMark;
    private readonly ITestOutputHelper _output;
    private readonly string _test;
    private readonly List<string> _scriptErrors = [];
    private int _step;
    private int _navigations;
    private int _checkedNavigations;

    private BrowserSession(IBrowserContext context, IPage page, ITestOutputHelper output, string test, ServerLog serverLog)
    {
        _context = context;
        _serverLog = serverLog;
        _serverLogMark = serverLog.Mark();
        Page = page;
        _output = output;
        _test = test;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame) Interlocked.Increment(ref _navigations);
        };
        page.PageError += (_, error) => { lock (_scriptErrors) _scriptErrors.Add($"page error on {page.Url}: {error}"); };
        page.Console += (_, message) =>
        {
            // "Failed to load resource" repeats a response status: assets are checked below, and a page's own
            // status is asserted where it is opened (a 404 page is sometimes what a test wants).
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                lock (_scriptErrors) _scriptErrors.Add($"console error on {page.Url}: {message.Text}");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Request.ResourceType is "script" or "stylesheet" or "image" or "font")
                lock (_scriptErrors) _scriptErrors.Add($"{response.Request.ResourceType} {response.Url} answered {response.Status}");
        };
        page.RequestFailed += (_, request) =>
        {
            if (request.ResourceType is "script" or "stylesheet") lock (_scriptErrors) _scriptErrors.Add($"{request.ResourceType} failed: {request.Url} ({request.Failure})");
        };
    }

    public IPage Page { get; }

    /// <summary>All rules (none excluded); only violations come back, which keeps each run fast on a 2-core machine.</summary>
    private static readonly AxeRunOptions AxeOptions = new() { ResultTypes = [ResultType.Violations] };

    public static async Task<BrowserSession> StartAsync(LinliAppFixture app, ITestOutputHelper output, string test, BrowserNewContextOptions? options = null)
    {
        var context = await app.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(20_000);
        var page = await context.NewPageAsync();
        output.WriteLine(app.StartupReport);
        return new BrowserSession(context, page, output, test, app.ServerLog);
    }

    /// <summary>Opens <paramref name="path"/>, asserts the status, then checks the page (axe + screenshot).</summary>
    public async Task<IResponse> GotoAsync(string path, string step, int expectedStatus = 200)
    {
        EnsurePreviousPageChecked();
        var response = await Page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");
        if (response.Status != expectedStatus)
            throw new Xunit.Sdk.XunitException($"GET {path} answered {response.Status}, expected {expectedStatus} ({Page.Url}).\n{WriteServerLog()}");
        await CheckPageAsync(step);
        return response;
    }

    /// <summary>Clicks <paramref name="submit"/> (a form's button or a link), waits for the page it leads to, and checks that page.</summary>
    public async Task<IResponse?> SubmitAsync(ILocator submit, string step, int expectedStatus = 200)
    {
        EnsurePreviousPageChecked();
        // The next `load` event is the new document's (the current one has already loaded); the last main-frame
        // navigation response before it is the final one after any redirect (POST → 302 → GET).
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IResponse? response = null;
        void OnResponse(object? sender, IResponse r)
        {
            if (r.Request.IsNavigationRequest && r.Frame == Page.MainFrame) response = r;
        }
        void OnLoad(object? sender, IPage p) => loaded.TrySetResult();
        Page.Response += OnResponse;
        Page.Load += OnLoad;
        try
        {
            await submit.ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Clicking for '{step}' on {Page.Url} did not lead to a new page.");
        }
        finally
        {
            Page.Response -= OnResponse;
            Page.Load -= OnLoad;
        }
        if (response is null)
            throw new Xunit.Sdk.XunitException($"Clicking for '{step}' loaded {Page.Url} without a navigation response.");
        if (response.Status != expectedStatus)
            throw new Xunit.Sdk.XunitException($"The page after '{step}' answered {response.Status}, expected {expectedStatus} ({Page.Url}).\n{WriteServerLog()}");
        await CheckPageAsync(step);
        return response;
    }

    /// <summary>
    /// Waits until htmx has no request in flight and nothing swapping or settling: a person picks the next thing after
    /// the form has redrawn, and an event fired into content htmx is still settling may not be heard.
    /// </summary>
    public Task HtmxIdleAsync() => Page.WaitForFunctionAsync(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')", null, new() { Timeout = 10_000 });

    /// <summary>axe-core on the current page (fails on serious/critical violations), then a full-page screenshot.</summary>
    public async Task CheckPageAsync(string step)
    {
        await Page.WaitForLoadStateAsync(LoadState.Load);
        var file = Path.Combine(LinliAppFixture.ScreenshotDir, $"{_test}-{++_step:00}-{step}.png");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Page.ScreenshotAsync(new() { Path = file, FullPage = true });
        var shot = clock.ElapsedMilliseconds;
        // Deque's page.RunAxe() runs axe per frame and then opens a fresh page in a new context for axe's
        // finishRun (cross-origin iframe isolation): ~3 s per page on this 2-core machine, which alone would take
        // the suite past two minutes. Linli's pages have no iframes (X-Frame-Options DENY, CSP frame-ancestors
        // 'none'), so the legacy single-frame run checks exactly the same document with the same rules (none
        // excluded) in ~1 s. The package marks it obsolete; if it is removed, switch back to Page.RunAxe(AxeOptions).
#pragma warning disable CS0618
        var result = await Page.Locator("html").RunAxeLegacy(AxeOptions);
#pragma warning restore CS0618
        _output.WriteLine($"[{_test}] {step}: {Page.Url} (screenshot {shot} ms, axe {clock.ElapsedMilliseconds - shot} ms)");
        _output.WriteLine($"    screenshot {file}");
        WriteServerLog();

        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var v in result.Violations.Except(blocking))
            _output.WriteLine($"    axe (not failing, {v.Impact}): {v.Id} — {v.Help} on {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
        _checkedNavigations = Volatile.Read(ref _navigations);
        if (blocking.Count > 0)
            throw new Xunit.Sdk.XunitException($"axe-core found {blocking.Count} serious/critical violation(s) on {Page.Url} (step '{step}', screenshot {file}):\n{Describe(blocking)}");
    }

    private static string Describe(IEnumerable<AxeResultItem> violations)
    {
        var sb = new StringBuilder();
        foreach (var v in violations)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  [{v.Impact}] {v.Id}: {v.Help} ({v.HelpUrl})");
            foreach (var node in v.Nodes)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"      target {node.Target}");
                sb.AppendLine(CultureInfo.InvariantCulture, $"      html   {node.Html}");
                foreach (var check in (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []))
                    sb.AppendLine(CultureInfo.InvariantCulture, $"      - {check.Message}");
            }
        }
        return sb.ToString();
    }

    /// <summary>Copies what the server logged (warnings and errors) since the last step into the test output.</summary>
    private string WriteServerLog()
    {
        var entries = _serverLog.Since(_serverLogMark).ToList();
        _serverLogMark += entries.Count;
        var text = string.Join("\n", entries.Select(e => "    server: " + e));
        if (entries.Count > 0) _output.WriteLine(text);
        return text;
    }

    /// <summary>Ends the test: every page visited was checked and no script failed.</summary>
    public Task FinishAsync()
    {
        EnsurePreviousPageChecked();
        lock (_scriptErrors)
        {
            if (_scriptErrors.Count > 0)
                throw new Xunit.Sdk.XunitException("JavaScript errors or failed assets:\n  " + string.Join("\n  ", _scriptErrors));
        }
        return Task.CompletedTask;
    }

    private void EnsurePreviousPageChecked()
    {
        if (Volatile.Read(ref _navigations) != _checkedNavigations)
            throw new Xunit.Sdk.XunitException($"The test reached {Page.Url} without checking it (axe + screenshot); call CheckPageAsync after every navigation.");
    }

    // ---- Sign-in -----------------------------------------------------------------------------------------------

    /// <summary>Password sign-in; for staff also the TOTP step with the demo key. Ends on the page the app lands on.</summary>
    public async Task SignInAsync(string phone, bool staff, string landing, bool openLoginPage = true)
    {
        if (openLoginPage) await GotoAsync("/account/login", "login");
        else new Uri(Page.Url).AbsolutePath.ShouldBe("/account/login");
        await Page.Locator("input[name=Phone]").FillAsync(phone);
        await Page.Locator("input[name=Password]").FillAsync(DemoSeeder.Password);
        var loginButton = Page.Locator("form:has(input[name=Phone]) button[type=submit]");
        if (!staff)
        {
            await SubmitAsync(loginButton, "signed-in");
            Page.Url.ShouldEndWith(landing);
            return;
        }
        await SubmitAsync(loginButton, "totp");
        Page.Url.ShouldContain("/account/2fa");
        await Page.Locator("input[name=Code]").FillAsync(Totp.Code(DemoSeeder.TotpKey, DateTimeOffset.UtcNow));
        await SubmitAsync(Page.Locator("form:has(input[name=Code]) button[type=submit]"), "signed-in");
        new Uri(Page.Url).AbsolutePath.ShouldBe(landing);
    }

    // ---- Small helpers -----------------------------------------------------------------------------------------

    /// <summary>A cheap Android phone: 390 × 844, touch, a mobile user agent.</summary>
    public static BrowserNewContextOptions Phone() => new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 1,
        UserAgent = "Mozilla/5.0 (Linux; Android 12; Redmi 10) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    };

    /// <summary>The integer shown by an element (digits only, e.g. "1,234" → 1234).</summary>
    public static async Task<int> NumberAsync(ILocator locator) => int.Parse(Digits().Replace(await locator.InnerTextAsync(), ""), CultureInfo.InvariantCulture);

    /// <summary>"12 / 30" → (12, 30).</summary>
    public static (int Part, int Whole) Fraction(string text)
    {
        var m = FractionPattern().Match(text);
        if (!m.Success) throw new FormatException($"Not a fraction: '{text}'.");
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>True when the text contains a CJK ideograph.</summary>
    public static bool HasChinese(string text) => Cjk().IsMatch(text);

    /// <summary>The id at the end of the current URL (/console/buildings/{id}).</summary>
    public Guid IdFromUrl() => Guid.Parse(new Uri(Page.Url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1]);

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    [GeneratedRegex(@"[^\d]")]
    private static partial Regex Digits();

    [GeneratedRegex(@"(\d+)\s*/\s*(\d+)")]
    private static partial Regex FractionPattern();

    [GeneratedRegex(@"[\u3400-\u9fff\uf900-\ufaff]")]
    private static partial Regex Cjk();
}
