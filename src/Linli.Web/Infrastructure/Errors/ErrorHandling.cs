using Linli.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Infrastructure.Errors;

/// <summary>
/// Turns domain errors into ProblemDetails for the API (400/404/409, never a stack trace). Page requests fall
/// through to the friendly error page, which reads the same exception.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, Texts t, ILogger<ApiExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext ctx, Exception exception, CancellationToken ct)
    {
        // The middleware has already rewritten Request.Path to the error page; the original path is in the feature.
        var path = ctx.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? ctx.Request.Path;
        if (!path.StartsWith("/api", StringComparison.OrdinalIgnoreCase)) return false;
        var (status, problem) = ToProblem(exception, t);
        if (status >= 500) log.LogError(exception, "Unhandled error on {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
        ctx.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = ctx, ProblemDetails = problem, Exception = exception });
        return true;
    }

    public static (int Status, ProblemDetails Problem) ToProblem(Exception exception, Texts t) => exception switch
    {
        ValidationFailedException v => (400, new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = 400, Title = t.Get("error.validation_title"),
        }),
        DomainException { Field: not null } d => (d.Status, new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [d.Field] = [Localize(d, t)],
        })
        { Status = d.Status, Title = t.Get("error.validation_title"), Detail = Localize(d, t) }),
        DomainException d => (d.Status, new ProblemDetails { Status = d.Status, Title = t.Get("error.conflict_title"), Detail = Localize(d, t) }),
        NotFoundException => (404, new ProblemDetails { Status = 404, Title = t.Get("error.not_found_title"), Detail = t.Get("error.not_found") }),
        DbUpdateConcurrencyException => (409, new ProblemDetails { Status = 409, Title = t.Get("error.conflict_title"), Detail = t.Get("error.concurrency") }),
        BadHttpRequestException { StatusCode: 413 } => (413, new ProblemDetails { Status = 413, Title = t.Get("error.too_large_title"), Detail = t.Get("error.too_large") }),
        BadHttpRequestException b => (b.StatusCode, new ProblemDetails { Status = b.StatusCode, Title = t.Get("error.bad_request_title"), Detail = t.Get("error.bad_request") }),
        _ => (500, new ProblemDetails { Status = 500, Title = t.Get("error.server_title"), Detail = t.Get("error.server") }),
    };

    /// <summary>Domain errors carry text keys; arguments that are text keys themselves are localized too.</summary>
    public static string Localize(DomainException d, Texts t) =>
        t.Get(d.TextKey, d.Args.Select(a => a is string s && s.Contains('.') && !t[s].ResourceNotFound ? t.Get(s) : a).ToArray());
}
