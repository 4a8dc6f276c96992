namespace Linli.Web.Features.WorkOrders;

/// <summary>
/// What the API document says about the work-order endpoints beyond their metadata: request examples and the longer
/// descriptions. Kept beside <see cref="WorkOrdersApi"/> so that its route table stays a table.
/// </summary>
public static class WorkOrdersApiDocs
{
    private static readonly Guid Community = Guid.Parse("01a24295-dbcb-77e3-83ac-9bae9c9ebcba");
    private static readonly Guid Category = Guid.Parse("01a1a817-13cb-7727-8719-1b927d205858");
    private static readonly Guid Building = Guid.Parse("01a1e5e3-63cb-7610-b2d0-1211298803ab");
    private static readonly Guid Home = Guid.Parse("01a1d670-4fcb-73ab-a8c3-3eb8e4f67e3d");
    private static readonly Guid Estate = Guid.Parse("01a1c6fd-3bcb-7b5f-8de4-840d335f902f");
    private static readonly Guid Person = Guid.Parse("01a1b78a-27cb-7e5a-b5b2-3755a593a75f");
    private static readonly Guid Unit = Guid.Parse("01a198a3-ffcb-79a0-90f4-1f76a6b2b403");

    public const string CreateDescription =
        "A resident reports in the own community; staff report on a resident's behalf with `channel` Phone, Visit or GridPatrol and, "
        + "optionally, the resident from the registry (`residentId`), and name `communityId` when they see several. The place is a home, a "
        + "building (and entrance), an estate, or words (`place.text`): one of them is needed. Ask `POST /api/work-orders/similar` first: to say "
        + "it is the same problem as an open order there, send that order's id as `duplicateOfId`.";

    public const string StepDescription =
        "Takes one step of the order's flow and answers the order as it is now (204 when the step took it out of the caller's sight: returned or "
        + "transferred away). `allowedSteps` of the order says which steps the caller may take now. What each step reads from the body:\n\n"
        + "| step | body |\n|---|---|\n"
        + "| accept, take, start, resume, close | nothing |\n"
        + "| dispatch | `handler` (else the routing's choice: `GET /api/work-orders/{id}/route`), `reason` as a note |\n"
        + "| transfer | `handler` (required), `reason` |\n"
        + "| return, pause, reopen | `reason` (required) |\n"
        + "| request-extension | `hours` (1–2160), `reason` (required) |\n"
        + "| decide-extension | `approve` (required), `reason` |\n"
        + "| complete | `result` (required); after-photos go to `POST /api/work-orders/{id}/photos` |\n"
        + "| return-visit | `rating` (1–5), `comment` |\n"
        + "| urge | `reason` |\n\n"
        + "A step the caller may never take on this order is a 403; a step the flow does not allow in the order's status, or one taken while "
        + "someone else changed the order, is a 409. Either way the order is unchanged.";

    public const string PhotosDescription =
        "multipart/form-data: one or more image files (JPEG, PNG or WebP; up to nine per stage, 10 MB each) and `stage` = Before (default, "
        + "while reporting) or After (with the completion). Each file is checked by its bytes, its location data removed and a thumbnail made.";

    public static NewWorkOrder ResidentReport => new()
    {
        CategoryId = Category,
        Description = "楼道灯坏了，晚上很黑",
        Place = new PlaceInput { BuildingId = Building, EntranceNumber = 2 },
    };

    public static NewWorkOrder StaffReport => new()
    {
        CommunityId = Community,
        CategoryId = Category,
        Description = "居民来电：家中水管漏水",
        Channel = WorkOrders.Channel.Phone,
        ResidentId = Person,
        Place = new PlaceInput { HomeId = Home },
    };

    public static NewWorkOrder SimilarQuery => new()
    {
        CategoryId = Category,
        Place = new PlaceInput { BuildingId = Building },
    };

    /// <summary>The body of <c>POST /api/work-orders/{id}/{step}</c>, one example per step that reads one.</summary>
    public static IEnumerable<(string Step, string Summary, StepInput Body)> StepExamples =>
    [
        ("accept", "accept, take, start, resume, close: no body", new StepInput()),
        ("dispatch", "Dispatch to a handler", new StepInput { Handler = new HandlerInput(HandlerKind.PartnerUnit, Unit), Reason = "请今天内上门" }),
        ("transfer", "Transfer to another handler", new StepInput { Handler = new HandlerInput(HandlerKind.GridMember, Person), Reason = "属于第三网格" }),
        ("return", "Return (the handler cannot take it)", new StepInput { Reason = "不在我单位服务范围" }),
        ("pause", "Pause", new StepInput { Reason = "等待配件到货" }),
        ("request-extension", "Ask for more time", new StepInput { Hours = 48, Reason = "需要协调物业停水" }),
        ("decide-extension", "Approve or refuse the extension", new StepInput { Approve = true }),
        ("complete", "Complete", new StepInput { Result = "已更换灯泡，恢复照明" }),
        ("return-visit", "The return visit", new StepInput { Rating = 5, Comment = "修得很快，谢谢" }),
        ("reopen", "Reopen", new StepInput { Reason = "灯又不亮了" }),
        ("urge", "Urge", new StepInput { Reason = "已经三天了" }),
    ];

    public static CategoryInput NewCategory => new()
    {
        CommunityId = Community,
        Name = "楼道照明",
        ParentId = Guid.Parse("01a223af-b3cb-70d1-aa79-ced9b8d7c10c"),
        ResponseHours = 4,
        ResolutionHours = 48,
        WarningLeadHours = 8,
        WorkingHours = true,
        Public = true,
        GridFirst = true,
    };

    public static HandlerInput DefaultHandler => new(HandlerKind.PropertyCompany, Unit);

    public static RuleInput Rule => new()
    {
        CommunityId = Community,
        CategoryId = Category,
        Place = RulePlace.Estate,
        EstateId = Estate,
        Time = RuleTime.OutsideOfficeHours,
        Target = RuleTarget.OnCall,
        DispatchAtOnce = true,
    };

    public static DutyInput Duty => new() { CommunityId = Community, UserId = Person, Note = "手机 24 小时开机" };

    /// <summary>The upload's form, as the API document describes it (the handler reads the form part by part).</summary>
    public sealed class PhotosForm
    {
        /// <summary>One or more image files (the field may also be called "file").</summary>
        public IFormFileCollection Photos { get; set; } = null!;
        public PhotoStage? Stage { get; set; }
    }
}
