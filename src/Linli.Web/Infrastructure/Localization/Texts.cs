using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Linli.Web.Infrastructure.Localization;

/// <summary>
/// Every text the user reads, one key per text, in two resource files: <c>zh-CN.json</c> (the default) and
/// <c>en.json</c>. A test fails when a key used in code is missing from either file.
/// </summary>
public sealed class Texts : IStringLocalizer
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public static readonly string[] Cultures = [Chinese, English];

    private static readonly Lazy<FrozenDictionary<string, FrozenDictionary<string, string>>> All = new(Load);

    public static IReadOnlyDictionary<string, string> For(string culture) => All.Value[culture];

    public static string CultureOf(CultureInfo ui) => ui.Name.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    public static bool IsEnglish => CultureOf(CultureInfo.CurrentUICulture) == English;

    public LocalizedString this[string name]
    {
        get
        {
            var found = All.Value[CultureOf(CultureInfo.CurrentUICulture)].TryGetValue(name, out var value);
            return new LocalizedString(name, value ?? name, resourceNotFound: !found);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var format = this[name];
            // Arguments that are text keys themselves (labels) are passed already localized by the caller.
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        All.Value[CultureOf(CultureInfo.CurrentUICulture)].Select(kv => new LocalizedString(kv.Key, kv.Value));

    /// <summary>Plain string, for code that is not a view.</summary>
    public string Get(string name, params object[] arguments) => arguments.Length == 0 ? this[name].Value : this[name, arguments].Value;

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Load()
    {
        var assembly = typeof(Texts).Assembly;
        var result = new Dictionary<string, FrozenDictionary<string, string>>();
        foreach (var culture in Cultures)
        {
            using var stream = assembly.GetManifestResourceStream($"Linli.Texts.{culture}.json")
                ?? throw new InvalidOperationException($"Missing text resource {culture}.json");
            var map = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                ?? throw new InvalidOperationException($"Empty text resource {culture}.json");
            result[culture] = map.ToFrozenDictionary(StringComparer.Ordinal);
        }
        return result.ToFrozenDictionary();
    }
}
