using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Linli.Web.Infrastructure.Operations;

public static class OperationsSetup
{
    public static WebApplicationBuilder AddLinliOperations(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("Logging:Json"))
        {
            builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = false);
        }
        return builder;
    }

    /// <summary>
    /// /health/live answers while the process runs; /health/ready also checks that the database answers.
    /// </summary>
    public static WebApplication MapLinliHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableHttpMetrics();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}
