using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Linli.Web.Infrastructure.ApiDocs;

/// <summary>
/// What an operation's description can take from the endpoint's own metadata, derived once here so that no endpoint
/// repeats it by hand (or forgets it):
/// <list type="bullet">
/// <item>authorization → 401, the security requirement (bearer, or the cookie — with the antiforgery header where the
/// endpoint asks cookie callers for it); a policy beyond "signed in", or a path that stops staff without TOTP → 403;
/// anonymous endpoints get an empty requirement;</item>
/// <item>a route id (a Guid) → 404; a request body, or a parameter that may fail to bind → 400 (and 415 for a body of
/// another content type); <see cref="UploadLimitAttribute"/> → 413;</item>
/// <item>every 4xx, derived or declared on the endpoint (<c>ProducesProblem</c>, typed results), is
/// <c>application/problem+json</c> with the ProblemDetails schema (400: the validation problem, <c>errors</c> by field);</item>
/// <item>request examples and parameter values from <see cref="RequestExampleMetadata"/> and
/// <see cref="ParameterValuesMetadata"/>.</item>
/// </list>
/// What cannot be derived stays on the endpoint: the summary, the operationId (<c>WithName</c>), a 409 or 404 that
/// depends on what the handler does.
/// </summary>
public sealed class OperationFacts(IAuthorizationPolicyProvider policies, SecuritySchemes schemes, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : IOpenApiOperationTransformer
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    public const string AntiforgeryScheme = "antiforgery";

    private readonly JsonSerializerOptions _exampleJson = new(json.Value.SerializerOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs inside a document.");
        var path = new PathString("/" + (description.RelativePath ?? "").TrimStart('/'));
        var statuses = new SortedSet<int>();

        // Who may call it.
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policy = anonymous ? null
            : await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>().ToList(), metadata.OfType<AuthorizationPolicy>().ToList());
        var antiforgery = metadata.OfType<AntiforgeryForCookiesMetadata>().Any();
        if (policy is null)
        {
            operation.Security = [new OpenApiSecurityRequirement()];
        }
        else
        {
            schemes.Ensure(document);
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                antiforgery
                    ? new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [],
                        [new OpenApiSecuritySchemeReference(AntiforgeryScheme, document)] = [],
                    }
                    : new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] },
            ];
            statuses.Add(StatusCodes.Status401Unauthorized);
            if (policy.Requirements.Any(r => r is not DenyAnonymousAuthorizationRequirement) || AuthSetup.EnrolmentGuards(path))
                statuses.Add(StatusCodes.Status403Forbidden);
        }

        // What the request carries.
        var parameters = description.ParameterDescriptions;
        if (parameters.Any(p => p.Source == BindingSource.Path && Underlying(p.Type) == typeof(Guid)))
            statuses.Add(StatusCodes.Status404NotFound);
        if (operation.RequestBody is not null)
        {
            statuses.Add(StatusCodes.Status400BadRequest);
            statuses.Add(StatusCodes.Status415UnsupportedMediaType);
        }
        if (antiforgery || parameters.Any(MayFailToBind)) statuses.Add(StatusCodes.Status400BadRequest);
        if (metadata.OfType<UploadLimitAttribute>().Any()) statuses.Add(StatusCodes.Status413PayloadTooLarge);

        operation.Responses ??= [];
        foreach (var declared in operation.Responses.Keys.Where(k => k.Length == 3 && k[0] == '4').ToList())
            statuses.Add(int.Parse(declared, System.Globalization.CultureInfo.InvariantCulture));
        var reasons = metadata.OfType<ProblemReasonMetadata>().ToDictionary(r => r.Status, r => r.Description);
        statuses.UnionWith(reasons.Keys);
        foreach (var status in statuses)
        {
            var text = reasons.GetValueOrDefault(status) ?? ProblemTexts.Describe(status);
            if (status == StatusCodes.Status400BadRequest && antiforgery) text += " " + ProblemTexts.Antiforgery;
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = await ProblemAsync(status, text, context, cancellationToken);
        }

        ApplyParameterValues(operation, metadata);
        ApplyExamples(operation, metadata);
        if (metadata.OfType<FileResponseMetadata>().LastOrDefault() is { } file)
        {
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "The file.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [file.ContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };
        }
    }

    /// <summary>A path parameter with a route constraint fails to match (404), a string always binds; anything else may be a 400.</summary>
    private static bool MayFailToBind(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiParameterDescription p) =>
        (p.Source == BindingSource.Query || p.Source == BindingSource.Path || p.Source == BindingSource.Header)
        && Underlying(p.Type) != typeof(string)
        && !(p.Source == BindingSource.Path && p.RouteInfo?.Constraints?.Any() == true);

    private static Type? Underlying(Type? type) => type is null ? null : Nullable.GetUnderlyingType(type) ?? type;

    private static async Task<OpenApiResponse> ProblemAsync(int status, string text, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        var id = type.Name;
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(type, null, ct));
        return new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(id, document) },
            },
        };
    }

    private static void ApplyParameterValues(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var values in metadata.OfType<ParameterValuesMetadata>())
        {
            var parameter = operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => string.Equals(p.Name, values.Parameter, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"{operation.OperationId}: no parameter '{values.Parameter}' to list the values of.");
            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = values.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList() };
        }
    }

    private void ApplyExamples(OpenApiOperation operation, IList<object> metadata)
    {
        var examples = metadata.OfType<RequestExampleMetadata>().ToList();
        if (examples.Count == 0 || operation.RequestBody?.Content is not { } content) return;
        foreach (var media in content.Values)
        {
            if (examples is [{ Name: null } single])
            {
                media.Example = ToNode(single.Value);
                continue;
            }
            media.Examples = examples.ToDictionary(e => e.Name ?? "example", e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = ToNode(e.Value) });
        }
    }

    private JsonNode? ToNode(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), _exampleJson);
}

/// <summary>What each error status means in this API, the same for every operation that gives it.</summary>
public static class ProblemTexts
{
    public const string Antiforgery =
        "A caller signed in by cookie also gets 400 without a valid `RequestVerificationToken` header.";

    public static string Describe(int status) => status switch
    {
        400 => "The request is not valid. `errors` names each field with its messages (in the language of `Accept-Language`); a body or parameter that cannot be read at all has no `errors`.",
        401 => "Not signed in, or the session has ended: get a token from `POST /api/auth/token` (or renew it with `POST /api/auth/refresh`) and send `Authorization: Bearer <accessToken>`.",
        403 => "Signed in, but this account may not do this: a role or scope it lacks, a rule about who may act, or a staff account that has not enrolled two-factor sign-in yet.",
        404 => "Not found, or not visible to this account: what belongs to another community (or outside the caller's grids) is not told apart from what does not exist.",
        409 => "The request conflicts with the current state: a rule says no now (e.g. a step the flow does not allow in this status), it already exists, or someone changed the same thing at the same moment. `detail` says which; read the current state and try again.",
        413 => "The upload is larger than this operation accepts.",
        415 => "The body is not of a content type this operation accepts.",
        _ => "The request failed; `detail` says why.",
    };
}
