using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Caching;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.WorkOrders;

/// <summary>Where a routing rule applies.</summary>
public enum RulePlace
{
    /// <summary>Anywhere in the community.</summary>
    Any = 1,
    /// <summary>One named estate (e.g. 东华国樾府 → 东华物业).</summary>
    Estate = 2,
    /// <summary>Estates that have no property company (老旧小区, 无物业): the registry's estate has none named.</summary>
    EstateWithoutPropertyCompany = 3,
}

/// <summary>When a routing rule applies, by the community's working-day calendar and office hours.</summary>
public enum RuleTime
{
    Any = 1,
    /// <summary>A working day within office hours.</summary>
    OfficeHours = 2,
    /// <summary>Nights, weekends and holidays.</summary>
    OutsideOfficeHours = 3,
}

/// <summary>Who a routing rule sends the order to.</summary>
public enum RuleTarget
{
    /// <summary>A named handler: a staff member, grid member, property company, partner unit, team or craftsman.</summary>
    Handler = 1,
    /// <summary>Whoever is on duty (值班) at the moment, from the on-call list.</summary>
    OnCall = 2,
}

/// <summary>
/// A routing rule 派单规则: orders of a category (a top category covers its sub-categories) at a place and a time go
/// to a handler or to whoever is on call. Rules are tried in their order; the first that matches and has someone to
/// send to wins. A rule may dispatch at once, so a report at night reaches the person on duty without waiting for the
/// office to open.
/// </summary>
public sealed class RoutingRule : IReferenceData
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid CategoryId { get; private set; }
    public RulePlace Place { get; private set; }
    public Guid? EstateId { get; private set; }
    public RuleTime Time { get; private set; }
    public RuleTarget Target { get; private set; }
    public HandlerKind? HandlerKind { get; private set; }
    public Guid? HandlerId { get; private set; }
    public string? HandlerName { get; private set; }
    /// <summary>Accept and dispatch the order as soon as it is reported (by the system, on the timeline).</summary>
    public bool DispatchAtOnce { get; private set; }
    public int Position { get; private set; }

    private RoutingRule() { }

    public RoutingRule(WorkOrderCategory category, RulePlace place, Estate? estate, RuleTime time, RuleTarget target, Handler? handler, bool dispatchAtOnce, int position)
    {
        CommunityId = category.CommunityId;
        Position = position;
        Update(category, place, estate, time, target, handler, dispatchAtOnce);
    }

    public void Update(WorkOrderCategory category, RulePlace place, Estate? estate, RuleTime time, RuleTarget target, Handler? handler, bool dispatchAtOnce)
    {
        if (category.CommunityId != CommunityId || category.IsRetired) throw DomainException.Invalid("CategoryId", "workorders.category_unknown");
        if (!Enum.IsDefined(place)) throw DomainException.Invalid("Place", "routing.place_unknown");
        if (!Enum.IsDefined(time)) throw DomainException.Invalid("Time", "routing.time_unknown");
        if (!Enum.IsDefined(target)) throw DomainException.Invalid("Target", "routing.target_unknown");
        if (place == RulePlace.Estate && (estate is null || estate.CommunityId != CommunityId)) throw DomainException.Invalid("EstateId", "routing.estate_required");
        if (target == RuleTarget.Handler && handler is null) throw DomainException.Invalid("Handler", "workorders.handler_required");
        CategoryId = category.Id;
        Place = place;
        EstateId = place == RulePlace.Estate ? estate!.Id : null;
        Time = time;
        Target = target;
        HandlerKind = target == RuleTarget.Handler ? handler!.Kind : null;
        HandlerId = target == RuleTarget.Handler ? handler!.Id : null;
        HandlerName = target == RuleTarget.Handler ? handler!.Name : null;
        DispatchAtOnce = dispatchAtOnce;
    }

    public void MoveTo(int position) => Position = position;

    public Handler? Handler => HandlerKind is { } k && HandlerId is { } id ? new Handler(k, id, HandlerName ?? "") : null;

    /// <summary>Whether the rule covers an order of <paramref name="category"/> at the place, at a moment in or out of office hours.</summary>
    public bool Matches(WorkOrderCategory category, Guid? estateId, bool estateHasPropertyCompany, bool officeHours) =>
        (CategoryId == category.Id || CategoryId == category.ParentId)
        && Place switch
        {
            RulePlace.Estate => estateId == EstateId,
            RulePlace.EstateWithoutPropertyCompany => estateId is not null && !estateHasPropertyCompany,
            _ => true,
        }
        && Time switch
        {
            RuleTime.OfficeHours => officeHours,
            RuleTime.OutsideOfficeHours => !officeHours,
            _ => true,
        };
}

/// <summary>
/// 值班表: who is on duty for a day. A duty day runs from its office opening to the next day's, so the night belongs
/// to the day it began (a report at 02:00 on Sunday goes to Saturday's duty).
/// </summary>
public sealed class OnCallDuty : IReferenceData
{
    public const int NoteMax = 100;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public DateOnly Date { get; private set; }
    public HandlerKind Kind { get; private set; }
    public Guid UserId { get; private set; }
    public string Name { get; private set; } = "";
    public string? Note { get; private set; }

    private OnCallDuty() { }

    public OnCallDuty(Guid communityId, DateOnly date, Handler person, string? note)
    {
        CommunityId = communityId;
        Date = date;
        Assign(person, note);
    }

    public void Assign(Handler person, string? note)
    {
        if (person.Kind is not (WorkOrders.HandlerKind.Staff or WorkOrders.HandlerKind.GridMember)) throw DomainException.Invalid("UserId", "oncall.person_unknown");
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > NoteMax }) throw DomainException.Invalid("Note", "validation.too_long", "field.note", NoteMax);
        Kind = person.Kind;
        UserId = person.Id;
        Name = person.Name;
        Note = note;
    }

    public Handler Person => new(Kind, UserId, Name);
}

public sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> b)
    {
        b.Property(x => x.Place).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Time).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Target).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.HandlerKind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.HandlerName).HasMaxLength(Handler.NameMax);
        b.HasIndex(x => new { x.CommunityId, x.Position });
        b.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrderCategory>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Estate>().WithMany().HasForeignKey(x => x.EstateId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.Handler);
    }
}

public sealed class OnCallDutyConfiguration : IEntityTypeConfiguration<OnCallDuty>
{
    public void Configure(EntityTypeBuilder<OnCallDuty> b)
    {
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(Handler.NameMax);
        b.Property(x => x.Note).HasMaxLength(OnCallDuty.NoteMax);
        b.HasIndex(x => new { x.CommunityId, x.Date }).IsUnique();
        b.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.Person);
    }
}
