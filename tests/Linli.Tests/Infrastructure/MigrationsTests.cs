using Linli.Tests.Support;
using Linli.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class MigrationsTests(LinliFactory app)
{
    [Fact]
    public void The_sqlite_migrations_match_the_model()
    {
        using var db = new SqliteDesignFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("run: dotnet ef migrations add <Name> --project src/Linli.Web --context SqliteAppDbContext -o Infrastructure/Data/Migrations/Sqlite");
    }

    [Fact]
    public void The_postgres_migrations_match_the_model()
    {
        using var db = new PostgresDesignFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("run: dotnet ef migrations add <Name> --project src/Linli.Web --context PostgresAppDbContext -o Infrastructure/Data/Migrations/Postgres");
    }

    [Fact]
    public void Both_migration_sets_move_together()
    {
        using var sqlite = new SqliteDesignFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignFactory().CreateDbContext([]);
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[15..]);
        Names(sqlite).ShouldBe(Names(postgres));
    }

    [Fact]
    public async Task The_test_database_is_fully_migrated_on_the_provider_under_test()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (LinliFactory.Provider == DatabaseProvider.Postgres ? db.Database.IsNpgsql() : db.Database.IsSqlite()).ShouldBeTrue();
    }
}
