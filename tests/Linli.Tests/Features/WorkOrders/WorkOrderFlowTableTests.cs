using Linli.Web.Features.Calendar;
using Linli.Web.Features.WorkOrders;
using Linli.Web.Infrastructure.Errors;
using Microsoft.AspNetCore.Http;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>
/// The flow's table (<see cref="WorkOrderFlow"/>) against the entity, without a database: every status the flow reaches
/// (with an extension waiting or not, a visit satisfied or not) × every step × every party, so the table the pages and
/// the API read cannot drift from what <see cref="WorkOrder"/> guards.
/// </summary>
public sealed class WorkOrderFlowTableTests
{
    private static readonly Guid Community = Guid.CreateVersion7();
    private static readonly Guid ReporterAccount = Guid.CreateVersion7();
    private static readonly Actor Staff = new(Guid.CreateVersion7(), "周立新");
    private static readonly Handler Property = new(HandlerKind.PropertyCompany, Guid.CreateVersion7(), "融创物业");
    private static readonly Handler Team = new(HandlerKind.Team, Guid.CreateVersion7(), "志愿服务队");
    private static readonly DateTime T0 = new(2026, 12, 4, 2, 0, 0, DateTimeKind.Utc);

    /// <summary>Who may take which step, whatever the status: the office and subdistrict admins all; the rest as listed.</summary>
    private static readonly Dictionary<FlowParty, string[]> Expected = new()
    {
        [FlowParty.Office] = [.. WorkOrderFlow.Names],
        [FlowParty.Subdistrict] = [.. WorkOrderFlow.Names],
        [FlowParty.Handler] = ["take", "return", "start", "pause", "resume", "request-extension", "complete"],
        [FlowParty.Reporter] = ["return-visit", "reopen", "urge"],
        [FlowParty.Grid] = [],
        [FlowParty.None] = [],
    };

    private static bool ExpectedMay(string step, FlowParty parties) =>
        Expected.Where(e => e.Key == FlowParty.None ? parties == FlowParty.None : parties.HasFlag(e.Key)).Any(e => e.Value.Contains(step));

    /// <summary>The reporter alone reopens a done order, or a visited one she was not satisfied with.</summary>
    private static bool ReporterMayReopen(WorkOrder o) => o.Status == WorkOrderStatus.Done || o.Status == WorkOrderStatus.Visited && !o.Satisfied;

    private static readonly FlowParty[] Parties =
    [
        FlowParty.None, FlowParty.Reporter, FlowParty.Handler, FlowParty.Office, FlowParty.Subdistrict, FlowParty.Grid,
        FlowParty.Reporter | FlowParty.Office, FlowParty.Handler | FlowParty.Grid, FlowParty.Reporter | FlowParty.Handler,
    ];

    private static WorkOrderCategory Category() => new(Community, null, "管道堵塞", 1, 24, 1, workingHours: false, isPublic: false, gridFirst: false);

    private static WorkOrder Reported() => WorkOrder.Create(Community, "2612040001", Channel.ResidentApp, Category(), "厨房水池堵了",
        new Place(null, null, null, null, "3号楼"), ReporterAccount, null, new Actor(ReporterAccount, "王秀兰"), T0);

    /// <summary>Every state the flow reaches, each made afresh by the entity's own methods.</summary>
    private static readonly (string Name, Func<WorkOrder> Make)[] States =
    [
        ("submitted", Reported),
        ("accepted", () => Do(Reported(), o => o.Accept(Staff, T0))),
        ("dispatched", () => Dispatched()),
        ("taken", () => Do(Dispatched(), o => o.Take(Staff, T0))),
        ("in progress", () => Do(Dispatched(), o => o.Take(Staff, T0), o => o.Start(Staff, T0))),
        ("paused", () => Do(Dispatched(), o => o.Take(Staff, T0), o => o.Pause(Staff, T0, "住户不在家"))),
        ("taken, extension waiting", () => Do(Dispatched(), o => o.Take(Staff, T0), Extension)),
        ("in progress, extension waiting", () => Do(Dispatched(), o => o.Take(Staff, T0), o => o.Start(Staff, T0), Extension)),
        ("paused, extension waiting", () => Do(Dispatched(), o => o.Take(Staff, T0), Extension, o => o.Pause(Staff, T0, "等配件"))),
        ("transferred, extension waiting", () => Do(Dispatched(), o => o.Take(Staff, T0), Extension, o => o.Transfer(Team, Staff, T0, "换人"))),
        ("returned, extension waiting", () => Do(Dispatched(), o => o.Take(Staff, T0), Extension, o => o.Transfer(Team, Staff, T0, null), o => o.Return(Staff, T0, "不归我们"))),
        ("done", () => Done()),
        ("visited, satisfied", () => Do(Done(), o => o.RecordReturnVisit(Staff, T0, 5, null))),
        ("visited, not satisfied", () => Do(Done(), o => o.RecordReturnVisit(Staff, T0, 2, "还漏"))),
        ("closed, satisfied", () => Do(Done(), o => o.RecordReturnVisit(Staff, T0, 5, null), o => o.Close(Staff, T0))),
        ("closed, not satisfied", () => Do(Done(), o => o.RecordReturnVisit(Staff, T0, 1, null), o => o.Close(Staff, T0))),
        ("reopened", () => Do(Done(), o => o.Reopen(Staff, T0, "又堵了"))),
    ];

    private static WorkOrder Dispatched() => Do(Reported(), o => o.Accept(Staff, T0), o => o.Dispatch(Property, Staff, T0));
    private static WorkOrder Done() => Do(Dispatched(), o => o.Take(Staff, T0), o => o.Complete(Staff, T0, "疏通了"));
    private static void Extension(WorkOrder o) => o.RequestExtension(Staff, T0, 24, "需要换管件");

    private static WorkOrder Do(WorkOrder o, params Action<WorkOrder>[] steps)
    {
        foreach (var step in steps) step(o);
        return o;
    }

    /// <summary>Every field a step can read, valid; the handler differs from the one the order has.</summary>
    private static StepInput FullInput() => new()
    {
        Handler = new HandlerInput(Team.Kind, Team.Id), Reason = "原因写清楚", Result = "已修好", Rating = 5, Comment = "谢谢", Hours = 24, Approve = true,
    };

    private static StepInput Without(StepInput input, StepFields field) => new()
    {
        Handler = field == StepFields.Handler ? null : input.Handler,
        Reason = field == StepFields.Reason ? null : input.Reason,
        Result = field == StepFields.Result ? null : input.Result,
        Rating = field == StepFields.Rating ? null : input.Rating,
        Comment = field == StepFields.Comment ? null : input.Comment,
        Hours = field == StepFields.Hours ? null : input.Hours,
        Approve = field == StepFields.Approve ? null : input.Approve,
    };

    /// <summary>The context the service gives a step: the handler resolved from the input (another than the order has now).</summary>
    private static StepContext Context(StepInput input, WorkOrder o) =>
        new(Staff, T0.AddMinutes(5), input, input.Handler is null ? null : o.HandlerId == Team.Id ? Property : Team, WorkingTime.Clock);

    /// <summary>What the entity says to the step with full input: taken (true) or refused with a 409 (false); anything else fails.</summary>
    private static bool EntityTakes(FlowStep step, WorkOrder o)
    {
        var (status, version, events) = (o.Status, o.Version, o.Events.Count);
        try
        {
            step.Apply(o, Context(FullInput(), o));
            o.Version.ShouldBeGreaterThan(version);
            return true;
        }
        catch (DomainException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // A step the flow does not allow changes nothing.
            (o.Status, o.Version, o.Events.Count).ShouldBe((status, version, events));
            return false;
        }
    }

    private static IEnumerable<(string State, FlowStep Step)> StatesAndSteps() =>
        from state in States from step in WorkOrderFlow.Steps select (state.Name, step);

    [Fact]
    public void The_table_names_every_status_and_step_once_and_the_statuses_it_follows_are_the_ones_the_entity_accepts()
    {
        WorkOrderFlow.Names.Distinct().Count().ShouldBe(WorkOrderFlow.Steps.Count);
        States.Select(s => s.Make().Status).Distinct().Count().ShouldBe(Enum.GetValues<WorkOrderStatus>().Length); // every status is reached
        foreach (var (state, step) in StatesAndSteps())
        {
            var make = States.Single(s => s.Name == state).Make;
            WorkOrderFlow.Follows(step, make()).ShouldBe(EntityTakes(step, make()), $"{step.Name} from {state}");
        }
    }

    [Fact]
    public void What_a_step_needs_is_what_the_entity_refuses_without_and_what_it_takes_may_be_left_out()
    {
        var fields = Enum.GetValues<StepFields>().Where(f => f is not (StepFields.None or StepFields.Photos)).ToList();
        foreach (var (state, step) in StatesAndSteps())
        {
            var make = States.Single(s => s.Name == state).Make;
            if (!WorkOrderFlow.Follows(step, make())) continue;
            foreach (var field in fields.Where(f => step.Needs.HasFlag(f)))
            {
                var o = make();
                var version = o.Version;
                var refused = Should.Throw<DomainException>(() => step.Apply(o, Context(Without(FullInput(), field), o)), $"{step.Name} from {state} without {field}");
                refused.Status.ShouldBe(StatusCodes.Status400BadRequest);
                refused.Field.ShouldBe(field.ToString());
                o.Version.ShouldBe(version);
            }
            // Only what it needs (a handler left out of a dispatch is the routing's choice: the context still has one).
            var needed = fields.Where(f => !step.Needs.HasFlag(f) && f != StepFields.Handler).Aggregate(FullInput(), Without);
            var bare = make();
            step.Apply(bare, Context(needed, bare));
        }
    }

    [Fact]
    public void Who_may_take_each_step_is_the_expected_matrix()
    {
        foreach (var step in WorkOrderFlow.Steps)
            foreach (var party in Expected.Keys)
                WorkOrderFlow.MayTake(step, party).ShouldBe(ExpectedMay(step.Name, party), $"{party} {step.Name}");
    }

    [Fact]
    public void Every_status_step_and_party_gets_the_same_answer_from_the_buttons_the_check_and_the_entity()
    {
        foreach (var (state, step) in StatesAndSteps())
            foreach (var parties in Parties)
            {
                var make = States.Single(s => s.Name == state).Make;
                var o = make();
                var may = ExpectedMay(step.Name, parties);
                // The reporter's limit holds for whoever has the step only as the reporter (not also as the office).
                var onlyAsReporter = parties.HasFlag(FlowParty.Reporter) && (parties & (FlowParty.Office | FlowParty.Subdistrict)) == 0;
                var limited = step.Name == "reopen" && onlyAsReporter && !ReporterMayReopen(o);
                var entity = EntityTakes(step, make());
                var shown = WorkOrderFlow.Allowed(o, parties).Contains(step.Name);
                var label = $"{parties} {step.Name} from {state}";
                shown.ShouldBe(may && entity && !limited, label);

                // Taking it: 403 for a party that never may, 409 where the flow (or the party's limit) says no now, else taken.
                var taken = make();
                DomainException? refused = null;
                try
                {
                    WorkOrderFlow.Check(step, taken, parties);
                    step.Apply(taken, Context(FullInput(), taken));
                }
                catch (DomainException e)
                {
                    refused = e;
                }
                if (!may) refused?.Status.ShouldBe(StatusCodes.Status403Forbidden, label);
                else if (!shown) refused?.Status.ShouldBe(StatusCodes.Status409Conflict, label);
                (refused is null).ShouldBe(shown, label);
            }
    }

    [Fact]
    public void Open_overdue_and_the_metrics_done_agree_in_every_state()
    {
        foreach (var (name, make) in States)
        {
            var o = make();
            o.IsOpen.ShouldBe(WorkOrder.OpenStatuses.Contains(o.Status), name);
            WorkOrder.FinishedStatuses.Contains(o.Status).ShouldBe(!o.IsOpen, name);
            (o.DoneAt is not null).ShouldBe(!o.IsOpen, name); // what the metrics count as done
            o.IsOverdue.ShouldBeFalse(name);
        }
        // Overdue once the clock marks a missed limit, as long as that limit runs.
        var late = Dispatched();
        late.Tick(T0.AddHours(2)).ShouldBeTrue();
        late.IsOverdue.ShouldBeTrue();                      // not taken within the response hour
        late.Take(Staff, T0.AddHours(2));
        late.IsOverdue.ShouldBeFalse();                     // responded (late); resolution still within its day
        late.Tick(T0.AddHours(25)).ShouldBeTrue();
        late.IsOverdue.ShouldBeTrue();
        late.Pause(Staff, T0.AddHours(26), "等配件");
        late.IsOverdue.ShouldBeTrue();                      // missed before the pause
        late.Resume(Staff, T0.AddHours(27));
        late.Complete(Staff, T0.AddHours(28), "修好了");
        late.IsOverdue.ShouldBeFalse();
    }
}
