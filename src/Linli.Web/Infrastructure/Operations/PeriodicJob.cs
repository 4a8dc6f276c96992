namespace Linli.Web.Infrastructure.Operations;

/// <summary>
/// The one loop of Linli's periodic background work: it waits for the start-up gate, then runs <see cref="RunAsync"/> in a
/// fresh scope every <see cref="Interval"/>. A run that fails is logged with its exception and the next run comes as
/// usual; stopping the app ends the loop. Every process of a deployment runs its jobs, so a job must be safe to run twice.
/// </summary>
public abstract class PeriodicJob(IServiceScopeFactory scopes, TimeProvider time, StartupGate gate, ILogger log) : BackgroundService
{
    /// <summary>The app's clock (tests move it).</summary>
    protected TimeProvider Clock => time;

    /// <summary>How long to wait after a run before the next one.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One run, in its own scope.</summary>
    protected abstract Task RunAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            return; // preparing the database failed: the app is stopping anyway
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "{Job} failed; it runs again in {Interval}", GetType().Name, Interval);
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
