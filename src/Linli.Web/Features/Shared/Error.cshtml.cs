using System.Diagnostics;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Web.Features.Shared;

/// <summary>The friendly error page: what went wrong in plain words and the way back. Never a stack trace.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(Texts t, ILogger<ErrorModel> log) : PageModel
{
    public int Status { get; private set; }
    public string Title { get; private set; } = "";
    public string Message { get; private set; } = "";
    public string? RequestId { get; private set; }
    public string HomeUrl => User.IsStaff() ? "/console" : "/";

    public void OnGet(int? code) => Build(code);

    public void OnPost(int? code) => Build(code);

    private void Build(int? code)
    {
        var exception = HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Error;
        Status = exception switch
        {
            NotFoundException => 404,
            DomainException d => d.Status,
            ValidationFailedException => 400,
            BadHttpRequestException b => b.StatusCode,
            null => code ?? 500,
            _ => 500,
        };
        if (exception is not null && Status >= 500)
        {
            RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
            log.LogError(exception, "Unhandled error on {Path}, reference {RequestId}", HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path, RequestId);
        }
        (Title, Message) = Status switch
        {
            404 => (t.Get("error.not_found_title"), t.Get("error.not_found")),
            403 => (t.Get("error.forbidden_title"), t.Get("error.forbidden")),
            401 => (t.Get("error.unauthorized_title"), t.Get("error.unauthorized")),
            413 => (t.Get("error.too_large_title"), t.Get("error.too_large")),
            400 or 415 => (t.Get("error.bad_request_title"), t.Get("error.bad_request")),
            409 when exception is DomainException d => (t.Get("error.conflict_title"), ApiExceptionHandler.Localize(d, t)),
            _ => (t.Get("error.server_title"), t.Get("error.server")),
        };
        Response.StatusCode = Status;
    }
}
