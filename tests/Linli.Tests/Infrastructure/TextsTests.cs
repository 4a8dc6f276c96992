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

    /// <summary>Every .cs and .cshtml of the app (migrations aside) with its text.</summary>
    private static IEnumerable<(string Path, string Text)> Sources() =>
        Directory.EnumerateFiles(SourceRoot(), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)) && !f.Contains("/obj/") && !f.Contains("/bin/") && !f.Contains("Migrations"))
            .Select(f => (f, File.ReadAllText(f)));

    /// <summary>The first segments of the keys the modules define ("workorders", "field", …): found, not listed.</summary>
    private static HashSet<string> Prefixes() => Texts.For(Texts.Chinese).Keys.Select(k => k[..k.IndexOf('.')]).ToHashSet();

    [Fact]
    public void Every_module_carries_its_texts_in_both_languages()
    {
        var files = Texts.Files().ToList();
        files.Select(f => f.Module).Distinct().Count().ShouldBeGreaterThan(10);
        foreach (var module in files.GroupBy(f => f.Module))
            module.Select(f => f.Culture).Order().ShouldBe(Texts.Cultures.Order(), module.Key);
        // Each text file lies beside its module's code, in its Texts/ folder.
        foreach (var (module, culture, _) in files)
            File.Exists(Path.Combine(SourceRoot(), module, "Texts", culture + ".json")).ShouldBeTrue($"{module}/Texts/{culture}.json");
    }

    [Fact]
    public void Every_text_key_used_in_the_code_exists_in_both_languages()
    {
        var prefixes = Prefixes();
        var used = new HashSet<string>();
        foreach (var (_, text) in Sources())
            foreach (Match m in KeyRegex().Matches(text))
                if (prefixes.Contains(m.Groups[1].Value)) used.Add(m.Groups[0].Value.Trim('"'));
        used.Count.ShouldBeGreaterThan(100);
        var missing = used.Where(k => !Texts.For(Texts.Chinese).ContainsKey(k) || !Texts.For(Texts.English).ContainsKey(k)).Order().ToList();
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Every_text_key_is_used_by_some_code()
    {
        // A key is used when the code names it, or builds it from a named stem: "workorders.status." + s, $"tag.{kind}".
        var literals = new HashSet<string>();
        var stems = new List<string>();
        foreach (var (_, text) in Sources())
        {
            foreach (Match m in LiteralRegex().Matches(text))
            {
                var value = m.Groups[1].Value;
                if (value.EndsWith('.') || value.EndsWith('_')) stems.Add(value);
                else literals.Add(value);
            }
            foreach (Match m in InterpolatedStemRegex().Matches(text)) stems.Add(m.Groups[1].Value);
        }
        var unused = Texts.For(Texts.Chinese).Keys.Where(k => !literals.Contains(k) && !stems.Any(k.StartsWith)).Order().ToList();
        unused.ShouldBeEmpty();
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

    // A string literal shaped like a key: "prefix.rest" (kept when the prefix is one the texts define).
    [GeneratedRegex("\"([a-z_]+)\\.[a-z0-9_.]*[a-z0-9]\"")]
    private static partial Regex KeyRegex();

    // Any literal that could be a key or a key's stem ("workorders.status.", "residents.id_").
    [GeneratedRegex("\"([a-z_]+(?:\\.[a-zA-Z0-9_]+)*\\.?)\"")]
    private static partial Regex LiteralRegex();

    // $"workorders.status.{s}" and $"tag.{kind}": the stem before the first hole.
    [GeneratedRegex("\\$\"([a-z_]+(?:\\.[a-zA-Z0-9_]+)*\\.)\\{")]
    private static partial Regex InterpolatedStemRegex();
}
