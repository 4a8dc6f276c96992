namespace Linli.Web.Infrastructure.ApiDocs;

/// <summary>
/// An example of the request body, serialized with the API's own JSON options (camelCase, enums by name), so it
/// always has the shape the endpoint binds. Several on one endpoint become named examples (e.g. one per step).
/// </summary>
public sealed record RequestExampleMetadata(object Value, string? Name = null, string? Summary = null);

/// <summary>The values a string path or query parameter takes (a step name, a role), listed as an enum in the document.</summary>
public sealed record ParameterValuesMetadata(string Parameter, IReadOnlyList<string> Values);

/// <summary>An error status the endpoint gives for a reason of its own, said in its words instead of the general ones.</summary>
public sealed record ProblemReasonMetadata(int Status, string Description);

/// <summary>The endpoint answers 200 with a file of this content type (a photo, a workbook), not JSON.</summary>
public sealed record FileResponseMetadata(string ContentType);

/// <summary>A tag of the API reference and what its operations are about; modules register theirs in their AddX().</summary>
public sealed record ApiTag(string Name, string Description);

public static class ApiDocsEndpointExtensions
{
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, object value) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExampleMetadata(value));

    /// <summary>One of several named examples of the request body (the reference shows a picker).</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, string name, string summary, object value) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExampleMetadata(value, name, summary));

    public static TBuilder WithRequestExamples<TBuilder, T>(this TBuilder builder, IEnumerable<(string Name, string Summary, T Value)> examples)
        where TBuilder : IEndpointConventionBuilder where T : notnull
    {
        foreach (var (name, summary, value) in examples) builder.WithMetadata(new RequestExampleMetadata(value, name, summary));
        return builder;
    }

    public static TBuilder WithParameterValues<TBuilder>(this TBuilder builder, string parameter, IReadOnlyList<string> values) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterValuesMetadata(parameter, values));

    /// <summary>Declares an error status (as ProblemDetails) with what it means for this endpoint.</summary>
    public static TBuilder ProducesProblemBecause<TBuilder>(this TBuilder builder, int status, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemReasonMetadata(status, description));

    public static TBuilder ProducesFile<TBuilder>(this TBuilder builder, string contentType) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FileResponseMetadata(contentType));

    /// <summary>Declares a tag of the API reference with its description (one line per module, in its AddX()).</summary>
    public static IServiceCollection AddApiTag(this IServiceCollection services, string name, string description) =>
        services.AddSingleton(new ApiTag(name, description));
}

/// <summary>
/// A string property of a request body that takes one of a fixed list of values (e.g. a role name). The list is read
/// from a static member, so the document shows exactly what the code accepts.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ValuesFromAttribute(Type type, string member) : Attribute
{
    public IReadOnlyList<string> Values { get; } =
        (type.GetField(member)?.GetValue(null) ?? type.GetProperty(member)?.GetValue(null)) as IReadOnlyList<string>
        ?? throw new ArgumentException($"{type.Name}.{member} is not a static list of strings.");
}
