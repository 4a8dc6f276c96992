using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// The yardstick of the bench's <c>intake</c> scenario (bench/README.md): what one authenticated JSON POST that
/// inserts one plain row costs in this app, so that creating a work order can be judged against it ("intake reaches
/// at least half of the ceiling"). It goes through the same pipeline, authentication (a resident's bearer token),
/// JSON binding of the same report and scoped <see cref="AppDbContext"/> as <c>POST /api/work-orders</c>, and then
/// does the least a write can do: one INSERT through the context's connection.
/// It is mapped only when <c>Bench:Ceiling=true</c>, which only the bench sets; without it the path is a 404. Its
/// table is not part of the model or the migrations: the bench creates it (<see cref="CreateTableSql"/>) in its
/// private database before it starts the app, so the product's schema stays as it is.
/// </summary>
public static class BenchCeiling
{
    public const string Path = "/api/bench/ceiling";
    public const string Table = "bench_ceiling";

    /// <summary>The table the bench creates (PostgreSQL and SQLite alike).</summary>
    public const string CreateTableSql =
        $"CREATE TABLE {Table} (id uuid PRIMARY KEY, account_id uuid NOT NULL, at timestamp with time zone NOT NULL, description text NOT NULL)";

    public static void MapBenchCeiling(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Bench:Ceiling")) return;
        app.MapPost(Path, async (NewWorkOrder input, HttpContext ctx, AppDbContext db, TimeProvider clock) =>
        {
            var id = Guid.CreateVersion7();
            var account = ctx.User.UserId() ?? Guid.Empty;
            var at = clock.GetUtcNow().UtcDateTime;
            var description = input.Description ?? "";
            await db.Database.ExecuteSqlAsync($"INSERT INTO bench_ceiling (id, account_id, at, description) VALUES ({id}, {account}, {at}, {description})", ctx.RequestAborted);
            return TypedResults.Created($"{Path}/{id}", new { id });
        }).RequireAuthorization().ExcludeFromDescription();
    }
}
