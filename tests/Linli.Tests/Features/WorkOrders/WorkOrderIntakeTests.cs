using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Operations;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>
/// Reports coming in (the bench's intake scenario): numbers under concurrency and across app processes, the answer to a
/// report built from what the create read, and the bench's ceiling endpoint, which exists only with Bench:Ceiling.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WorkOrderIntakeTests(LinliFactory app)
{
    private static async Task<Guid> CategoryAsync(HttpClient client, string name) =>
        (await (await client.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()
        .First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private static async Task<(Guid Estate, Guid Building, Guid Home)> PlaceAsync(HttpClient staff)
    {
        var estate = (await (await staff.GetAsync("/api/estates")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().First(e => e.GetProperty("name").GetString() == "融创裕华壹号");
        var estateId = estate.GetProperty("id").GetGuid();
        var building = (await (await staff.GetAsync($"/api/estates/{estateId}/buildings")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().First();
        var buildingId = building.GetProperty("id").GetGuid();
        var home = (await (await staff.GetAsync($"/api/buildings/{buildingId}")).JsonAsync(HttpStatusCode.OK)).GetProperty("homes").EnumerateArray().First();
        return (estateId, buildingId, home.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Reports_sent_at_the_same_moment_all_get_an_order_each_with_numbers_of_their_own()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var category = await CategoryAsync(resident, "环境卫生");
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            resident.PostAsJsonAsync("/api/work-orders", new { categoryId = category, description = $"楼道堆放杂物 {i}", place = new { text = "3号楼北侧" } })));
        var numbers = new List<string>();
        foreach (var a in answers) numbers.Add((await a.JsonAsync(HttpStatusCode.Created)).GetProperty("number").GetString()!);
        numbers.Distinct().Count().ShouldBe(20);
        var day = numbers[0].Substring(0, 6);
        numbers.ShouldAllBe(n => n.Length == 10 && n.StartsWith(day));
    }

    [Fact]
    public async Task A_number_another_app_process_has_taken_is_skipped()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var category = await CategoryAsync(staff, "政策咨询");
        async Task<string> ReportAsync() => (await (await staff.PostAsJsonAsync("/api/work-orders",
            new { categoryId = category, description = "咨询高龄津贴", place = new { text = "社区办公室" }, channel = "Phone" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("number").GetString()!;
        var first = await ReportAsync();
        var next = first[..6] + (int.Parse(first[6..], CultureInfo.InvariantCulture) + 1).ToString("0000", CultureInfo.InvariantCulture);

        await OtherProcess.GivesNumberAsync(app, next, sameAs: first);

        var after = await ReportAsync();
        after.ShouldBe(first[..6] + (int.Parse(first[6..], CultureInfo.InvariantCulture) + 2).ToString("0000", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_answer_to_a_report_is_the_order_as_reading_it_shows()
    {
        var staff = await app.ApiAsAsync(Clients.Staff);
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var (estate, building, home) = await PlaceAsync(staff);
        var cases = new (HttpClient Client, object Body)[]
        {
            (resident, new { categoryId = await CategoryAsync(resident, "漏水"), description = "楼上漏水", place = new { homeId = home } }),
            (resident, new { categoryId = await CategoryAsync(resident, "环境卫生"), description = "楼道小广告", place = new { buildingId = building, entranceNumber = 1 } }),
            (staff, new { categoryId = await CategoryAsync(staff, "路灯"), description = "路灯不亮", place = new { estateId = estate, text = "东门口" }, channel = "Phone" }),
            (staff, new { categoryId = await CategoryAsync(staff, "安全隐患"), description = "飞线充电", place = new { buildingId = building }, channel = "Visit" }),
            (resident, new { categoryId = await CategoryAsync(resident, "政策咨询"), description = "医保卡补办", place = new { text = "菜市场门口" } }),
        };
        foreach (var (client, body) in cases)
        {
            var created = await (await client.PostAsJsonAsync("/api/work-orders", body)).JsonAsync(HttpStatusCode.Created);
            var read = await (await client.GetAsync($"/api/work-orders/{created.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
            foreach (var field in new[] { "number", "category", "place", "status", "channel", "handlerName", "createdAt", "resolutionDueAt" })
                created.GetProperty(field).ToString().ShouldBe(read.GetProperty(field).ToString(), field);
            created.GetProperty("allowedSteps").ToString().ShouldBe(read.GetProperty("allowedSteps").ToString());
            created.GetProperty("timeline").GetArrayLength().ShouldBe(read.GetProperty("timeline").GetArrayLength());
            created.GetProperty("photos").GetArrayLength().ShouldBe(0);
        }
        var leak = await (await resident.PostAsJsonAsync("/api/work-orders", cases[0].Body)).JsonAsync(HttpStatusCode.Created);
        leak.GetProperty("category").GetString().ShouldBe("水电维修 › 漏水");
        leak.GetProperty("place").GetString()!.ShouldStartWith("融创裕华壹号 ");
    }

    [Fact]
    public async Task A_category_of_another_community_is_refused_as_before()
    {
        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        var foreign = await CategoryAsync(other, "环境卫生");
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        await (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = foreign, description = "楼道杂物", place = new { text = "3号楼" } }))
            .ShouldBeFieldErrorAsync("CategoryId");
    }

    [Fact]
    public async Task The_bench_ceiling_does_not_exist_without_its_switch()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        (await resident.GetAsync(BenchCeiling.Path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // A POST is answered as for any path the app never mapped (the static-assets catch-all makes that 405, GET only).
        var post = await resident.PostAsJsonAsync(BenchCeiling.Path, new { description = "x" });
        var never = await resident.PostAsJsonAsync("/api/never-mapped/anything", new { description = "x" });
        post.StatusCode.ShouldBe(never.StatusCode);
        post.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task With_its_switch_the_bench_ceiling_inserts_one_row_for_a_signed_in_caller_only()
    {
        await using var bench = app.WithWebHostBuilder(b => b.UseSetting("Bench:Ceiling", "true"));
        using (var scope = bench.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await bench.Services.GetRequiredService<StartupGate>().Ready;
            await db.Database.ExecuteSqlRawAsync(BenchCeiling.CreateTableSql);
        }
        var resident = await bench.ApiAsAsync(Clients.Resident, totpKey: null);
        var created = await (await resident.PostAsJsonAsync(BenchCeiling.Path, new { description = "楼道灯坏了" })).JsonAsync(HttpStatusCode.Created);
        created.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
        (await bench.CreateClient().PostAsJsonAsync(BenchCeiling.Path, new { description = "x" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using (var scope = bench.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Database.SqlQueryRaw<int>($"SELECT CAST(count(*) AS integer) AS \"Value\" FROM {BenchCeiling.Table}").SingleAsync()).ShouldBe(1);
        }
    }
    [Fact]
    public async Task Reports_saved_together_each_keep_their_first_step_and_the_offices_notifications()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var category = await CategoryAsync(resident, "公共设施");
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            resident.PostAsJsonAsync("/api/work-orders", new { categoryId = category, description = $"单元门闭门器坏了 {i}", place = new { text = "5号楼" } })));
        var ids = new List<Guid>();
        foreach (var a in answers) ids.Add((await a.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());

        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var orders = await db.WorkOrders.AsNoTracking().Include(o => o.Events).Where(o => ids.Contains(o.Id)).ToListAsync();
        orders.Count.ShouldBe(24);
        orders.ShouldAllBe(o => o.Events.Count == 1 && o.Events[0].Step == Step.Submitted);
        // Each report told the whole office, once per person, as a report saved on its own does.
        var links = ids.Select(id => $"/console/orders/{id}").ToList();
        var told = await db.Notifications.AsNoTracking().Where(n => links.Contains(n.Link)).GroupBy(n => n.Link)
            .Select(g => new { Link = g.Key, People = g.Select(n => n.RecipientId).Distinct().Count(), Rows = g.Count() }).ToListAsync();
        told.Count.ShouldBe(24);
        told.Select(x => x.People).Distinct().Count().ShouldBe(1);
        told.ShouldAllBe(x => x.Rows == x.People && x.People >= 2);
    }

    [Fact]
    public async Task In_a_batch_the_database_refuses_only_the_reports_at_fault_fail_and_the_others_are_saved_with_their_notifications()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var category = await CategoryAsync(resident, "环境卫生");
        var taken = (await (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = category, description = "垃圾桶满了", place = new { text = "1号楼" } }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("number").GetString()!;

        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var c = await db.WorkOrderCategories.AsNoTracking().FirstAsync(x => x.Id == category);
        var me = await db.Users.Where(u => u.PhoneNumber == Clients.Staff).Select(u => u.Id).FirstAsync();
        WorkOrder Order(string number, WorkOrderCategory? of = null) => WorkOrder.Create(c.CommunityId, number, Channel.Phone, of ?? c, "批量保存测试",
            new Place(null, null, null, null, "社区办公室"), null, null, Actor.System, DateTime.UtcNow);
        InsertBatcher.Pending Unit(WorkOrder o) =>
            new([o, new Linli.Web.Features.Notifications.Notification(o.CommunityId, me, "notify.step", [o.Number, "@workorders.step_name.Submitted"], $"/console/orders/{o.Id}", o.CreatedAt)]);
        var good1 = Order("99" + Guid.NewGuid().ToString("N")[..8]);
        var clash = Order(taken); // the number another order already has: the unique index refuses it
        var unsaved = WorkOrderCategory.Defaults(c.CommunityId).First(); // a category that is not in the database: the foreign key refuses it
        var noCategory = Order("96" + Guid.NewGuid().ToString("N")[..8], unsaved);
        var good2 = Order("98" + Guid.NewGuid().ToString("N")[..8]);
        var batch = new[] { good1, clash, noCategory, good2 }.Select(Unit).ToList();

        await app.Services.GetRequiredService<InsertBatcher>().SaveAsync(batch);

        await batch[0].Done.Task;
        await batch[3].Done.Task;
        (await Should.ThrowAsync<Linli.Web.Infrastructure.Errors.DomainException>(batch[1].Done.Task)).TextKey.ShouldBe("error.duplicate");
        await Should.ThrowAsync<DbUpdateException>(batch[2].Done.Task);
        Guid[] all = [good1.Id, clash.Id, noCategory.Id, good2.Id];
        (await db.WorkOrders.AsNoTracking().Where(o => all.Contains(o.Id)).Select(o => o.Id).ToListAsync()).ShouldBe([good1.Id, good2.Id], ignoreOrder: true);
        // Nothing of the refused ones is left; the saved ones have their steps and their notification.
        (await db.WorkOrderEvents.CountAsync(e => e.WorkOrderId == clash.Id || e.WorkOrderId == noCategory.Id)).ShouldBe(0);
        (await db.WorkOrderEvents.CountAsync(e => e.WorkOrderId == good1.Id || e.WorkOrderId == good2.Id)).ShouldBe(4); // submitted and accepted, each
        var links = all.Select(id => $"/console/orders/{id}").ToList();
        (await db.Notifications.Where(n => links.Contains(n.Link)).Select(n => n.Link).ToListAsync())
            .ShouldBe([$"/console/orders/{good1.Id}", $"/console/orders/{good2.Id}"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_batch_that_fails_for_another_reason_fails_every_report_in_it_and_is_not_retried()
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var c = await db.WorkOrderCategories.AsNoTracking().FirstAsync();
        var good = WorkOrder.Create(c.CommunityId, "95" + Guid.NewGuid().ToString("N")[..8], Channel.Phone, c, "批量保存测试", new Place(null, null, null, null, "x"), null, null,
            Actor.System, DateTime.UtcNow);
        // Not a row the database refused: the outcome of such a failure is not known (a lost connection may follow a
        // commit), so saving the reports again could save one twice.
        var batch = new List<InsertBatcher.Pending> { new([good]), new([new object()]) };

        await app.Services.GetRequiredService<InsertBatcher>().SaveAsync(batch);

        await Should.ThrowAsync<InvalidOperationException>(batch[0].Done.Task);
        await Should.ThrowAsync<InvalidOperationException>(batch[1].Done.Task);
        (await db.WorkOrders.CountAsync(o => o.Id == good.Id)).ShouldBe(0);
        InsertBatcher.RefusedARow(new InvalidOperationException()).ShouldBeFalse();
    }

    [Fact]
    public async Task A_row_outside_the_callers_communities_is_refused_before_it_is_queued()
    {
        using var scope = app.Services.CreateScope();
        var tenant = scope.ServiceProvider.GetRequiredService<TenantScope>();
        tenant.UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var c = await db.WorkOrderCategories.AsNoTracking().FirstAsync();
        var order = WorkOrder.Create(c.CommunityId, "97" + Guid.NewGuid().ToString("N")[..8], Channel.Phone, c, "越权", new Place(null, null, null, null, "x"), null, null,
            Actor.System, DateTime.UtcNow);
        using var other = app.Services.CreateScope();
        var otherDb = other.ServiceProvider.GetRequiredService<AppDbContext>(); // an anonymous request's scope sees no community
        await Should.ThrowAsync<InvalidOperationException>(() => app.Services.GetRequiredService<InsertBatcher>().InsertAsync(otherDb, [order]));
        (await db.WorkOrders.CountAsync(o => o.Id == order.Id)).ShouldBe(0);
    }
}
