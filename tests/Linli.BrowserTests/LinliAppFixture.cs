using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Linli.BrowserTests;

/// <summary>All browser tests share one running Linli and one chromium (2-core machine); each test gets its own context.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<LinliAppFixture>
{
    public const string Name = "Linli in a browser";
}

/// <summary>
/// Linli for real: Kestrel on a free port of 127.0.0.1, Development, a fresh SQLite file with the demo seeded, and
/// Debian's headless chromium driven by Playwright (never `playwright install`).
/// </summary>
public sealed class LinliAppFixture : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("linli-browser-").FullName;
    private LinliFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The server's address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The server's warnings and errors.</summary>
    public ServerLog ServerLog { get; } = new();

    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The app is not started.");

    /// <summary>How long the server and the browser took to start (printed in the first test's output).</summary>
    public string StartupReport { get; private set; } = "";

    // test.sh collects them with the other results (LINLI_SCREENSHOTS); a plain dotnet test keeps them beside the binaries.
    public static string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("LINLI_SCREENSHOTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (Directory.Exists(ScreenshotDir)) Directory.Delete(ScreenshotDir, recursive: true);
        Directory.CreateDirectory(ScreenshotDir);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Server (migrations + demo seed, the slow part) and chromium start side by side.
        var browser = LaunchBrowserAsync();
        _factory = new LinliFactory(Path.Combine(_dataDir, "linli.db"), ServerLog);
        _factory.UseKestrel(0);
        try
        {
            await Task.Run(_factory.StartServer);
        }
        catch
        {
            try { await (await browser).CloseAsync(); } catch (PlaywrightException) { /* the server's error matters more */ }
            _playwright?.Dispose();
            throw;
        }
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        BaseUrl = (addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("Kestrel reported no http address.")).TrimEnd('/').Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        var server = clock.ElapsedMilliseconds;
        Browser = await browser;
        StartupReport = $"Linli started (migrations + demo seed) in {server} ms, chromium ready after {clock.ElapsedMilliseconds} ms, at {BaseUrl}";
    }

    private async Task<IBrowser> LaunchBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { /* best effort */ }
    }

    /// <summary>A fresh browser context (own cookies) on the running app; desktop console size unless told.</summary>
    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new() { ViewportSize = new() { Width = 1440, Height = 900 } };
        options.BaseURL = BaseUrl;
        options.Locale ??= "zh-CN";
        options.TimezoneId ??= "Asia/Shanghai";
        return Browser.NewContextAsync(options);
    }

    /// <summary>Reads the database as the system (all communities), for facts a test needs but cannot see in its own scope.</summary>
    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>The id of building <paramref name="number"/> of a demo estate.</summary>
    public Task<Guid> DemoBuildingIdAsync(string estateName, string number) => QueryAsync(db =>
        db.Buildings.Join(db.Estates, b => b.EstateId, e => e.Id, (b, e) => new { b, e })
            .Where(x => x.e.Name == estateName && x.b.Number == number).Select(x => x.b.Id).SingleAsync());

    private sealed class LinliFactory(string sqliteFile, ServerLog log) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // Program.cs reads these before Build(): only UseSetting reaches them.
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={sqliteFile}");
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Linli.Demo", "Warning");
            builder.ConfigureLogging(l => l.ClearProviders().AddProvider(log));
        }
    }
}

/// <summary>Demo estates the tests refer to (see DemoSeeder).</summary>
internal static class DemoEstates
{
    public const string RongchuangYuhua = "融创裕华壹号";   // 融华府社区
    public const string DushiYangguang = "都市阳光小区";     // 阳光社区
}
