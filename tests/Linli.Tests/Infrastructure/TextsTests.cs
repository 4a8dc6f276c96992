using System.Text.RegularExpressions;
using Linli.Web.Infrastructure.Localization;

namespace Linli.Tests.Infrastructure;

public sealed partial class TextsTests
{
    private static string SourceRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Linli.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repo root"), "src", "Linli.Web");
    }

    [Fact]
    public void Chinese_and_english_have_the_same_keys()
    {
        Texts.For(Texts.Chinese).Keys.Order().ShouldBe(Texts.For(Texts.English).Keys.Order());
        Texts.For(Texts.English).Values.ShouldAllBe(v => !string.IsNullOrWhiteSpace(v));
    }

    [Fact]
    public void Every_text_key_used_in_the_code_exists_in_both_languages()
    {
        var used = new HashSet<string>();
        foreach (var file in Directory.EnumerateFiles(SourceRoot(), "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".cs") || f.EndsWith(".cshtml")) && !f.Contains("/obj/") && !f.Contains("/bin/") && !f.Contains("Migrations")))
        {
            foreach (Match m in KeyRegex().Matches(File.ReadAllText(file))) used.Add(m.Groups[1].Value);
        }
        used.Count.ShouldBeGreaterThan(100);
        var missing = used.Where(k => !Texts.For(Texts.Chinese).ContainsKey(k) || !Texts.For(Texts.English).ContainsKey(k)).ToList();
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Keys_built_from_enums_exist_in_both_languages()
    {
        var prefixes = new Dictionary<string, IEnumerable<string>>
        {
            ["building_kind."] = Enum.GetNames<Linli.Web.Features.Places.BuildingKind>(),
            ["grid_level."] = Enum.GetNames<Linli.Web.Features.Grids.GridLevel>(),
            ["red_butler."] = Enum.GetNames<Linli.Web.Features.Grids.RedButlerRole>(),
            ["role."] = Linli.Web.Infrastructure.Auth.Roles.All,
            ["scope."] = Enum.GetNames<Linli.Web.Infrastructure.Auth.ScopeKind>(),
            ["audit_event."] = Linli.Web.Infrastructure.Auditing.AuditEvents.All,
            ["division_level."] = Enum.GetNames<Linli.Web.Features.Places.Divisions.DivisionLevel>(),
            ["tag."] = Enum.GetNames<Linli.Web.Features.Residents.TagKind>(),
            ["survey_outcome."] = Enum.GetNames<Linli.Web.Features.Residents.SurveyOutcome>(),
            ["gender."] = Enum.GetNames<Linli.Web.Features.Residents.Gender>(),
            ["occupancy."] = Enum.GetNames<Linli.Web.Features.Residents.Occupancy>(),
            ["relation."] = Enum.GetNames<Linli.Web.Features.Residents.RelationToHead>(),
            ["workorders.status."] = Enum.GetNames<Linli.Web.Features.WorkOrders.WorkOrderStatus>(),
            ["workorders.plain."] = Enum.GetNames<Linli.Web.Features.WorkOrders.Step>(),
            ["workorders.step_name."] = Enum.GetNames<Linli.Web.Features.WorkOrders.Step>(),
            ["workorders.step."] = Linli.Web.Features.WorkOrders.WorkOrderFlow.Names,
            ["workorders.step_done."] = Linli.Web.Features.WorkOrders.WorkOrderFlow.Names,
            ["photos.stage."] = Enum.GetNames<Linli.Web.Features.WorkOrders.PhotoStage>(),
            ["workorders.channel."] = Enum.GetNames<Linli.Web.Features.WorkOrders.Channel>(),
            ["workorders.handler_kind."] = Enum.GetNames<Linli.Web.Features.WorkOrders.HandlerKind>(),
            ["workorders.tier."] = Enum.GetNames<Linli.Web.Features.WorkOrders.Tier>(),
            ["metrics.by."] = Enum.GetNames<Linli.Web.Features.WorkOrders.MetricsBy>(),
            ["calendar.weekday."] = Enum.GetNames<DayOfWeek>(),
            ["routing.place."] = Enum.GetNames<Linli.Web.Features.WorkOrders.RulePlace>(),
            ["routing.time."] = Enum.GetNames<Linli.Web.Features.WorkOrders.RuleTime>(),
            ["routing.target."] = Enum.GetNames<Linli.Web.Features.WorkOrders.RuleTarget>(),
            ["routing.reason."] = Enum.GetNames<Linli.Web.Features.WorkOrders.RouteReason>(),
            ["calendar.kind."] = Enum.GetNames<Linli.Web.Features.Calendar.CalendarDayKind>(),
            ["import.status."] = Enum.GetNames<Linli.Web.Features.Residents.Import.ImportStatus>(),
            ["import.help."] = Linli.Web.Features.Residents.Import.ImportColumns.All.Select(Linli.Web.Features.Residents.Import.ImportSheet.HelpKey).ToArray(),
        };
        foreach (var problem in Enum.GetNames<Linli.Web.Features.Residents.IdNumber.Problem>().Where(p => p != "None"))
            foreach (var culture in Texts.Cultures)
                Texts.For(culture).ContainsKey("residents.id_" + problem.ToLowerInvariant()).ShouldBeTrue(problem);
        foreach (var (prefix, names) in prefixes)
            foreach (var name in names)
                foreach (var culture in Texts.Cultures)
                    Texts.For(culture).ContainsKey(prefix + name).ShouldBeTrue($"{culture} lacks {prefix}{name}");
    }

    // T["key"], T.Get("key"), t.Get("key"), t["key"], and keys passed to DomainException / validators.
    [GeneratedRegex("\"((?:account|action|app|audit|board|buildings|calendar|categories|communities|console|error|estates|export|field|grids|import|inspections|list|metrics|nav|notifications|notify|oncall|places|portal|prefs|profile|residents|routing|survey|photos|users|validation|workorders)\\.[a-z0-9_]*[a-z0-9])\"")]
    private static partial Regex KeyRegex();
}
