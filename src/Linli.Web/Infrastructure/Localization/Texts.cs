using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Linli.Web.Infrastructure.Localization;

/// <summary>
/// Every text the user reads, one key per text. Each module keeps its own texts beside its code, in
/// <c>Texts/zh-CN.json</c> (the default) and <c>Texts/en.json</c>, embedded as <c>Linli.Texts/…</c> resources and merged
/// here at start; a key defined by two modules stops the start. Tests fail when a key used in code is missing from
/// either language, or when a key is used by no code.
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

    /// <summary>The embedded text files: module folder → culture → resource name.</summary>
    public static IEnumerable<(string Module, string Culture, string Resource)> Files()
    {
        foreach (var name in typeof(Texts).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            // Linli.Texts/Features/WorkOrders/Texts/zh-CN.json
            var parts = name[ResourcePrefix.Length..].Split('/');
            if (parts is [.., "Texts", var file] && file.EndsWith(".json", StringComparison.Ordinal))
                yield return (string.Join('/', parts[..^2]), file[..^".json".Length], name);
        }
    }

    private const string ResourcePrefix = "Linli.Texts/";

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Load()
    {
        var assembly = typeof(Texts).Assembly;
        var maps = Cultures.ToDictionary(c => c, _ => new Dictionary<string, string>(StringComparer.Ordinal));
        var owner = new Dictionary<(string, string), string>();
        foreach (var (module, culture, resource) in Files())
        {
            if (!maps.TryGetValue(culture, out var map)) throw new InvalidOperationException($"{resource}: unknown culture {culture}");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? throw new InvalidOperationException($"Empty text resource {resource}");
            foreach (var (key, value) in texts)
            {
                if (!map.TryAdd(key, value))
                    throw new InvalidOperationException($"The text key {key} is defined by both {owner[(culture, key)]} and {module}");
                owner[(culture, key)] = module;
            }
        }
        if (maps[Chinese].Count == 0) throw new InvalidOperationException("No text resources were embedded");
        return maps.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
