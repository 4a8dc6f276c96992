using Linli.Tests.Support;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class AuditLogTests(LinliFactory app)
{
    [Fact]
    public async Task The_audit_log_is_append_only_in_the_model_and_in_the_database()
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
        await log.WriteAsync("test.append_only", detail: "probe");
        var entry = await db.AuditEntries.OrderByDescending(a => a.Id).FirstAsync();

        db.AuditEntries.Remove(entry);
        await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();

        // Even SQL that goes around EF is refused by the database's triggers.
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\""));
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Detail\" = 'x'"));
        (await db.AuditEntries.AnyAsync(a => a.Id == entry.Id)).ShouldBeTrue();
    }

    [Fact]
    public async Task Role_grants_are_in_the_log_with_time_user_event_object_and_result()
    {
        var security = await app.ApiAsAsync(Clients.SecurityAdmin);
        var user = await (await security.PostAsync("/api/users", System.Net.Http.Json.JsonContent.Create(new { phone = Features.Users.UsersApiTests.NewPhone(), displayName = "被授权", password = "Welcome#2026", role = "Resident" })))
            .JsonAsync(System.Net.HttpStatusCode.Created);
        var id = user.GetProperty("user").GetProperty("id").GetString();
        (await security.PostAsync($"/api/users/{id}/roles", System.Net.Http.Json.JsonContent.Create(new { role = "Volunteer" }))).EnsureSuccessStatusCode();

        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        var rows = (await (await audit.GetAsync("/api/audit?event=user.role_granted&size=100")).JsonAsync(System.Net.HttpStatusCode.OK)).GetProperty("rows");
        var row = rows.EnumerateArray().First(r => r.GetProperty("objectId").GetString() == id);
        row.GetProperty("userName").GetString().ShouldBe("138****0009");
        row.GetProperty("detail").GetString().ShouldBe("role=Volunteer");
        row.GetProperty("succeeded").GetBoolean().ShouldBeTrue();
        row.GetProperty("at").GetDateTime().ShouldBeInRange(DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
    }
}
