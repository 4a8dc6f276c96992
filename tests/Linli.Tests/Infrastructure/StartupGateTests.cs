using System.Net;
using Linli.Web.Infrastructure.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Linli.Tests.Infrastructure;

public sealed class StartupGateTests
{
    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => _stopping.Cancel();
    }

    [Fact]
    public async Task A_database_that_cannot_be_prepared_stops_the_app()
    {
        var lifetime = new Lifetime();
        var gate = new StartupGate(lifetime, NullLogger<StartupGate>.Instance);
        gate.Start(() => throw new InvalidOperationException("no database"));
        await Should.ThrowAsync<InvalidOperationException>(() => gate.Ready);
        await Task.Delay(100);
        lifetime.ApplicationStopping.IsCancellationRequested.ShouldBeTrue();
    }

    [Fact]
    public async Task Requests_wait_at_the_gate_until_the_database_is_ready_and_ready_says_so()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        StartupGate.AddStartupGate(builder);
        await using var app = builder.Build();
        var release = new TaskCompletionSource();
        app.Services.GetRequiredService<StartupGate>().Start(() => release.Task);
        StartupGate.Use(app);
        app.MapGet("/page", () => "ok");
        app.MapHealthChecks("/health/ready");
        await app.StartAsync();
        var client = app.GetTestClient();

        var page = client.GetAsync("/page");
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        await Task.Delay(200);
        page.IsCompleted.ShouldBeFalse();

        release.SetResult();
        (await page).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await app.StopAsync();
    }
}
