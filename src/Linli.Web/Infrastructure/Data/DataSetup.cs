using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Linli.Web.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DataSetup
{
    /// <summary>
    /// SQLite (a file under data/) by default; PostgreSQL when <c>Database:Provider=Postgres</c> with
    /// <c>ConnectionStrings:Postgres</c>. Both register as <see cref="AppDbContext"/>.
    /// </summary>
    public static WebApplicationBuilder AddLinliData(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<TenantScope>();
        builder.Services.AddSingleton<Caching.ReferenceCache>();
        builder.Services.AddScoped<CurrentCommunity>();
        // Interceptors of every save: the platform's and those the modules register (AddSingleton<IInterceptor, …>).
        builder.Services.AddSingleton<IInterceptor, Caching.ReferenceCacheInterceptor>();
        builder.Services.AddSingleton<InsertBatcher>();
        var provider = ProviderOf(builder.Configuration);
        if (provider == DatabaseProvider.Postgres)
        {
            var cs = WithAutoPrepare(builder.Configuration.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set."));
            builder.Services.AddDbContext<AppDbContext, PostgresAppDbContext>((sp, o) =>
                o.UseLinliPostgres(cs).AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        else
        {
            var cs = SqliteConnectionString(builder.Configuration, builder.Environment.ContentRootPath);
            builder.Services.AddDbContext<AppDbContext, SqliteAppDbContext>((sp, o) =>
                o.UseLinliSqlite(cs).AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        // Data-protection keys (cookies, bearer tokens, antiforgery) live in the database, so several app nodes share them.
        builder.Services.AddDataProtection().PersistKeysToDbContext<AppDbContext>().SetApplicationName("Linli");
        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Npgsql prepares the statements a connection runs again and again (the app's queries are few and repeated), unless
    /// the connection string says otherwise: PostgreSQL then skips parsing and planning them (bench intake: half the
    /// database's CPU per report).
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) b.MaxAutoPrepare = 100;
        return b.ConnectionString;
    }

    /// <summary>How the app talks to PostgreSQL; also used by tools that open the app's database (the bench's generator).</summary>
    public static DbContextOptionsBuilder UseLinliPostgres(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, n => n.MigrationsHistoryTable("__migrations"));

    public static DbContextOptionsBuilder UseLinliSqlite(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString, s => s.MigrationsHistoryTable("__migrations"));

    /// <summary>A context of the provider's own type, outside the app's container (design time, tools).</summary>
    public static AppDbContext CreateContext(DatabaseProvider provider, string connectionString, TenantScope scope)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var pg = new DbContextOptionsBuilder<PostgresAppDbContext>();
            pg.UseLinliPostgres(connectionString);
            return new PostgresAppDbContext(pg.Options, scope);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteAppDbContext>();
        sqlite.UseLinliSqlite(connectionString);
        return new SqliteAppDbContext(sqlite.Options, scope);
    }

    public static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        string.Equals(configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    /// <summary>A relative SQLite file resolves against the content root, and its folder is created.</summary>
    public static string SqliteConnectionString(IConfiguration configuration, string contentRoot)
    {
        var cs = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(configuration.GetConnectionString("Sqlite") ?? "Data Source=data/linli.db");
        if (cs.DataSource != ":memory:" && !Path.IsPathRooted(cs.DataSource))
        {
            cs.DataSource = Path.GetFullPath(Path.Combine(contentRoot, cs.DataSource));
        }
        if (cs.DataSource != ":memory:") Directory.CreateDirectory(Path.GetDirectoryName(cs.DataSource)!);
        cs.Pooling = true;
        return cs.ToString();
    }

    /// <summary>Applies pending migrations of the configured provider (on SQLite, in WAL mode for concurrent readers).</summary>
    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}

// Design-time factories: `dotnet ef migrations add X --context SqliteAppDbContext -o Infrastructure/Data/Migrations/Sqlite`
// (and the same for PostgresAppDbContext). They build the model without starting the app.
public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        (SqliteAppDbContext)DataSetup.CreateContext(DatabaseProvider.Sqlite, "Data Source=design.db", new TenantScope(new HttpContextAccessor()));
}

public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        (PostgresAppDbContext)DataSetup.CreateContext(DatabaseProvider.Postgres, "Host=localhost;Database=linli_design", new TenantScope(new HttpContextAccessor()));
}
