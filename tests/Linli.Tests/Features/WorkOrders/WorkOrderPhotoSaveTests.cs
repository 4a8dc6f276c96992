using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Media;
using Linli.Web.Infrastructure.Operations;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>
/// Reporting with photos and completing with photos, through the pages: the order (or the step) and its photos are one
/// save; when the database refuses that save, nothing is kept, the photo files written for it neither.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WorkOrderPhotoSaveTests(LinliFactory app)
{
    /// <summary>A database that refuses every save that adds a photo (as a lost connection or a full disk would).</summary>
    private sealed class RefusePhotos : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default) =>
            eventData.Context!.ChangeTracker.Entries<WorkOrderPhoto>().Any(e => e.State == EntityState.Added)
                ? throw new DbUpdateException("The database refused the save (test).")
                : base.SavingChangesAsync(eventData, result, ct);
    }

    /// <summary>Another process of the app on the same database and photo folder, whose database refuses photos.</summary>
    private async Task<WebApplicationFactory<Program>> RefusingAsync()
    {
        var refusing = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            if (LinliFactory.Provider == DatabaseProvider.Postgres) s.ConfigureDbContext<PostgresAppDbContext>((_, o) => o.AddInterceptors(new RefusePhotos()));
            else s.ConfigureDbContext<SqliteAppDbContext>((_, o) => o.AddInterceptors(new RefusePhotos()));
        }));
        await refusing.Services.GetRequiredService<StartupGate>().Ready;
        return refusing;
    }

    private int PhotoFiles()
    {
        var root = app.Services.GetRequiredService<PhotoStore>().Root;
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length : 0;
    }

    private async Task<T> Run<T>(Func<AppDbContext, Task<T>> read)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static async Task<HttpResponseMessage> PostWithPhotosAsync(HttpClient client, string url, string formPage, Dictionary<string, string> fields, int photos)
    {
        var form = new MultipartFormDataContent { { new StringContent(Clients.AntiforgeryToken(await client.GetStringAsync(formPage))), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        for (var i = 0; i < photos; i++) form.Add(new ByteArrayContent(WorkOrderPhotoTests.JpegWithGps()), "Photos", $"IMG_{i}.jpg");
        return await client.PostAsync(url, form);
    }

    private static async Task<Dictionary<string, string>> ReportFormAsync(HttpClient resident, string description)
    {
        var form = await resident.GetStringAsync("/orders/new");
        var category = Html.OptionValue(form, "管道堵塞");
        return new() { ["CategoryId"] = category, ["Description"] = description, ["AtHome"] = "true" };
    }

    [Fact]
    public async Task A_report_and_its_photos_are_saved_together_and_a_refused_save_keeps_neither_the_order_nor_the_files()
    {
        var files = PhotoFiles();
        await using (var refusing = await RefusingAsync())
        {
            var resident = await refusing.PagesAsAsync(Clients.Resident, totpKey: null);
            var refused = await PostWithPhotosAsync(resident, "/orders/new", "/orders/new", await ReportFormAsync(resident, "水池堵了（存不下）"), photos: 2);
            refused.StatusCode.ShouldNotBe(HttpStatusCode.Redirect);
        }
        (await Run(db => db.WorkOrders.CountAsync(o => o.Description == "水池堵了（存不下）"))).ShouldBe(0);
        PhotoFiles().ShouldBe(files);

        var me = await app.PagesAsAsync(Clients.Resident, totpKey: null);
        var reported = await PostWithPhotosAsync(me, "/orders/new", "/orders/new", await ReportFormAsync(me, "水池堵了（带两张照片）"), photos: 2);
        reported.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = Guid.Parse(reported.Headers.Location!.OriginalString.Split('/')[^1]);
        (await Run(db => db.WorkOrderPhotos.Where(p => p.WorkOrderId == id).Select(p => p.Stage).ToListAsync())).ShouldBe([PhotoStage.Before, PhotoStage.Before]);
        PhotoFiles().ShouldBe(files + 4); // each photo and its thumbnail
    }

    [Fact]
    public async Task Completing_with_photos_is_one_save_and_a_refused_save_leaves_the_order_taken_and_no_files()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var categories = await (await resident.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);
        var pipes = categories.EnumerateArray().First(c => c.GetProperty("name").GetString() == "管道堵塞").GetProperty("id").GetGuid();
        var id = (await (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = pipes, description = "下水道返味", place = new { text = "3号楼" } }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var staff = await app.ApiAsAsync(Clients.Staff);
        (await staff.PostAsJsonAsync($"/api/work-orders/{id}/accept", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await staff.PostAsJsonAsync($"/api/work-orders/{id}/dispatch", new { })).StatusCode.ShouldBe(HttpStatusCode.OK); // → 融创物业
        (await (await app.ApiAsAsync(WorkOrderFlowTests.PropertyStaff)).PostAsJsonAsync($"/api/work-orders/{id}/take", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var detail = $"/console/orders/{id}";
        var complete = new Dictionary<string, string> { ["Input.Result"] = "疏通了下水管" };
        var files = PhotoFiles();

        await using (var refusing = await RefusingAsync())
        {
            var property = await refusing.PagesAsAsync(WorkOrderFlowTests.PropertyStaff);
            (await PostWithPhotosAsync(property, $"{detail}?handler=Step&step=complete", detail, complete, photos: 1)).StatusCode.ShouldNotBe(HttpStatusCode.Redirect);
        }
        (await Run(db => db.WorkOrders.Where(o => o.Id == id).Select(o => o.Status).SingleAsync())).ShouldBe(WorkOrderStatus.Taken);
        (await Run(db => db.WorkOrderPhotos.CountAsync(p => p.WorkOrderId == id))).ShouldBe(0);
        PhotoFiles().ShouldBe(files);

        // Ten after-photos are refused before anything is written; nine go with the step.
        var pages = await app.PagesAsAsync(WorkOrderFlowTests.PropertyStaff);
        (await PostWithPhotosAsync(pages, $"{detail}?handler=Step&step=complete", detail, complete, photos: 10)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Run(db => db.WorkOrders.Where(o => o.Id == id).Select(o => o.Status).SingleAsync())).ShouldBe(WorkOrderStatus.Taken);
        var done = await PostWithPhotosAsync(pages, $"{detail}?handler=Step&step=complete", detail, complete, photos: 1);
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Run(db => db.WorkOrders.Where(o => o.Id == id).Select(o => o.Status).SingleAsync())).ShouldBe(WorkOrderStatus.Done);
        (await Run(db => db.WorkOrderPhotos.Where(p => p.WorkOrderId == id).Select(p => p.Stage).ToListAsync())).ShouldBe([PhotoStage.After]);
        PhotoFiles().ShouldBe(files + 2);
    }
}
