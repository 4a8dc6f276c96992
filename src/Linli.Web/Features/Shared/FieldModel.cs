namespace Linli.Web.Features.Shared;

/// <summary>One labelled form field with its hint and the error beside it (partial _Field).</summary>
public sealed record FieldModel(string Name, string Label, string? Value = null, string Type = "text", bool Required = false)
{
    public string? Hint { get; init; }
    public string? Autocomplete { get; init; }
    public string? InputMode { get; init; }
    public int? MaxLength { get; init; }
    public int? Min { get; init; }
    public int? Max { get; init; }
    public IReadOnlyList<(string Value, string Text)>? Options { get; init; }
}
