using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Support;

/// <summary>What another process of the app, sharing the database, does meanwhile.</summary>
public static class OtherProcess
{
    /// <summary>
    /// Gives <paramref name="number"/> to an order of its own, of the community and category of the order numbered
    /// <paramref name="sameAs"/> (this process's in-memory counter does not know it).
    /// </summary>
    public static async Task GivesNumberAsync(LinliFactory app, string number, string sameAs)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var taken = await db.WorkOrders.AsNoTracking().FirstAsync(o => o.Number == sameAs);
        var c = await db.WorkOrderCategories.AsNoTracking().FirstAsync(x => x.Id == taken.CategoryId);
        db.WorkOrders.Add(WorkOrder.Create(taken.CommunityId, number, Channel.Phone, c, "另一台服务器登记的", new Place(null, null, null, null, "社区办公室"), null, null,
            Actor.System, DateTime.UtcNow));
        await db.SaveChangesAsync();
    }
}
