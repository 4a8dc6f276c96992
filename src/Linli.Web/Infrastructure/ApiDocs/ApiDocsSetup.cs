using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linli.Web.Infrastructure.ApiDocs;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (and the reference page on it): generated from the endpoints, with
/// what can be derived from their metadata added by <see cref="OperationFacts"/> and <see cref="DocumentFacts"/>.
/// Checked by Redocly CLI's recommended rules in the test command (tools/openapi-lint).
/// </summary>
public static class ApiDocsSetup
{
    public static IServiceCollection AddLinliApiDocs(this IServiceCollection services)
    {
        services.AddSingleton<SecuritySchemes>();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<DocumentFacts>();
            o.AddOperationTransformer<OperationFacts>();
            o.AddSchemaTransformer(ValuesAsStringsAsync);
        });
        return services;
    }

    /// <summary>
    /// Enums travel as their names (JsonStringEnumConverter), so their schemas are string enums; a string property
    /// marked <see cref="ValuesFromAttribute"/> lists the values the code accepts.
    /// </summary>
    private static Task ValuesAsStringsAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum && schema.Enum is { Count: > 0 } names)
        {
            // The shared component of an enum is its names; where a property may be null, its use says so (oneOf null).
            schema.Type = JsonSchemaType.String;
            schema.Enum = names.Where(n => n is not null).ToList();
        }
        else if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ValuesFromAttribute), true) is [ValuesFromAttribute values, ..])
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = values.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        }
        return Task.CompletedTask;
    }
}
