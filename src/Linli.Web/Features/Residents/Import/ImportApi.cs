using Linli.Web.Features.Residents;
using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Web.Features.Residents.Import;

/// <summary>The registry's Excel import over the JSON API; the console page calls the same <see cref="ResidentImporter"/>.</summary>
public static class ImportApi
{
    public static WebApplicationBuilder AddResidentImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new ImportJobs(builder.Configuration["Imports:Folder"]
            ?? Path.Combine(builder.Environment.ContentRootPath, "data", "imports")));
        builder.Services.AddScoped<ResidentImporter>();
        builder.Services.AddHostedService<ImportRunner>();
        return builder;
    }

    public static void MapImportApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/residents/imports").WithTags("Residents").RequireAuthorization(ResidentPolicies.ManageRegistry);
        api.MapGet("/template", TemplateAsync)
            .WithName("getImportTemplate").WithSummary("The Excel template of the registry import").ProducesFile(ImportSheet.ContentType);
        api.MapPost("/", UploadAsync).RequireAntiforgeryForCookies().WithMetadata(new UploadLimitAttribute(ResidentImporter.MaxBytes))
            .Accepts<ImportUploadForm>("multipart/form-data")
            .WithName("uploadImport").WithSummary("Upload a filled-in template: every row is checked, nothing is written yet")
            .WithDescription("The answer says how many rows are valid and lists the first problems (row, column, reason); "
                + "`POST /api/residents/imports/{id}/commit` then writes the valid rows in the background.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestExample(new ImportUploadForm { CommunityId = Guid.Parse("01a24295-dbcb-77e3-83ac-9bae9c9ebcba") });
        api.MapGet("/{id:guid}", (Guid id, ResidentImporter i) => TypedResults.Ok(ResidentImporter.View(i.Get(id))))
            .WithName("getImport").WithSummary("An import: its check and, once committed, its progress");
        api.MapPost("/{id:guid}/commit", (Guid id, ResidentImporter i) =>
        {
            i.Commit(id);
            return TypedResults.Accepted($"/api/residents/imports/{id}", ResidentImporter.View(i.Get(id)));
        }).WithName("commitImport").WithSummary("Write the valid rows in the background (409 when already committed or nothing is valid)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id:guid}/problems", ProblemsAsync)
            .WithName("getImportProblems").WithSummary("Every problem the check found, as a workbook (row, column, reason)").ProducesFile(ImportSheet.ContentType);
    }

    /// <summary>The upload's form, as the API document describes it (the handler reads the form itself).</summary>
    public sealed class ImportUploadForm
    {
        /// <summary>The filled-in template (.xlsx).</summary>
        public IFormFile File { get; set; } = null!;
        /// <summary>Needed only by someone who sees several communities.</summary>
        public Guid? CommunityId { get; set; }
    }

    public static async Task<FileContentHttpResult> TemplateAsync(Texts t, CancellationToken ct) =>
        TypedResults.File(await TemplateBytesAsync(t, ct), ImportSheet.ContentType, TemplateFileName);

    public const string TemplateFileName = "居民信息导入模板.xlsx";

    public static async Task<byte[]> TemplateBytesAsync(Texts t, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await ImportSheet.WriteTemplateAsync(buffer, t, ct);
        return buffer.ToArray();
    }

    /// <summary>multipart/form-data with the workbook in "file" (and "communityId" for someone who sees several).</summary>
    public static async Task<Created<ImportJobView>> UploadAsync(HttpContext ctx, ResidentImporter importer, CurrentCommunity console, CancellationToken ct)
    {
        var form = await ReadFormAsync(ctx);
        Guid? communityId = Guid.TryParse(form["communityId"], out var c) ? c : null;
        var job = await importer.UploadAsync(await console.ResolveAsync(communityId), form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null), ctx.RequestAborted);
        return TypedResults.Created($"/api/residents/imports/{job.Id}", ResidentImporter.View(job));
    }

    /// <summary>Reads the form; anything that is not a form is a 400 naming the file.</summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType) throw DomainException.Invalid("File", "import.file_required");
        return await ctx.Request.ReadFormAsync(ctx.RequestAborted);
    }

    public static async Task<FileStreamHttpResult> ProblemsAsync(Guid id, ResidentImporter importer, HttpContext ctx, CancellationToken ct)
    {
        var (content, name) = await ProblemsFileAsync(id, importer, ctx.RequestAborted);
        ctx.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(content, ImportSheet.ContentType, name);
    }

    /// <summary>Every problem the check found, as a workbook (row, column, reason).</summary>
    public static async Task<(MemoryStream Content, string FileName)> ProblemsFileAsync(Guid id, ResidentImporter importer, CancellationToken ct)
    {
        var job = importer.Get(id);
        var buffer = new MemoryStream();
        await importer.WriteProblemsAsync(id, buffer, ct);
        buffer.Position = 0;
        return (buffer, $"import-problems-{job.Id.ToString("N")[..8]}.xlsx");
    }
}
