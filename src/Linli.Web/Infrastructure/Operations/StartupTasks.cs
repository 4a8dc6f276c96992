using Linli.Web.Infrastructure.Tenancy;

namespace Linli.Web.Infrastructure.Operations;

/// <summary>
/// What the platform or a module puts into the database at every start, once the migrations ran: roles, the bundled
/// working-day calendar, the demo on an empty database. Each must be idempotent. Run in <see cref="Order"/>, one scope
/// for all, as the system (no tenant filter).
/// </summary>
public interface IStartupTask
{
    /// <summary>Lower runs first: the platform's own tasks below 100, modules' from 100, the demo last (1000).</summary>
    int Order { get; }

    Task RunAsync(IServiceProvider services, CancellationToken ct);
}

public static class StartupTasks
{
    public static IServiceCollection AddStartupTask<T>(this IServiceCollection services) where T : class, IStartupTask =>
        services.AddSingleton<IStartupTask, T>();

    /// <summary>Runs every registered task (the start-up gate waits for it).</summary>
    public static async Task RunStartupTasksAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        sp.GetRequiredService<TenantScope>().UseSystem();
        foreach (var task in sp.GetServices<IStartupTask>().OrderBy(t => t.Order))
            await task.RunAsync(sp, ct);
    }
}
