using System.Linq.Expressions;
using Linli.Web.Features.Calendar;
using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linli.Web.Features.WorkOrders;

/// <summary>How an order came in; every order shows it.</summary>
public enum Channel
{
    /// <summary>随手拍: the resident reports from the phone.</summary>
    ResidentApp = 1,
    /// <summary>Staff enter it for a resident who phoned.</summary>
    Phone = 2,
    /// <summary>Staff enter it for a resident who came by or was visited.</summary>
    Visit = 3,
    /// <summary>A grid member found it on patrol.</summary>
    GridPatrol = 4,
    /// <summary>Found on an inspection walk (走访找问题).</summary>
    InspectionWalk = 5,
}

public enum WorkOrderStatus
{
    Submitted = 1,
    Accepted = 2,
    Dispatched = 3,
    Taken = 4,
    InProgress = 5,
    /// <summary>Waiting for the resident: the clock stops.</summary>
    Paused = 6,
    Done = 7,
    /// <summary>The return visit is recorded (rating and comment).</summary>
    Visited = 8,
    Closed = 9,
}

/// <summary>Who handles an order. Units and teams are simple records now; the partner and team modules grow them.</summary>
public enum HandlerKind
{
    Staff = 1,
    GridMember = 2,
    PropertyCompany = 3,
    PartnerUnit = 4,
    Team = 5,
    /// <summary>A resident craftsman (能人) of the registry.</summary>
    Craftsman = 6,
}

/// <summary>A handler: an account (staff, grid member), a unit or team, or a resident craftsman; the name is kept as it was.</summary>
public sealed record Handler(HandlerKind Kind, Guid Id, string Name)
{
    public const int NameMax = 60;
}

/// <summary>One step of an order's timeline.</summary>
public enum Step
{
    Submitted = 1, Accepted, Dispatched, Transferred, Taken, Returned, Started, Paused, Resumed, ExtensionRequested, ExtensionApproved,
    ExtensionRefused, Completed, ReturnVisited, Closed, Reopened, Urged,
    // Written by the clock (WorkOrderClock), not by a person.
    ResponseWarned, ResolutionWarned, ResponseOverdue, ResolutionOverdue, EscalatedToCommunity, EscalatedToSubdistrict,
}

/// <summary>Who answers for an open order: the grid, the community, the subdistrict. A missed limit moves it one up.</summary>
public enum Tier { Grid = 1, Community = 2, Subdistrict = 3 }

/// <summary>
/// A work order 诉求工单: a problem reported by or for a resident, from report to return visit. The entity guards the
/// flow: a step the flow does not allow from the current status is a 409 and changes nothing. Every step goes on
/// the timeline with who, when and what.
/// </summary>
public sealed class WorkOrder : ICommunityOwned
{
    public const int DescriptionMax = 1000;
    public const int PlaceTextMax = 100;
    public const int NoteMax = 500;

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    /// <summary>The number residents and staff quote: yyMMdd and a sequence of the day, per community.</summary>
    public string Number { get; private set; } = "";
    public Channel Channel { get; private set; }
    public Guid CategoryId { get; private set; }
    public string Description { get; private set; } = "";
    public Guid? EstateId { get; private set; }
    public Guid? BuildingId { get; private set; }
    public int? EntranceNumber { get; private set; }
    public Guid? HomeId { get; private set; }
    /// <summary>Where, in the reporter's words, when it is not a home or building (e.g. "东门口的路灯").</summary>
    public string? PlaceText { get; private set; }
    /// <summary>
    /// The resident's account when they reported it themselves, or when staff entered it for a registry resident linked to an
    /// account (a phone call, a visit); only that account sees it in the portal.
    /// </summary>
    public Guid? ReporterAccountId { get; private set; }
    /// <summary>The resident in the registry, when known (staff picked them, or the account is linked).</summary>
    public Guid? ResidentId { get; private set; }
    public WorkOrderStatus Status { get; private set; }
    public WorkOrderStatus? StatusBeforePause { get; private set; }
    public HandlerKind? HandlerKind { get; private set; }
    public Guid? HandlerId { get; private set; }
    public string? HandlerName { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? AcceptedAt { get; private set; }
    public DateTime? DispatchedAt { get; private set; }
    public DateTime? TakenAt { get; private set; }
    public DateTime? DoneAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }
    /// <summary>Minutes from report to done (for the metrics' median; kept by <see cref="Complete"/>).</summary>
    public int? MinutesToDone { get; private set; }
    /// <summary>Taken within the response limit / done within the resolution limit (kept when they happen).</summary>
    public bool? RespondedOnTime { get; private set; }
    public bool? DoneOnTime { get; private set; }
    /// <summary>The top-level category, for the metrics by category without walking the tree.</summary>
    public Guid TopCategoryId { get; private set; }
    public DateTime ResponseDueAt { get; private set; }
    public DateTime ResolutionDueAt { get; private set; }
    public DateTime? PausedAt { get; private set; }
    public int? ExtensionHoursRequested { get; private set; }
    public string? Result { get; private set; }
    public int? Rating { get; private set; }
    public string? RatingComment { get; private set; }
    public int ReopenCount { get; private set; }
    public int UrgeCount { get; private set; }
    /// <summary>Another open order this one duplicates (the reporter or dispatcher linked it).</summary>
    public Guid? DuplicateOfId { get; private set; }
    /// <summary>The grid of the place when it was reported (metrics by grid; a grid-first order starts with the grid).</summary>
    public Guid? GridId { get; private set; }
    public Tier Tier { get; private set; }
    /// <summary>The category's limits as they were when reported: counted in working hours or clock hours, the warning lead.</summary>
    public bool LimitsInWorkingHours { get; private set; }
    public int ResolutionHours { get; private set; }
    public int WarningLeadHours { get; private set; }
    public DateTime ResponseWarnAt { get; private set; }
    public DateTime ResolutionWarnAt { get; private set; }
    public DateTime? ResponseWarnedAt { get; private set; }
    public DateTime? ResolutionWarnedAt { get; private set; }
    public DateTime? ResponseOverdueAt { get; private set; }
    public DateTime? ResolutionOverdueAt { get; private set; }
    public DateTime? EscalatedAt { get; private set; }
    /// <summary>When the clock must look at this order next (a warning, a limit); null when nothing is pending.</summary>
    public DateTime? NextCheckAt { get; private set; }
    /// <summary>Bumped by every change: two people acting on one order at once cannot both win.</summary>
    public int Version { get; private set; }
    public List<WorkOrderEvent> Events { get; private set; } = [];

    private WorkOrder() { }

    /// <summary>A new order. Staff and grid members' orders are accepted at once; a resident's waits for the community.</summary>
    public static WorkOrder Create(Guid communityId, string number, Channel channel, WorkOrderCategory category, string description, Place place,
        Guid? reporterAccountId, Guid? residentId, Actor by, DateTime now, WorkingTime? time = null, Guid? gridId = null)
    {
        if (category.CommunityId != communityId || category.IsRetired) throw DomainException.Invalid("CategoryId", "workorders.category_unknown");
        description = description.Trim();
        if (description.Length == 0) throw DomainException.Invalid("Description", "validation.required", "field.description");
        if (description.Length > DescriptionMax) throw DomainException.Invalid("Description", "validation.too_long", "field.description", DescriptionMax);
        var o = new WorkOrder
        {
            CommunityId = communityId,
            Number = number,
            Channel = channel,
            CategoryId = category.Id,
            TopCategoryId = category.ParentId ?? category.Id,
            Description = description,
            EstateId = place.EstateId,
            BuildingId = place.BuildingId,
            EntranceNumber = place.EntranceNumber,
            HomeId = place.HomeId,
            PlaceText = place.Text,
            ReporterAccountId = reporterAccountId,
            ResidentId = residentId,
            Status = WorkOrderStatus.Submitted,
            CreatedAt = now,
            GridId = gridId,
            Tier = gridId is not null && category.GridFirst ? Tier.Grid : Tier.Community,
            LimitsInWorkingHours = category.WorkingHours,
            ResolutionHours = category.ResolutionHours,
            WarningLeadHours = category.WarningLeadHours,
        };
        time ??= WorkingTime.Clock;
        o.ResponseDueAt = time.Add(now, category.ResponseHours, o.LimitsInWorkingHours);
        o.ResolutionDueAt = time.Add(now, category.ResolutionHours, o.LimitsInWorkingHours);
        o.PlanWarnings(time, now);
        o.Record(Step.Submitted, by, now, null);
        if (channel != Channel.ResidentApp) o.Accept(by, now);
        return o;
    }

    // ---------------------------------------------------------------- open and overdue: the one definition of each

    /// <summary>
    /// Open: not done yet (submitted, accepted, dispatched, taken, in progress or paused); done, visited and closed are
    /// finished. Queries filter with <see cref="Open"/> or <see cref="Finished"/>, memory asks <see cref="IsOpen"/> or
    /// <see cref="IsOpenStatus"/>. (The metrics count "done" by <see cref="DoneAt"/>, which <see cref="Complete"/> sets
    /// and <see cref="Reopen"/> clears, so it is set exactly when the order is not open; a flow test holds them together.)
    /// </summary>
    public static readonly IReadOnlyList<WorkOrderStatus> OpenStatuses =
        [WorkOrderStatus.Submitted, WorkOrderStatus.Accepted, WorkOrderStatus.Dispatched, WorkOrderStatus.Taken, WorkOrderStatus.InProgress, WorkOrderStatus.Paused];

    /// <summary>Done, visited or closed: every status that is not open.</summary>
    public static readonly IReadOnlyList<WorkOrderStatus> FinishedStatuses = Enum.GetValues<WorkOrderStatus>().Except(OpenStatuses).ToArray();

    public static readonly Expression<Func<WorkOrder, bool>> Open = o => OpenStatuses.Contains(o.Status);
    public static readonly Expression<Func<WorkOrder, bool>> Finished = o => FinishedStatuses.Contains(o.Status);

    public static bool IsOpenStatus(WorkOrderStatus status) => OpenStatuses.Contains(status);

    public bool IsOpen => IsOpenStatus(Status);

    /// <summary>
    /// Overdue: the clock (<see cref="Tick"/>) marked a limit missed and that limit still runs: the response limit while
    /// nobody has taken the order, the resolution limit while it is open (paused included: the limit was missed before
    /// the pause). Reads only stored columns, so a list projects them and asks the same question.
    /// </summary>
    public static bool IsOverdueWith(WorkOrderStatus status, DateTime? takenAt, DateTime? responseOverdueAt, DateTime? resolutionOverdueAt) =>
        responseOverdueAt is not null && AwaitsResponse(status, takenAt) || resolutionOverdueAt is not null && IsOpenStatus(status);

    public bool IsOverdue => IsOverdueWith(Status, TakenAt, ResponseOverdueAt, ResolutionOverdueAt);

    /// <summary>Whether the response limit still runs: nobody has taken it yet.</summary>
    private static bool AwaitsResponse(WorkOrderStatus status, DateTime? takenAt) =>
        takenAt is null && status is WorkOrderStatus.Submitted or WorkOrderStatus.Accepted or WorkOrderStatus.Dispatched;

    private bool AwaitingResponse => AwaitsResponse(Status, TakenAt);

    public void Accept(Actor by, DateTime now)
    {
        Require(WorkOrderStatus.Submitted);
        Status = WorkOrderStatus.Accepted;
        AcceptedAt = now;
        Record(Step.Accepted, by, now, null);
    }

    public void Dispatch(Handler handler, Actor by, DateTime now, string? note = null)
    {
        Require(WorkOrderStatus.Accepted);
        SetHandler(handler);
        Status = WorkOrderStatus.Dispatched;
        DispatchedAt = now;
        Record(Step.Dispatched, by, now, Note(note) ?? handler.Name);
    }

    /// <summary>To another handler while it is still with one (dispatched, taken or in progress).</summary>
    public void Transfer(Handler handler, Actor by, DateTime now, string? reason)
    {
        Require(WorkOrderStatus.Dispatched, WorkOrderStatus.Taken, WorkOrderStatus.InProgress);
        if (handler.Kind == HandlerKind && handler.Id == HandlerId) throw DomainException.Invalid("HandlerId", "workorders.same_handler");
        SetHandler(handler);
        Status = WorkOrderStatus.Dispatched;
        DispatchedAt = now;
        Record(Step.Transferred, by, now, handler.Name + (Note(reason) is { } r ? "：" + r : ""));
    }

    public void Take(Actor by, DateTime now)
    {
        Require(WorkOrderStatus.Dispatched);
        Status = WorkOrderStatus.Taken;
        if (TakenAt is null)
        {
            TakenAt = now;
            RespondedOnTime = now <= ResponseDueAt;
        }
        PlanNextCheck();
        Record(Step.Taken, by, now, null);
    }

    /// <summary>The handler gives it back, with a reason; the community dispatches again.</summary>
    public void Return(Actor by, DateTime now, string? reason)
    {
        Require(WorkOrderStatus.Dispatched);
        var r = Note(reason) ?? throw DomainException.Invalid("Reason", "workorders.reason_required");
        HandlerKind = null;
        HandlerId = null;
        HandlerName = null;
        Status = WorkOrderStatus.Accepted;
        Record(Step.Returned, by, now, r);
    }

    public void Start(Actor by, DateTime now)
    {
        Require(WorkOrderStatus.Taken);
        Status = WorkOrderStatus.InProgress;
        Record(Step.Started, by, now, null);
    }

    /// <summary>Waiting for the resident (not home, parts on order with their consent): the time limits stop.</summary>
    public void Pause(Actor by, DateTime now, string? reason)
    {
        Require(WorkOrderStatus.Taken, WorkOrderStatus.InProgress);
        var r = Note(reason) ?? throw DomainException.Invalid("Reason", "workorders.reason_required");
        StatusBeforePause = Status;
        Status = WorkOrderStatus.Paused;
        PausedAt = now;
        NextCheckAt = null; // the clock stands still
        Record(Step.Paused, by, now, r);
    }

    /// <summary>The clock runs again; the limits move by the time it stood still.</summary>
    public void Resume(Actor by, DateTime now, WorkingTime? time = null)
    {
        Require(WorkOrderStatus.Paused);
        time ??= WorkingTime.Clock;
        var paused = PausedAt!.Value;
        // What was left of each limit when it paused is left again now (in working time for working-hour limits).
        if (ResponseDueAt > paused) ResponseDueAt = time.Add(now, time.Between(paused, ResponseDueAt, LimitsInWorkingHours), LimitsInWorkingHours);
        if (ResolutionDueAt > paused) ResolutionDueAt = time.Add(now, time.Between(paused, ResolutionDueAt, LimitsInWorkingHours), LimitsInWorkingHours);
        Status = StatusBeforePause ?? WorkOrderStatus.InProgress;
        StatusBeforePause = null;
        PausedAt = null;
        PlanWarnings(time, now);
        Record(Step.Resumed, by, now, null);
    }

    public void RequestExtension(Actor by, DateTime now, int hours, string? reason)
    {
        Require(WorkOrderStatus.Taken, WorkOrderStatus.InProgress, WorkOrderStatus.Paused);
        if (ExtensionHoursRequested is not null) throw new DomainException("workorders.extension_pending");
        if (hours is < 1 or > WorkOrderCategory.MaxHours) throw DomainException.Invalid("Hours", "validation.range", "field.extension_hours", 1, WorkOrderCategory.MaxHours);
        var r = Note(reason) ?? throw DomainException.Invalid("Reason", "workorders.reason_required");
        ExtensionHoursRequested = hours;
        Record(Step.ExtensionRequested, by, now, $"{hours}h：{r}");
    }

    /// <summary>The community approves or refuses an extension request.</summary>
    public void DecideExtension(Actor by, DateTime now, bool approve, string? note, WorkingTime? time = null)
    {
        if (ExtensionHoursRequested is not { } hours) throw new DomainException("workorders.no_extension_pending");
        if (approve)
        {
            time ??= WorkingTime.Clock;
            ResolutionDueAt = time.Add(ResolutionDueAt, hours, LimitsInWorkingHours);
            if (ResolutionOverdueAt is null) ResolutionWarnedAt = null; // warn again before the new limit
            PlanWarnings(time, now);
        }
        ExtensionHoursRequested = null;
        Record(approve ? Step.ExtensionApproved : Step.ExtensionRefused, by, now, Note(note));
    }

    public void Complete(Actor by, DateTime now, string? result)
    {
        Require(WorkOrderStatus.Taken, WorkOrderStatus.InProgress);
        var r = Note(result) ?? throw DomainException.Invalid("Result", "workorders.result_required");
        Result = r;
        Status = WorkOrderStatus.Done;
        DoneAt = now;
        MinutesToDone = (int)Math.Round((now - CreatedAt).TotalMinutes);
        DoneOnTime = now <= ResolutionDueAt;
        ExtensionHoursRequested = null;
        NextCheckAt = null;
        Record(Step.Completed, by, now, r);
    }

    /// <summary>回访: the resident rates it in the app, or staff record what the resident said on a callback. Once.</summary>
    public void RecordReturnVisit(Actor by, DateTime now, int rating, string? comment)
    {
        Require(WorkOrderStatus.Done);
        if (rating is < 1 or > 5) throw DomainException.Invalid("Rating", "validation.range", "field.rating", 1, 5);
        Rating = rating;
        RatingComment = Note(comment);
        Status = WorkOrderStatus.Visited;
        Record(Step.ReturnVisited, by, now, $"{rating}★" + (RatingComment is { } c ? " " + c : ""));
    }

    public bool Satisfied => Rating is >= 4;

    public void Close(Actor by, DateTime now)
    {
        Require(WorkOrderStatus.Visited);
        Status = WorkOrderStatus.Closed;
        ClosedAt = now;
        Record(Step.Closed, by, now, null);
    }

    /// <summary>重办: back to the community, with a reason; the rating of the earlier round stays on the timeline.</summary>
    public void Reopen(Actor by, DateTime now, string? reason, WorkingTime? time = null)
    {
        Require(WorkOrderStatus.Done, WorkOrderStatus.Visited, WorkOrderStatus.Closed);
        var r = Note(reason) ?? throw DomainException.Invalid("Reason", "workorders.reason_required");
        Status = WorkOrderStatus.Accepted;
        ReopenCount++;
        Rating = null;
        RatingComment = null;
        Result = null;
        DoneAt = null;
        ClosedAt = null;
        HandlerKind = null;
        HandlerId = null;
        HandlerName = null;
        time ??= WorkingTime.Clock;
        ResolutionDueAt = time.Add(now, Math.Max(1, ResolutionHours), LimitsInWorkingHours);
        ResolutionWarnedAt = null;
        ResolutionOverdueAt = null;
        PlanWarnings(time, now);
        Record(Step.Reopened, by, now, r);
    }

    /// <summary>催办: the resident or staff push an open order; the handler sees it on the timeline.</summary>
    public void Urge(Actor by, DateTime now, string? note)
    {
        if (!IsOpen) throw new DomainException("workorders.not_open");
        UrgeCount++;
        Record(Step.Urged, by, now, Note(note));
    }

    public void LinkDuplicateOf(WorkOrder other)
    {
        if (other.Id == Id || other.CommunityId != CommunityId) throw DomainException.Invalid("DuplicateOfId", "workorders.duplicate_unknown");
        DuplicateOfId = other.Id;
    }

    // ---------------------------------------------------------------- the clock

    private void PlanWarnings(WorkingTime time, DateTime now)
    {
        // A lead as long as the limit itself would warn at once: then the warning comes half-way instead.
        DateTime WarnAt(DateTime due)
        {
            var at = time.Subtract(due, WarningLeadHours, LimitsInWorkingHours);
            return at > now ? at : now + (due - now) / 2;
        }
        ResponseWarnAt = WarnAt(ResponseDueAt);
        ResolutionWarnAt = WarnAt(ResolutionDueAt);
        PlanNextCheck();
    }

    /// <summary>The earliest warning or limit still to come, for the clock's indexed query.</summary>
    private void PlanNextCheck()
    {
        DateTime? next = null;
        void Consider(DateTime at) => next = next is null || at < next ? at : next;
        if (IsOpen && Status != WorkOrderStatus.Paused)
        {
            if (AwaitingResponse && ResponseWarnedAt is null && ResponseOverdueAt is null) Consider(ResponseWarnAt);
            if (AwaitingResponse && ResponseOverdueAt is null) Consider(ResponseDueAt);
            if (ResolutionWarnedAt is null && ResolutionOverdueAt is null) Consider(ResolutionWarnAt);
            if (ResolutionOverdueAt is null) Consider(ResolutionDueAt);
        }
        NextCheckAt = next;
    }

    /// <summary>
    /// The clock's look at the order: warn before a limit, mark it overdue at the limit, and move it one tier up for
    /// each missed limit (grid → community → subdistrict). Each happens once; returns whether anything happened.
    /// </summary>
    public bool Tick(DateTime now)
    {
        var before = Version;
        if (IsOpen && Status != WorkOrderStatus.Paused)
        {
            if (AwaitingResponse && ResponseOverdueAt is null)
            {
                if (now >= ResponseDueAt)
                {
                    ResponseOverdueAt = now;
                    Record(Step.ResponseOverdue, Actor.System, now, null);
                    Escalate(now);
                }
                else if (ResponseWarnedAt is null && now >= ResponseWarnAt)
                {
                    ResponseWarnedAt = now;
                    Record(Step.ResponseWarned, Actor.System, now, null);
                }
            }
            if (ResolutionOverdueAt is null)
            {
                if (now >= ResolutionDueAt)
                {
                    ResolutionOverdueAt = now;
                    Record(Step.ResolutionOverdue, Actor.System, now, null);
                    Escalate(now);
                }
                else if (ResolutionWarnedAt is null && now >= ResolutionWarnAt)
                {
                    ResolutionWarnedAt = now;
                    Record(Step.ResolutionWarned, Actor.System, now, null);
                }
            }
        }
        PlanNextCheck();
        return Version != before;
    }

    private void Escalate(DateTime now)
    {
        if (Tier == Tier.Subdistrict) return;
        Tier = Tier == Tier.Grid ? Tier.Community : Tier.Subdistrict;
        EscalatedAt = now;
        Record(Tier == Tier.Community ? Step.EscalatedToCommunity : Step.EscalatedToSubdistrict, Actor.System, now, null);
    }

    private void SetHandler(Handler handler)
    {
        HandlerKind = handler.Kind;
        HandlerId = handler.Id;
        HandlerName = handler.Name.Length > Handler.NameMax ? handler.Name[..Handler.NameMax] : handler.Name;
    }

    private void Require(params WorkOrderStatus[] allowed)
    {
        if (!allowed.Contains(Status)) throw new DomainException("workorders.step_not_allowed", ["workorders.status." + Status]);
    }

    private static string? Note(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.Length > NoteMax) throw DomainException.Invalid("Note", "validation.too_long", "field.note", NoteMax);
        return text;
    }

    private void Record(Step step, Actor by, DateTime now, string? note)
    {
        Version++;
        // Steps taken in one go (reported and accepted; accepted and dispatched by a rule; warned and escalated) keep
        // their order on the timeline: each is a microsecond (what PostgreSQL keeps) after the one before.
        if (Events.Count > 0 && Events[^1].At >= now) now = Events[^1].At.AddTicks(10);
        Events.Add(new WorkOrderEvent(this, step, by, now, note));
    }
}

/// <summary>Where the problem is: a home, an entrance, a building, an estate, or words.</summary>
public sealed record Place(Guid? EstateId, Guid? BuildingId, int? EntranceNumber, Guid? HomeId, string? Text);

/// <summary>Who did a step: an account (or the system) and the name shown on the timeline.</summary>
public sealed record Actor(Guid? AccountId, string Name)
{
    public static readonly Actor System = new(null, "system");
}

/// <summary>One step of the timeline. Staff see it all; the resident sees a plain-language line per step.</summary>
public sealed class WorkOrderEvent : ICommunityOwned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CommunityId { get; private set; }
    public Guid WorkOrderId { get; private set; }
    public Step Step { get; private set; }
    public Guid? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    public DateTime At { get; private set; }
    public string? Note { get; private set; }

    private WorkOrderEvent() { }

    internal WorkOrderEvent(WorkOrder order, Step step, Actor by, DateTime at, string? note)
    {
        CommunityId = order.CommunityId;
        WorkOrderId = order.Id;
        Step = step;
        ActorId = by.AccountId;
        ActorName = by.Name.Length > Handler.NameMax ? by.Name[..Handler.NameMax] : by.Name;
        At = at;
        Note = note;
    }
}

public sealed class WorkOrderConfiguration : IEntityTypeConfiguration<WorkOrder>
{
    public void Configure(EntityTypeBuilder<WorkOrder> b)
    {
        b.Property(x => x.Number).HasMaxLength(20).IsUnicode(false);
        b.Property(x => x.Description).HasMaxLength(WorkOrder.DescriptionMax);
        b.Property(x => x.PlaceText).HasMaxLength(WorkOrder.PlaceTextMax);
        b.Property(x => x.HandlerName).HasMaxLength(Handler.NameMax);
        b.Property(x => x.Result).HasMaxLength(WorkOrder.NoteMax);
        b.Property(x => x.RatingComment).HasMaxLength(WorkOrder.NoteMax);
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.StatusBeforePause).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.HandlerKind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Tier).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => x.NextCheckAt);
        b.HasIndex(x => new { x.CommunityId, x.GridId, x.CreatedAt });
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.CommunityId, x.Number }).IsUnique();
        b.HasIndex(x => new { x.CommunityId, x.Status, x.CreatedAt });
        b.HasIndex(x => new { x.CommunityId, x.HandlerKind, x.HandlerId, x.Status });
        b.HasIndex(x => new { x.CommunityId, x.BuildingId, x.CategoryId, x.Status });
        b.HasIndex(x => x.ReporterAccountId);
        // The metrics read the orders of the parts of months at a period's ends (whole months come from the rollup, whose
        // months are built from here): on PostgreSQL this index carries what they read, so that is an index-only scan
        // (bench/README.md, metrics); SQLite has no INCLUDE and keeps the key columns only.
        b.HasIndex(x => new { x.CommunityId, x.CreatedAt, x.TopCategoryId })
            .IncludeProperties(x => new { x.DuplicateOfId, x.HandlerName, x.GridId, x.DoneAt, x.MinutesToDone, x.RespondedOnTime, x.DoneOnTime, x.Rating });
        b.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrderCategory>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Events).WithOne().HasForeignKey(e => e.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(x => x.IsOpen);
        b.Ignore(x => x.Satisfied);
        b.Ignore(x => x.IsOverdue);
    }
}

public sealed class WorkOrderEventConfiguration : IEntityTypeConfiguration<WorkOrderEvent>
{
    public void Configure(EntityTypeBuilder<WorkOrderEvent> b)
    {
        b.Property(x => x.Step).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.ActorName).HasMaxLength(Handler.NameMax);
        b.Property(x => x.Note).HasMaxLength(WorkOrder.NoteMax + 100);
        b.HasIndex(x => new { x.CommunityId, x.WorkOrderId, x.At });
    }
}
