using Microsoft.AspNetCore.Http.Features;

namespace Linli.Web.Infrastructure.Web;

/// <summary>
/// The largest request an upload endpoint or page accepts. A request whose Content-Length says it is larger is
/// refused with 413 before a byte of its body is read; a body without a length is cut off at the limit by the server.
/// Either way the caller gets the friendly 413 (ProblemDetails for the API, the error page for pages).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class UploadLimitAttribute(long bytes) : Attribute
{
    /// <summary>Room for the multipart framing and the other form fields around the file.</summary>
    public const long FormOverhead = 64 * 1024;

    public long Bytes { get; } = bytes + FormOverhead;

    public static IApplicationBuilder Use(IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<UploadLimitAttribute>() is { } limit)
        {
            if (ctx.Request.ContentLength > limit.Bytes)
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit.Bytes;
        }
        return next(ctx);
    });
}
