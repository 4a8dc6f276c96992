namespace Linli.Web.Infrastructure.Tenancy;

/// <summary>The tenant itself (a community): a user sees the tenants of the own scope (the query filter on its <see cref="Id"/>).</summary>
public interface ITenant
{
    Guid Id { get; }
}

/// <summary>The tenant as the shells show it: which community, by its official code and names.</summary>
public sealed record TenantCommunity(Guid Id, string DivisionCode, string Name, string ShortName, string SubdistrictCode);

/// <summary>Where the tenants' names come from (the module that keeps communities provides it).</summary>
public interface ITenantDirectory
{
    /// <summary>The communities of these ids that the caller may see, by division code.</summary>
    Task<IReadOnlyList<TenantCommunity>> ListAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default);
}
