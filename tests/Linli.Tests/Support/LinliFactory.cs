using Linli.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Linli.Tests.Support;

/// <summary>
/// Linli in-process on a fresh database of the provider the test run is for: SQLite (a temp file) by default,
/// PostgreSQL when LINLI_TEST_PROVIDER=Postgres (a new database on the server in LINLI_TEST_PG, dropped afterwards).
/// The demo is loaded, so every role has an account to test with.
/// </summary>
public class LinliFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static DatabaseProvider Provider =>
        string.Equals(Environment.GetEnvironmentVariable("LINLI_TEST_PROVIDER"), "Postgres", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("LINLI_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres";

    private readonly string _name = "linli_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _sqlitePath;
    /// <summary>A second app process on the database of another factory (its database is not dropped by this one).</summary>
    private readonly bool _guest;

    /// <summary>The clock the app sees; tests that move time use <see cref="FakeClockFactory"/>.</summary>
    public virtual FakeTimeProvider? Clock => null;

    public LinliFactory() : this(null) { }

    /// <summary>With <paramref name="shareDatabaseOf"/>: another process of the same deployment, on the same database and keys.</summary>
    protected LinliFactory(LinliFactory? shareDatabaseOf)
    {
        if (shareDatabaseOf is not null)
        {
            _name = shareDatabaseOf._name;
            _guest = true;
        }
        _sqlitePath = Path.Combine(Path.GetTempPath(), _name + ".db");
    }

    public string PostgresConnectionString => $"{PostgresServer};Database={_name}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Crypto:KeyFile", Path.Combine(Path.GetTempPath(), _name + ".keys.json"));
        builder.UseSetting("Imports:Folder", Path.Combine(Path.GetTempPath(), _name + "-imports"));
        builder.UseSetting("Photos:Folder", Path.Combine(Path.GetTempPath(), _name + "-photos"));
        if (Provider == DatabaseProvider.Postgres)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Postgres", PostgresConnectionString);
        }
        else
        {
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={_sqlitePath}");
        }
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services =>
        {
            if (Clock is { } clock) services.AddSingleton<TimeProvider>(clock);
            // The in-memory test server has no socket; give requests the loopback address a real one would have.
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, LoopbackAddressFilter>();
        });
    }

    public Task InitializeAsync() =>
        // Start now and wait for the migrations and the demo (they run once per factory, beside the server's start).
        Services.GetRequiredService<Linli.Web.Infrastructure.Operations.StartupGate>().Ready;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_guest) return;
        foreach (var folder in new[] { "-imports", "-photos" }.Select(f => Path.Combine(Path.GetTempPath(), _name + f)))
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        if (Provider == DatabaseProvider.Postgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection($"{PostgresServer};Database=postgres");
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm", Path.Combine(Path.GetTempPath(), _name + ".keys.json") })
                if (File.Exists(f)) File.Delete(f);
        }
    }
}

/// <summary>A Linli whose clock the test moves (sessions, lockout).</summary>
public sealed class FakeClockFactory : LinliFactory
{
    private readonly FakeTimeProvider _clock;
    public override FakeTimeProvider Clock => _clock;

    public FakeClockFactory() => _clock = new(DateTimeOffset.UtcNow);

    private FakeClockFactory(FakeClockFactory first) : base(first) => _clock = new(first.Clock.GetUtcNow());

    /// <summary>A second process on the first one's database, its clock showing the same time.</summary>
    public static FakeClockFactory SecondProcessOf(FakeClockFactory first) => new(first);
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<LinliFactory>
{
    public const string Name = "app";
}

internal sealed class LoopbackAddressFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use((Microsoft.AspNetCore.Http.HttpContext ctx, Func<Task> n) =>
        {
            ctx.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return n();
        });
        next(app);
    };
}
