using Linli.Web.Features.Residents;
using Linli.Web.Features.Residents.Import;
using Linli.Web.Features.Shared;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Web.Features.Residents.Console;

/// <summary>Excel import: upload → the check's problems → commit with a live progress bar. The API calls the same importer.</summary>
[Authorize(Policy = ResidentPolicies.ManageRegistry)]
[UploadLimit(ResidentImporter.MaxBytes)]
public sealed class ImportModel(CurrentCommunity console, ResidentImporter importer) : LinliPageModel
{
    public const int ProblemsShown = 200;

    [BindProperty(SupportsGet = true, Name = "job")] public Guid? JobId { get; set; }
    public ImportJobView? Job { get; private set; }

    public IActionResult OnGet()
    {
        if (JobId is { } id)
        {
            try { Job = ResidentImporter.View(importer.Get(id), ProblemsShown); }
            catch (NotFoundException) { ModelState.AddModelError("File", T.Get("import.not_found")); }
        }
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken ct)
    {
        var community = await console.CurrentAsync() ?? throw new NotFoundException();
        ImportJob? job = null;
        if (await TryAsync(async () => job = await importer.UploadAsync(community.Id, Request.Form.Files.GetFile("File"), HttpContext.RequestAborted)))
            return Redirect($"/console/residents/import?job={job!.Id}");
        return Page();
    }

    public IActionResult OnPostCommit()
    {
        if (JobId is not { } id) return RedirectToPage();
        try { importer.Commit(id); }
        catch (DomainException d) { return RedirectWithFlash($"/console/residents/import?job={id}", ApiExceptionHandler.Localize(d, T)); }
        return Redirect($"/console/residents/import?job={id}");
    }

    /// <summary>The progress fragment htmx polls every second while the commit runs.</summary>
    public IActionResult OnGetProgress()
    {
        Job = ResidentImporter.View(importer.Get(JobId ?? Guid.Empty), 0);
        Response.Headers.CacheControl = "no-store";
        return Partial("_ImportProgress", this);
    }

    public async Task<IActionResult> OnGetTemplateAsync(CancellationToken ct) =>
        File(await ImportApi.TemplateBytesAsync(T, HttpContext.RequestAborted), ImportSheet.ContentType, ImportApi.TemplateFileName);

    public async Task<IActionResult> OnGetProblemsAsync(CancellationToken ct)
    {
        var (content, name) = await ImportApi.ProblemsFileAsync(JobId ?? Guid.Empty, importer, HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        return File(content, ImportSheet.ContentType, name);
    }
}
