using System.Globalization;
using System.Text.Encodings.Web;
using Linli.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Antiforgery;

namespace Linli.Web.Features.Shared;

public static class UiHelpers
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.CreateCustomTimeZone("CST", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    /// <summary>Times are stored in UTC and shown in China Standard Time: 2026年11月22日 18:05 or 2026-11-22 18:05.</summary>
    public static string Local(DateTime utc, bool withTime = true)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), China);
        return Texts.IsEnglish
            ? local.ToString(withTime ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : local.ToString(withTime ? "yyyy年M月d日 HH:mm" : "yyyy年M月d日", CultureInfo.InvariantCulture);
    }

    public static string Date(DateOnly date) =>
        Texts.IsEnglish ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string RequestToken(HttpContext ctx) =>
        JavaScriptEncoder.Default.Encode(ctx.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(ctx).RequestToken ?? "");
}
