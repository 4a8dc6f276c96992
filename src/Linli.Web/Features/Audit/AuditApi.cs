using Linli.Web.Infrastructure.ApiDocs;
using Linli.Web.Infrastructure.Auditing;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Time;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Audit;

public sealed class AuditFilter
{
    public string? Event { get; set; }
    public string? User { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public bool? Failed { get; set; }
    public int Page { get; set; } = 1;
    public int Size { get; set; } = 50;
}

public sealed record AuditRow(long Id, DateTime At, string? UserName, string Event, string? ObjectType, string? ObjectId, string? Detail, bool Succeeded, string? Ip);

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int Page, int Size, int Total);

/// <summary>Reading the audit log: only the audit administrator.</summary>
public sealed class AuditQuery(AppDbContext db)
{

    public async Task<AuditPage> SearchAsync(AuditFilter f, CancellationToken ct = default)
    {
        var size = f.Size is 20 or 50 or 100 ? f.Size : 50;
        var page = Math.Clamp(f.Page, 1, 100_000);
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Event)) q = q.Where(a => a.Event == f.Event);
        if (!string.IsNullOrWhiteSpace(f.User)) q = q.Where(a => a.UserName != null && a.UserName.EndsWith(f.User.Trim()));
        if (f.From is { } from) { var t = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - ChinaTime.Offset; q = q.Where(a => a.At >= t); }
        if (f.To is { } to) { var t = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - ChinaTime.Offset; q = q.Where(a => a.At < t); }
        if (f.Failed == true) q = q.Where(a => !a.Succeeded);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(a => a.Id).Skip((page - 1) * size).Take(size)
            .Select(a => new AuditRow(a.Id, a.At, a.UserName, a.Event, a.ObjectType, a.ObjectId, a.Detail, a.Succeeded, a.Ip)).ToListAsync(ct);
        return new AuditPage(rows, page, size, total);
    }
}

public static class AuditApi
{
    public static WebApplicationBuilder AddAuditLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddNav(new NavEntry(NavPlace.ConsoleMenu, "nav.audit", "/console/audit", AuditPolicies.ReadAudit, 920, "nav.security"));
        AuditPolicies.Add(builder.Services);
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
            o.Conventions.AuthorizeFolder("/Audit", AuditPolicies.ReadAudit));
        builder.Services.AddScoped<AuditQuery>();
        builder.Services.AddApiTag("Audit", "Reading the append-only audit log: sign-ins, account changes, revealed ID numbers, exports (the audit administrator only).");
        return builder;
    }

    public static void MapAuditApi(this WebApplication app) =>
        app.MapGet("/api/audit", SearchAsync).WithTags("Audit").RequireAuthorization(AuditPolicies.ReadAudit)
            .WithParameterValues("event", AuditEvents.All)
            .WithName("searchAuditLog").WithSummary("Search the audit log, newest first (page size 20, 50 or 100)");

    public static async Task<Ok<AuditPage>> SearchAsync([AsParameters] AuditFilterQuery f, AuditQuery q, CancellationToken ct) =>
        TypedResults.Ok(await q.SearchAsync(new AuditFilter { Event = f.Event, User = f.User, From = f.From, To = f.To, Failed = f.Failed, Page = f.Page ?? 1, Size = f.Size ?? 50 }, ct));

    public readonly record struct AuditFilterQuery(string? Event, string? User, DateOnly? From, DateOnly? To, bool? Failed, int? Page, int? Size);
}
