using System.Text.RegularExpressions;
using Linli.Web.Infrastructure.Localization;

namespace Linli.Web.Infrastructure.Errors;

/// <summary>
/// Collects field errors with localized messages. The same validator serves the page (errors go beside the
/// field) and the API (errors go into a 400 ValidationProblem), so a rule is written once.
/// </summary>
public sealed partial class InputValidator(Texts t)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public InputValidator Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public InputValidator Text(string field, string? value, string label, int max, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, t["validation.required", t[label]]);
        }
        else if (value.Trim().Length > max)
        {
            Add(field, t["validation.too_long", t[label], max]);
        }
        return this;
    }

    public InputValidator Range(string field, int value, string label, int min, int max)
    {
        if (value < min || value > max) Add(field, t["validation.range", t[label], min, max]);
        return this;
    }

    public InputValidator Mobile(string field, string? value, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, t["validation.required", t["field.mobile"]]);
        }
        else if (!IsMobile(value.Trim()))
        {
            Add(field, t["validation.mobile"]);
        }
        return this;
    }

    public void ThrowIfInvalid()
    {
        if (HasErrors) throw new ValidationFailedException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    /// <summary>Mainland mobile number: 11 digits starting 13–19.</summary>
    public static bool IsMobile(string? value) => value is not null && MobileRegex().IsMatch(value);

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobileRegex();
}
