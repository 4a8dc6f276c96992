using System.Security.Claims;
using Linli.Tests.Support;
using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class TenancyTests(LinliFactory app)
{
    private async Task<Guid> CommunityIdAsync(string code)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Communities.Where(c => c.DivisionCode == code).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task Every_query_of_tenant_data_sees_only_the_callers_communities()
    {
        var sunshine = await CommunityIdAsync("130105013019");
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UsePrincipal(new ClaimsPrincipal(new ClaimsIdentity([new Claim(LinliClaims.Community, sunshine.ToString())], "test")));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Communities.Select(c => c.DivisionCode).ToListAsync()).ShouldBe(["130105013019"]);
        (await db.Estates.AnyAsync()).ShouldBeTrue();
        (await db.Estates.AllAsync(e => e.CommunityId == sunshine)).ShouldBeTrue();
        (await db.Homes.AllAsync(h => h.CommunityId == sunshine)).ShouldBeTrue();
        (await db.Buildings.CountAsync()).ShouldBeGreaterThanOrEqualTo(20);
    }

    [Fact]
    public async Task Nobody_sees_anything_by_default_and_a_write_outside_the_scope_is_refused()
    {
        var ronghua = await CommunityIdAsync("130108007024");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        (await db.Communities.AnyAsync()).ShouldBeFalse();
        (await db.Buildings.AnyAsync()).ShouldBeFalse();
        db.Estates.Add(new Estate(ronghua, "越权小区", null, null, DateTime.UtcNow));
        await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}
