using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.Residents;

/// <summary>How a resident lives in a home.</summary>
public enum Occupancy
{
    Owner = 1,
    Tenant = 2,
    FamilyMember = 3,
}

/// <summary>Relation to the head of household (与户主关系).</summary>
public enum RelationToHead
{
    Head = 1,
    Spouse = 2,
    Child = 3,
    Parent = 4,
    Grandchild = 5,
    Grandparent = 6,
    Sibling = 7,
    ChildInLaw = 8,
    Other = 9,
}

/// <summary>
/// A resident 居民. The ID number is stored only encrypted (<see cref="IdNumberCipher"/>) with a keyed hash for exact
/// lookup and a masked form for screens; birth date and gender come from it when it is given.
/// </summary>
public sealed class Resident : IReferenceData
{
    public const int NameMax = 50;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public string Name { get; private set; } = "";
    public Gender? Gender { get; private set; }
    public DateOnly? BirthDate { get; private set; }
    public string? IdNumberCipher { get; private set; }
    public string? IdNumberHash { get; private set; }
    public string? IdNumberMasked { get; private set; }
    public string? Phone { get; private set; }
    /// <summary>The last 4 digits of <see cref="Phone"/>, kept with it: the registry searches by them (indexed).</summary>
    public string? PhoneTail { get; private set; }
    public string? EmergencyContactName { get; private set; }
    public string? EmergencyContactPhone { get; private set; }
    /// <summary>能人: skills neighbours can call on (tailoring, haircut, appliance repair …), comma-separated.</summary>
    public string? Skills { get; private set; }
    public string? Notes { get; private set; }
    /// <summary>The resident's own account, when they use the portal: it sees this resident's household.</summary>
    public Guid? AccountId { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public List<Residence> Residences { get; private set; } = [];
    public List<ResidentTag> Tags { get; private set; } = [];

    private Resident() { }

    public Resident(Guid communityId, string name, DateTime now)
    {
        CommunityId = communityId;
        Name = name.Trim();
        CreatedAt = UpdatedAt = now;
    }

    public void Update(string name, Gender? gender, DateOnly? birthDate, string? phone, string? emergencyName, string? emergencyPhone,
        string? skills, string? notes, DateTime now)
    {
        Name = name.Trim();
        if (IdNumberCipher is null)
        {
            Gender = gender;
            BirthDate = birthDate;
        }
        SetPhone(phone);
        EmergencyContactName = Clean(emergencyName);
        EmergencyContactPhone = Clean(emergencyPhone);
        Skills = Clean(skills);
        Notes = Clean(notes);
        UpdatedAt = now;
    }

    /// <summary>Sets the ID number (already validated and encrypted); birth date and gender follow it.</summary>
    public void SetIdNumber(IdNumber id, string cipher, string hash)
    {
        IdNumberCipher = cipher;
        IdNumberHash = hash;
        IdNumberMasked = id.Masked;
        BirthDate = id.BirthDate;
        Gender = id.Gender;
    }

    public void LinkAccount(Guid? accountId) => AccountId = accountId;

    /// <summary>What the resident corrects on the own page: phone and emergency contact.</summary>
    public void CorrectContact(string? phone, string? emergencyName, string? emergencyPhone, DateTime now)
    {
        SetPhone(phone);
        EmergencyContactName = Clean(emergencyName);
        EmergencyContactPhone = Clean(emergencyPhone);
        UpdatedAt = now;
    }

    /// <summary>PIPL: separate consent for a sensitive tag; a withdrawn consent hides it from all but the secretary.</summary>
    public void SetConsent(TagKind kind, bool consent)
    {
        var tag = Tags.FirstOrDefault(t => t.Kind == kind) ?? throw new NotFoundException();
        if (!tag.IsSensitive) throw new DomainException("residents.consent_not_sensitive");
        tag.SetConsent(consent);
    }

    public int? AgeOn(DateOnly today) => BirthDate is { } b ? ChinaTime.AgeOn(b, today) : null;

    /// <summary>Where the resident lives now (the open residence), if anywhere.</summary>
    public Residence? Current => Residences.Where(r => r.To is null).OrderByDescending(r => r.From).FirstOrDefault();

    /// <summary>Moves into a home (closing the current residence the day before), keeping the history.</summary>
    public Residence MoveTo(Home home, Occupancy occupancy, RelationToHead relation, DateOnly from)
    {
        if (home.CommunityId != CommunityId) throw new NotFoundException();
        if (home.IsRetired) throw new DomainException("residents.home_retired");
        var current = Current;
        if (current is not null)
        {
            if (from < current.From) throw DomainException.Invalid("From", "residents.move_before_current");
            current.End(from);
        }
        var residence = new Residence(this, home, occupancy, relation, from);
        Residences.Add(residence);
        return residence;
    }

    public void MoveOut(DateOnly on)
    {
        var current = Current ?? throw new DomainException("residents.not_living_anywhere");
        if (on < current.From) throw DomainException.Invalid("On", "residents.move_before_current");
        current.End(on);
    }

    /// <summary>Replaces the tags (custom ones by name); duplicates collapse.</summary>
    public void SetTags(IEnumerable<TagKind> kinds, IEnumerable<string> customNames)
    {
        var wanted = kinds.Where(k => k != TagKind.Custom).Distinct().ToHashSet();
        var custom = customNames.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToHashSet();
        if (custom.Any(n => n.Length > ResidentTag.NameMax)) throw DomainException.Invalid("CustomTags", "residents.tag_too_long", ResidentTag.NameMax);
        Tags.RemoveAll(t => t.Kind == TagKind.Custom ? !custom.Contains(t.CustomName!) : !wanted.Contains(t.Kind));
        foreach (var k in wanted.Where(k => Tags.All(t => t.Kind != k))) Tags.Add(new ResidentTag(this, k, null));
        foreach (var n in custom.Where(n => Tags.All(t => t.CustomName != n))) Tags.Add(new ResidentTag(this, TagKind.Custom, n));
    }

    private void SetPhone(string? phone)
    {
        Phone = Clean(phone);
        PhoneTail = Phone is { Length: >= 4 } p ? p[^4..] : null;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>A resident living in a home, from a date to a date (open while they live there): the move history.</summary>
public sealed class Residence : ICommunityOwned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid ResidentId { get; private set; }
    public Guid HomeId { get; private set; }
    public Occupancy Occupancy { get; private set; }
    public RelationToHead Relation { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly? To { get; private set; }

    private Residence() { }

    internal Residence(Resident resident, Home home, Occupancy occupancy, RelationToHead relation, DateOnly from)
    {
        CommunityId = resident.CommunityId;
        ResidentId = resident.Id;
        HomeId = home.Id;
        Occupancy = occupancy;
        Relation = relation;
        From = from;
    }

    internal void End(DateOnly on) => To = on;
}

public sealed class ResidentConfiguration : IEntityTypeConfiguration<Resident>
{
    public void Configure(EntityTypeBuilder<Resident> b)
    {
        b.Property(x => x.Name).HasMaxLength(Resident.NameMax);
        b.Property(x => x.IdNumberCipher).HasMaxLength(200).IsUnicode(false);
        b.Property(x => x.IdNumberHash).HasMaxLength(64).IsUnicode(false);
        b.Property(x => x.IdNumberMasked).HasMaxLength(18).IsUnicode(false);
        b.Property(x => x.Phone).HasMaxLength(11).IsUnicode(false);
        b.Property(x => x.PhoneTail).HasMaxLength(4).IsUnicode(false);
        b.Property(x => x.EmergencyContactName).HasMaxLength(50);
        b.Property(x => x.EmergencyContactPhone).HasMaxLength(11).IsUnicode(false);
        b.Property(x => x.Skills).HasMaxLength(200);
        b.Property(x => x.Notes).HasMaxLength(1000);
        b.HasIndex(x => new { x.CommunityId, x.IdNumberHash }).IsUnique();
        // Every registry search runs inside one community. With Id in the index, the name search ("any part of the
        // name": LIKE '%秀兰%') and the list's ORDER BY Name, Id read only the index (see docs/decisions/0005).
        b.HasIndex(x => new { x.CommunityId, x.Name, x.Id });
        b.HasIndex(x => new { x.CommunityId, x.PhoneTail });
        b.HasIndex(x => x.AccountId);
        b.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Residences).WithOne().HasForeignKey(r => r.ResidentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Tags).WithOne().HasForeignKey(t => t.ResidentId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(x => x.Current);
    }
}

public sealed class ResidenceConfiguration : IEntityTypeConfiguration<Residence>
{
    public void Configure(EntityTypeBuilder<Residence> b)
    {
        // Covering both ways: who lives in these homes now (address and grid searches), and where these people live now.
        b.HasIndex(x => new { x.CommunityId, x.HomeId, x.To, x.ResidentId });
        b.HasIndex(x => new { x.CommunityId, x.ResidentId, x.To, x.HomeId });
        b.HasOne<Home>().WithMany().HasForeignKey(x => x.HomeId).OnDelete(DeleteBehavior.Restrict);
    }
}
