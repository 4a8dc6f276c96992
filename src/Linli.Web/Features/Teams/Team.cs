using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Teams;

public enum TeamKind
{
    /// <summary>志愿服务队.</summary>
    VolunteerTeam = 1,
    /// <summary>红色社区社会组织.</summary>
    CommunityOrganisation = 2,
}

/// <summary>
/// A volunteer team or community organisation. A simple record for now (work orders can be dispatched to it and its
/// members see those); the teams module grows it (members, sessions, hours, star levels).
/// </summary>
public sealed class Team : IReferenceData
{
    public const int NameMax = 60;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public TeamKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    public bool IsRetired { get; private set; }

    private Team() { }

    public Team(Guid communityId, TeamKind kind, string name)
    {
        name = name.Trim();
        if (name.Length == 0) throw DomainException.Invalid("Name", "validation.required", "field.name");
        if (name.Length > NameMax) throw DomainException.Invalid("Name", "validation.too_long", "field.name", NameMax);
        CommunityId = communityId;
        Kind = kind;
        Name = name;
    }
}

public sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.Property(x => x.Name).HasMaxLength(Team.NameMax);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(x => new { x.CommunityId, x.Name }).IsUnique();
        b.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
    }
}
