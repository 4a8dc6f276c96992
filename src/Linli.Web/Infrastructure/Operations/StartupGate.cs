using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Linli.Web.Infrastructure.Operations;

/// <summary>
/// The database is filled (roles, the bundled calendar, the demo on an empty database) while the web server starts,
/// not before it (the migrations run before: data-protection keys are read from the database as the server starts): the two take about the same time and this machine has two cores. Until it is done every request but
/// <c>/health/live</c> waits at the gate, so no page is ever served from a half-made database; <c>/health/ready</c>
/// says "unhealthy" meanwhile, background services await <see cref="Ready"/>, and if it fails the app stops with
/// exit code 1 instead of serving errors.
/// </summary>
public sealed class StartupGate(IHostApplicationLifetime lifetime, ILogger<StartupGate> log)
{
    private Task _ready = Task.CompletedTask;

    /// <summary>Completes when the database is ready; faults (and stops the app) when preparing it failed.</summary>
    public Task Ready => _ready;

    public void Start(Func<Task> prepare)
    {
        _ready = Task.Run(prepare);
        _ready.ContinueWith(t =>
        {
            log.LogCritical(t.Exception!.GetBaseException(), "Linli could not prepare its database and stops");
            lifetime.StopApplication();
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public static WebApplicationBuilder AddStartupGate(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StartupGate>();
        builder.Services.AddHealthChecks().AddCheck<ReadyCheck>("startup", tags: ["ready"]);
        return builder;
    }

    /// <summary>The first middleware: holds requests until the database is ready (a completed-task check afterwards).</summary>
    public static void Use(WebApplication app)
    {
        var gate = app.Services.GetRequiredService<StartupGate>();
        app.Use(async (ctx, next) =>
        {
            var ready = gate.Ready;
            if (!ready.IsCompletedSuccessfully && !ctx.Request.Path.StartsWithSegments("/health"))
            {
                try
                {
                    await ready.WaitAsync(ctx.RequestAborted);
                }
                catch (Exception) when (ready.IsFaulted)
                {
                    ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }
            }
            await next();
        });
    }

    private sealed class ReadyCheck(StartupGate gate) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(gate.Ready.IsCompletedSuccessfully ? HealthCheckResult.Healthy()
                : gate.Ready.IsFaulted ? HealthCheckResult.Unhealthy("preparing the database failed")
                : HealthCheckResult.Unhealthy("preparing the database"));
    }
}
