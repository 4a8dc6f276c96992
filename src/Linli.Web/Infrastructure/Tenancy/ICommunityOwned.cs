namespace Linli.Web.Infrastructure.Tenancy;

/// <summary>
/// A row that belongs to one community (the tenant). Every such entity gets the tenant query filter, and its
/// indexes lead with <see cref="CommunityId"/>.
/// </summary>
public interface ICommunityOwned
{
    Guid CommunityId { get; }
}
