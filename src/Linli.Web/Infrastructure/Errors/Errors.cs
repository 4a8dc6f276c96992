namespace Linli.Web.Infrastructure.Errors;

/// <summary>
/// A business rule said no. Carries a text key (and its arguments) that the boundary localizes; becomes a 409
/// ProblemDetails (or the given status) for the API and a message beside the field on a page.
/// </summary>
public sealed class DomainException(string textKey, object[]? args = null, int status = StatusCodes.Status409Conflict, string? field = null)
    : Exception(textKey)
{
    public string TextKey { get; } = textKey;
    public object[] Args { get; } = args ?? [];
    public int Status { get; } = status;
    public string? Field { get; } = field;

    public static DomainException Invalid(string field, string textKey, params object[] args) =>
        new(textKey, args, StatusCodes.Status400BadRequest, field);
}

/// <summary>Input did not have the right shape. Field name → localized messages; becomes a 400 ValidationProblem.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors) : Exception("Validation failed")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The object does not exist, or the caller may not see it (we never tell the two apart): a 404.</summary>
public sealed class NotFoundException() : Exception("Not found");
