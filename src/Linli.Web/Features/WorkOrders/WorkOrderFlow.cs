using Linli.Web.Features.Calendar;
using Linli.Web.Infrastructure.Errors;
using static Linli.Web.Features.WorkOrders.WorkOrderStatus;

namespace Linli.Web.Features.WorkOrders;

/// <summary>Who someone is to an order. One caller may be several at once (a staff member the order is dispatched to).</summary>
[Flags]
public enum FlowParty
{
    None = 0,
    /// <summary>The resident's account the order was reported by or for (<see cref="WorkOrder.ReporterAccountId"/>).</summary>
    Reporter = 1,
    /// <summary>The handler's people: the account it is dispatched to (staff, grid member), or anyone scoped to its partner unit or team.</summary>
    Handler = 2,
    /// <summary>The office: the community's staff and secretary.</summary>
    Office = 4,
    /// <summary>A subdistrict administrator of the order's community: acts on it as the office does.</summary>
    Subdistrict = 8,
    /// <summary>A member of the order's grid: sees it, and takes a step only when it is dispatched to them (then they are its Handler too).</summary>
    Grid = 16,
}

/// <summary>What a step reads from <see cref="StepInput"/> (and, for completing, the after-photos).</summary>
[Flags]
public enum StepFields { None = 0, Handler = 1, Reason = 2, Result = 4, Rating = 8, Comment = 16, Hours = 32, Approve = 64, Photos = 128 }

/// <summary>What a step is taken with: who and when, the input, the handler resolved (or routed) for it, the working-day calendar.</summary>
public sealed record StepContext(Actor By, DateTime Now, StepInput Input, Handler? Handler, WorkingTime Time);

/// <summary>A narrower rule for a party that holds a step only through that relation (the reporter reopens less than the office).</summary>
public sealed record PartyLimit(FlowParty Party, IReadOnlyList<WorkOrderStatus> From, Func<WorkOrder, bool> When, string TextKey);

/// <summary>
/// One row of <see cref="WorkOrderFlow.Steps"/>. <paramref name="From"/> and <see cref="When"/> say what the entity accepts (it
/// guards them itself: anything else is a 409 and changes nothing); <paramref name="Who"/> who may take it (anyone else: 403);
/// <paramref name="Needs"/> the input it must have (else a 400 naming the field), <paramref name="Takes"/> what it may have;
/// <paramref name="Apply"/> the entity method it calls.
/// </summary>
public sealed record FlowStep(string Name, IReadOnlyList<WorkOrderStatus> From, FlowParty Who, StepFields Needs, StepFields Takes,
    Action<WorkOrder, StepContext> Apply)
{
    /// <summary>What else the entity requires of the order beyond its status (an extension waiting, or none).</summary>
    public Func<WorkOrder, bool>? When { get; init; }
    /// <summary>What a party that holds the step only through one relation may do less.</summary>
    public PartyLimit? Limit { get; init; }
    /// <summary>The step moves limits, so it counts with the working-day calendar (else clock hours do).</summary>
    public bool UsesCalendar { get; init; }

    public bool Reads(StepFields field) => ((Needs | Takes) & field) != 0;
}

/// <summary>
/// The work-order flow in one table: for each step the API accepts (<c>POST /api/work-orders/{id}/{step}</c>) and the
/// pages post, the statuses it may follow, who may take it, its input and the entity method it calls. Which buttons a
/// page shows and the API's <c>AllowedSteps</c> (<see cref="Allowed"/>) and the check when a step is taken
/// (<see cref="Check"/>) both read it; a pure test walks status × step × party against the entity.
/// </summary>
public static class WorkOrderFlow
{
    private const FlowParty Community = FlowParty.Office | FlowParty.Subdistrict;
    private const FlowParty HandlerOrCommunity = FlowParty.Handler | Community;
    private const FlowParty ReporterOrCommunity = FlowParty.Reporter | Community;

    private static readonly WorkOrderStatus[] AnyStatus = Enum.GetValues<WorkOrderStatus>();

    public static readonly IReadOnlyList<FlowStep> Steps =
    [
        //  step                 follows                              who                  needs                                takes
        new("accept",            [Submitted],                         Community,           StepFields.None,                     StepFields.None,
            (o, c) => o.Accept(c.By, c.Now)),
        // Without a handler the routing's choice at this moment (rules, grid, the category's default).
        new("dispatch",          [Accepted],                          Community,           StepFields.None,                     StepFields.Handler | StepFields.Reason,
            (o, c) => o.Dispatch(HandlerOf(c), c.By, c.Now, c.Input.Reason)),
        new("transfer",          [Dispatched, Taken, InProgress],     Community,           StepFields.Handler,                  StepFields.Reason,
            (o, c) => o.Transfer(HandlerOf(c), c.By, c.Now, c.Input.Reason)),
        new("take",              [Dispatched],                        HandlerOrCommunity,  StepFields.None,                     StepFields.None,
            (o, c) => o.Take(c.By, c.Now)),
        new("return",            [Dispatched],                        HandlerOrCommunity,  StepFields.Reason,                   StepFields.None,
            (o, c) => o.Return(c.By, c.Now, c.Input.Reason)),
        new("start",             [Taken],                             HandlerOrCommunity,  StepFields.None,                     StepFields.None,
            (o, c) => o.Start(c.By, c.Now)),
        new("pause",             [Taken, InProgress],                 HandlerOrCommunity,  StepFields.Reason,                   StepFields.None,
            (o, c) => o.Pause(c.By, c.Now, c.Input.Reason)),
        new("resume",            [Paused],                            HandlerOrCommunity,  StepFields.None,                     StepFields.None,
            (o, c) => o.Resume(c.By, c.Now, c.Time)) { UsesCalendar = true },
        new("request-extension", [Taken, InProgress, Paused],         HandlerOrCommunity,  StepFields.Hours | StepFields.Reason, StepFields.None,
            (o, c) => o.RequestExtension(c.By, c.Now, c.Input.Hours ?? 0, c.Input.Reason)) { When = o => o.ExtensionHoursRequested is null },
        new("decide-extension",  AnyStatus,                           Community,           StepFields.Approve,                  StepFields.Reason,
            (o, c) => o.DecideExtension(c.By, c.Now, c.Input.Approve ?? throw DomainException.Invalid("Approve", "workorders.decision_required"), c.Input.Reason, c.Time))
            { When = o => o.ExtensionHoursRequested is not null, UsesCalendar = true },
        new("complete",          [Taken, InProgress],                 HandlerOrCommunity,  StepFields.Result,                   StepFields.Photos,
            (o, c) => o.Complete(c.By, c.Now, c.Input.Result)),
        new("return-visit",      [Done],                              ReporterOrCommunity, StepFields.Rating,                   StepFields.Comment,
            (o, c) => o.RecordReturnVisit(c.By, c.Now, c.Input.Rating ?? 0, c.Input.Comment)),
        new("close",             [Visited],                           Community,           StepFields.None,                     StepFields.None,
            (o, c) => o.Close(c.By, c.Now)),
        // The reporter reopens a done order, or a visited one she was not satisfied with; the office any finished one.
        new("reopen",            [Done, Visited, Closed],             ReporterOrCommunity, StepFields.Reason,                   StepFields.None,
            (o, c) => o.Reopen(c.By, c.Now, c.Input.Reason, c.Time))
            { UsesCalendar = true, Limit = new(FlowParty.Reporter, [Done, Visited], o => !(o.Status == Visited && o.Satisfied), "workorders.reopen_satisfied") },
        new("urge",              WorkOrder.OpenStatuses,              ReporterOrCommunity, StepFields.None,                     StepFields.Reason,
            (o, c) => o.Urge(c.By, c.Now, c.Input.Reason)),
    ];

    /// <summary>The step names, in the table's order (the texts <c>workorders.step.*</c> and <c>workorders.step_done.*</c> follow them).</summary>
    public static readonly IReadOnlyList<string> Names = Steps.Select(s => s.Name).ToArray();

    private static readonly Dictionary<string, FlowStep> ByName = Steps.ToDictionary(s => s.Name);

    public static FlowStep? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Whether the entity takes the step from the order's state (the table's side of what the entity guards).</summary>
    public static bool Follows(FlowStep step, WorkOrder o) => step.From.Contains(o.Status) && (step.When?.Invoke(o) ?? true);

    /// <summary>Whether these parties may take the step on some order (a party outside <see cref="FlowStep.Who"/> never may: 403).</summary>
    public static bool MayTake(FlowStep step, FlowParty parties) => (step.Who & parties) != FlowParty.None;

    /// <summary>The limit that applies to these parties: they hold the step only through the limited relation.</summary>
    private static PartyLimit? LimitFor(FlowStep step, FlowParty parties) =>
        step.Limit is { } l && (step.Who & parties) == l.Party ? l : null;

    /// <summary>The steps these parties may take on the order now: the buttons a page shows, the API's <c>AllowedSteps</c>.</summary>
    public static List<string> Allowed(WorkOrder o, FlowParty parties) =>
        Steps.Where(s => MayTake(s, parties) && Follows(s, o) && (LimitFor(s, parties) is not { } l || l.From.Contains(o.Status) && l.When(o)))
            .Select(s => s.Name).ToList();

    /// <summary>
    /// Before a step is taken: a party that may never take it gets a 403; a limited party outside its limit a 409. The
    /// status rules are the entity's own (<see cref="FlowStep.Apply"/> refuses with a 409 and changes nothing).
    /// </summary>
    public static void Check(FlowStep step, WorkOrder o, FlowParty parties)
    {
        if (!MayTake(step, parties)) throw new DomainException("workorders.step_forbidden", status: StatusCodes.Status403Forbidden);
        if (LimitFor(step, parties) is not { } limit) return;
        if (!limit.From.Contains(o.Status)) throw new DomainException("workorders.step_not_allowed", ["workorders.status." + o.Status]);
        if (!limit.When(o)) throw new DomainException(limit.TextKey);
    }

    private static Handler HandlerOf(StepContext c) => c.Handler ?? throw DomainException.Invalid("Handler", "workorders.handler_required");
}
