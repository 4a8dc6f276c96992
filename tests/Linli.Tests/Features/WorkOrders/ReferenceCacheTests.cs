using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>
/// The reference cache behind a report: once warm, a resident's report reads nothing from the database (only the
/// order is written); what this process saves is seen at once; a category another process just made is found at once.
/// </summary>
public sealed class ReferenceCacheTests(FakeClockFactory app) : IClassFixture<FakeClockFactory>
{
    private static async Task<Guid> CategoryAsync(HttpClient client, string name) =>
        (await (await client.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()
            .First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private async Task<Guid> WangsHomeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Linli.Web.Infrastructure.Tenancy.TenantScope>().UseSystem();
        return await scope.ServiceProvider.GetRequiredService<Linli.Web.Infrastructure.Data.AppDbContext>().Residents
            .Where(r => r.Name == "王秀兰").Join(scope.ServiceProvider.GetRequiredService<Linli.Web.Infrastructure.Data.AppDbContext>().Residences,
                r => r.Id, x => x.ResidentId, (r, x) => x.HomeId).FirstAsync();
    }

    [Fact]
    public async Task A_warm_report_reads_nothing_from_the_database()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var pipes = await CategoryAsync(resident, "管道堵塞");
        var home = await WangsHomeAsync();
        async Task ReportAsync() => await (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = pipes, description = "厨房下水慢", place = new { homeId = home } }))
            .JsonAsync(HttpStatusCode.Created);
        await ReportAsync(); // warms the cache

        using var counter = new CommandCounter(ConnectionString());
        await ReportAsync();
        var reads = counter.Commands.Where(c => c.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)).ToList();
        reads.ShouldBeEmpty($"a warm report should read nothing, but read:\n{string.Join("\n---\n", reads)}");
        counter.Commands.ShouldNotBeEmpty(); // (it did write the order)
        // On PostgreSQL the order, its first step and the office's notifications go in one batch, atomic without BEGIN/COMMIT.
        if (LinliFactory.Provider == Linli.Web.Infrastructure.Data.DatabaseProvider.Postgres) counter.Commands.Count.ShouldBe(1, string.Join("\n---\n", counter.Commands));
    }

    [Fact]
    public async Task What_this_process_saves_is_seen_at_once_and_a_category_made_by_another_process_is_found_at_once()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var env = await CategoryAsync(staff, "环境卫生");
        (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = env, description = "楼道堆物", place = new { text = "2号楼" } })).StatusCode.ShouldBe(HttpStatusCode.Created);

        // Retired here: the next report of it is refused at once (the cached categories were evicted by the save).
        (await staff.PostAsync($"/api/work-order-categories/{env}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = env, description = "楼道堆物", place = new { text = "2号楼" } })).ShouldBeFieldErrorAsync("CategoryId");
        (await staff.PostAsync($"/api/work-order-categories/{env}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Another process of the app makes a category; this one has its categories cached but takes the new one at once.
        await using var second = FakeClockFactory.SecondProcessOf(app);
        var otherStaff = await second.ApiAsAsync(Clients.Staff);
        var made = await (await otherStaff.PostAsJsonAsync("/api/work-order-categories", new { name = Clients.Unique("噪音扰民"), responseHours = 4, resolutionHours = 24, warningLeadHours = 2 }))
            .JsonAsync(HttpStatusCode.Created);
        (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = made.GetProperty("id").GetGuid(), description = "楼上装修太吵", place = new { text = "3号楼" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    private string ConnectionString()
    {
        using var scope = app.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<Linli.Web.Infrastructure.Data.AppDbContext>().Database.GetConnectionString()!;
    }

    /// <summary>The SQL commands EF runs on one database while it lives (other tests' databases are not counted).</summary>
    private sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _connection;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly IDisposable _all;
        public ConcurrentQueue<string> Commands { get; } = new();

        public CommandCounter(string connection)
        {
            _connection = connection;
            _all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key == RelationalEventId.CommandExecuting.Name && e.Value is CommandEventData d && d.Context?.Database.GetConnectionString() == _connection)
                Commands.Enqueue(d.Command.CommandText);
            // A transaction's BEGIN and COMMIT are round trips too (they are not commands to EF).
            if (e.Key == RelationalEventId.TransactionStarting.Name && e.Value is TransactionStartingEventData s && s.Context?.Database.GetConnectionString() == _connection)
                Commands.Enqueue("BEGIN");
            if (e.Key == RelationalEventId.TransactionCommitting.Name && e.Value is TransactionEventData c && c.Context?.Database.GetConnectionString() == _connection)
                Commands.Enqueue("COMMIT");
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions) _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
