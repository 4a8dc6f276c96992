using System.Globalization;
using Linli.Web.Features.Places;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Residents.Import;

/// <summary>A row that passed every check, ready to be written.</summary>
public sealed record ImportRow(int Row, string Name, IdNumber Id, string? Phone, Home? Home, Occupancy Occupancy, RelationToHead Relation,
    IReadOnlyList<TagKind> Tags, IReadOnlyList<string> CustomTags, string? EmergencyName, string? EmergencyPhone, string? Skills, string? Notes);

/// <summary>
/// The community's homes by how an office writes an address (小区, 楼栋, 单元, 门牌号), loaded once per import.
/// Building numbers are compared without 号楼/栋/幢, entrances without 单元, door numbers without 室 and with or
/// without the entrance prefix (1-101 or 101).
/// </summary>
public sealed class PlaceIndex
{
    private readonly Dictionary<string, Dictionary<string, BuildingHomes>> _estates = new(StringComparer.Ordinal);

    private sealed record BuildingHomes(string Label, Dictionary<(int Entrance, string Number), Home> Homes, int Entrances);

    public static async Task<PlaceIndex> LoadAsync(AppDbContext db, Guid communityId, CancellationToken ct)
    {
        var index = new PlaceIndex();
        var estates = await db.Estates.AsNoTracking().Where(e => e.CommunityId == communityId && !e.IsRetired).Select(e => new { e.Id, e.Name }).ToListAsync(ct);
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.CommunityId == communityId && !b.IsRetired)
            .Select(b => new { b.Id, b.EstateId, b.Number, b.EntranceCount }).ToListAsync(ct);
        var homes = (await db.Homes.AsNoTracking().Where(h => h.CommunityId == communityId).ToListAsync(ct)).ToLookup(h => h.BuildingId);
        foreach (var e in estates)
        {
            var byNumber = new Dictionary<string, BuildingHomes>(StringComparer.Ordinal);
            foreach (var b in buildings.Where(b => b.EstateId == e.Id))
                byNumber[Normalize(b.Number, BuildingSuffixes)] = new BuildingHomes($"{e.Name} {b.Number}号楼",
                    homes[b.Id].ToDictionary(h => (h.EntranceNumber, h.Number)), b.EntranceCount);
            index._estates[Key(e.Name)] = byNumber;
        }
        return index;
    }

    private static readonly string[] BuildingSuffixes = ["号楼", "号", "栋", "幢", "楼", "#"];
    private static readonly string[] EntranceSuffixes = ["单元", "门"];
    private static readonly string[] HomeSuffixes = ["室", "号"];

    private static string Key(string s) => s.Replace(" ", "").Replace("\u3000", "");

    private static string Normalize(string s, string[] suffixes)
    {
        s = Key(s);
        foreach (var suffix in suffixes)
            if (s.Length > suffix.Length && s.EndsWith(suffix, StringComparison.Ordinal)) return s[..^suffix.Length];
        return s;
    }

    /// <summary>The home, or the problem with the address (column, text key, args).</summary>
    public (Home? Home, string? Column, string? Key, object[] Args) Find(string estate, string building, string? entrance, string home)
    {
        if (!_estates.TryGetValue(Key(estate), out var buildings)) return (null, ImportColumns.Estate, "import.unknown_estate", [estate]);
        if (!buildings.TryGetValue(Normalize(building, BuildingSuffixes), out var b)) return (null, ImportColumns.Building, "import.unknown_building", [estate, building]);
        var number = Normalize(home, HomeSuffixes);
        int entranceNumber;
        if (!string.IsNullOrWhiteSpace(entrance))
        {
            if (!int.TryParse(Normalize(entrance, EntranceSuffixes), NumberStyles.None, CultureInfo.InvariantCulture, out entranceNumber))
                return (null, ImportColumns.Entrance, "import.unknown_entrance", [b.Label, entrance]);
        }
        else if (number.Split('-') is [var e, _] && int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var fromNumber)) entranceNumber = fromNumber;
        else if (b.Entrances == 1) entranceNumber = 1;
        else return (null, ImportColumns.Entrance, "import.entrance_required", [b.Label]);
        // 1-101 in the door-number column: the part before the dash is the entrance, and must agree.
        if (number.Split('-') is [var prefix, var rest])
        {
            if (prefix != entranceNumber.ToString(CultureInfo.InvariantCulture)) return (null, ImportColumns.Home, "import.entrance_mismatch", [home, entranceNumber]);
            number = rest;
        }
        return b.Homes.TryGetValue((entranceNumber, number), out var found)
            ? found.IsRetired ? (null, ImportColumns.Home, "residents.home_retired", []) : (found, null, null, [])
            : (null, ImportColumns.Home, "import.unknown_home", [$"{b.Label} {entranceNumber}单元", home]);
    }
}

/// <summary>
/// Checks one row the way the registry's own form does (same rules, same messages), plus what only a sheet can get
/// wrong: an ID number stored as a number, a half-filled address, a relation written in words.
/// </summary>
public sealed class ImportRowChecker(Texts t, PlaceIndex places, DateOnly today)
{
    /// <summary>
    /// The ID numbers already in the file, with their row: a number's first 17 digits (the 18th follows from them) as
    /// a long, so that 100,000 rows hold 2–3 MB here, not the 10 MB of as many strings.
    /// </summary>
    private readonly Dictionary<long, int> _seen = [];

    public ImportRow? Check(int row, IReadOnlyDictionary<string, string?> c, List<ImportProblem> problems)
    {
        var before = problems.Count;
        void Problem(string column, string message) => problems.Add(new ImportProblem(row, column, message));
        string? Get(string column) => c.GetValueOrDefault(column);

        var name = Get(ImportColumns.Name);
        if (name is null) Problem(ImportColumns.Name, t.Get("validation.required", t.Get("field.person_name")));
        else if (name.Length > Resident.NameMax) Problem(ImportColumns.Name, t.Get("validation.too_long", t.Get("field.person_name"), Resident.NameMax));

        IdNumber id = default;
        var rawId = Get(ImportColumns.IdNumber);
        if (rawId is null) Problem(ImportColumns.IdNumber, t.Get("import.id_required"));
        else if (rawId.StartsWith(ImportSheet.NumberMarker, StringComparison.Ordinal)) Problem(ImportColumns.IdNumber, t.Get("import.id_as_number"));
        else
        {
            var problem = IdNumber.TryParse(rawId, out id);
            if (problem != IdNumber.Problem.None) Problem(ImportColumns.IdNumber, t.Get("residents.id_" + problem.ToString().ToLowerInvariant()));
            else
            {
                var key = long.Parse(id.Value.AsSpan(0, 17), NumberStyles.None, CultureInfo.InvariantCulture);
                if (!_seen.TryAdd(key, row)) Problem(ImportColumns.IdNumber, t.Get("import.duplicate_in_file", _seen[key]));
            }
        }
        var idOk = rawId is not null && problems.All(p => p.Row != row || p.Column != ImportColumns.IdNumber);

        if (Get(ImportColumns.Gender) is { } g)
        {
            Gender? gender = g switch { "男" or "M" or "男性" or "Male" or "male" => Residents.Gender.Male, "女" or "F" or "女性" or "Female" or "female" => Residents.Gender.Female, _ => null };
            if (gender is null) Problem(ImportColumns.Gender, t.Get("import.unknown_gender"));
            else if (idOk && gender != id.Gender) Problem(ImportColumns.Gender, t.Get("residents.gender_contradicts_id"));
        }
        if (Get(ImportColumns.BirthDate) is { } b)
        {
            if (!TryDate(b, out var birth)) Problem(ImportColumns.BirthDate, t.Get("import.bad_date", b));
            else if (idOk && birth != id.BirthDate) Problem(ImportColumns.BirthDate, t.Get("residents.birth_contradicts_id", Shared.UiHelpers.Date(id.BirthDate)));
        }
        if (idOk && id.BirthDate > today) Problem(ImportColumns.IdNumber, t.Get("residents.birth_impossible"));

        var phone = Get(ImportColumns.Phone);
        if (phone is not null && !InputValidator.IsMobile(phone)) Problem(ImportColumns.Phone, t.Get("validation.mobile"));
        var emergencyPhone = Get(ImportColumns.EmergencyPhone);
        if (emergencyPhone is not null && !InputValidator.IsMobile(emergencyPhone)) Problem(ImportColumns.EmergencyPhone, t.Get("validation.mobile"));
        var emergencyName = Get(ImportColumns.EmergencyName);
        if (emergencyName is { Length: > 50 }) Problem(ImportColumns.EmergencyName, t.Get("validation.too_long", t.Get("field.emergency_name"), 50));
        var skills = Get(ImportColumns.Skills);
        if (skills is { Length: > 200 }) Problem(ImportColumns.Skills, t.Get("validation.too_long", t.Get("field.skills"), 200));
        var notes = Get(ImportColumns.Notes);
        if (notes is { Length: > 1000 }) Problem(ImportColumns.Notes, t.Get("validation.too_long", t.Get("field.notes"), 1000));

        Home? home = null;
        var (estate, building, entrance, door) = (Get(ImportColumns.Estate), Get(ImportColumns.Building), Get(ImportColumns.Entrance), Get(ImportColumns.Home));
        if (estate is not null || building is not null || entrance is not null || door is not null)
        {
            if (estate is null || building is null || door is null)
                Problem(estate is null ? ImportColumns.Estate : building is null ? ImportColumns.Building : ImportColumns.Home, t.Get("import.address_incomplete"));
            else
            {
                var found = places.Find(estate, building, entrance, door);
                if (found.Home is null) Problem(found.Column!, t.Get(found.Key!, found.Args));
                home = found.Home;
            }
        }

        var relation = RelationToHead.Head;
        if (Get(ImportColumns.Relation) is { } r && !Relations.TryGetValue(r, out relation)) Problem(ImportColumns.Relation, t.Get("import.unknown_relation", r));
        var occupancy = relation == RelationToHead.Head ? Occupancy.Owner : Occupancy.FamilyMember;
        if (Get(ImportColumns.Occupancy) is { } o && !Occupancies.TryGetValue(o, out occupancy)) Problem(ImportColumns.Occupancy, t.Get("import.unknown_occupancy", o));

        var tags = new List<TagKind>();
        var custom = new List<string>();
        if (Get(ImportColumns.Category) is { } categories)
        {
            foreach (var part in categories.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Tags.TryGetValue(part, out var kind)) tags.Add(kind);
                else if (Computed.Contains(part)) continue; // 80岁以上 and 未成年 come from the birth date
                else if (part.Length > ResidentTag.NameMax) Problem(ImportColumns.Category, t.Get("residents.tag_too_long", ResidentTag.NameMax));
                else custom.Add(part);
            }
        }
        if (problems.Count > before) return null;
        return new ImportRow(row, name!, id, phone, home, occupancy, relation, tags, custom, emergencyName, emergencyPhone, skills, notes);
    }

    private static readonly char[] Separators = ['、', ',', '，', ';', '；', '/', ' ', '|'];

    private static bool TryDate(string s, out DateOnly date) =>
        DateOnly.TryParseExact(s, ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static readonly Dictionary<string, RelationToHead> Relations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["户主"] = RelationToHead.Head, ["本人"] = RelationToHead.Head, ["Head"] = RelationToHead.Head,
        ["配偶"] = RelationToHead.Spouse, ["妻"] = RelationToHead.Spouse, ["妻子"] = RelationToHead.Spouse, ["夫"] = RelationToHead.Spouse, ["丈夫"] = RelationToHead.Spouse, ["Spouse"] = RelationToHead.Spouse,
        ["子女"] = RelationToHead.Child, ["子"] = RelationToHead.Child, ["女"] = RelationToHead.Child, ["儿子"] = RelationToHead.Child, ["女儿"] = RelationToHead.Child, ["长子"] = RelationToHead.Child, ["长女"] = RelationToHead.Child, ["次子"] = RelationToHead.Child, ["次女"] = RelationToHead.Child, ["Child"] = RelationToHead.Child,
        ["父母"] = RelationToHead.Parent, ["父亲"] = RelationToHead.Parent, ["母亲"] = RelationToHead.Parent, ["父"] = RelationToHead.Parent, ["母"] = RelationToHead.Parent, ["Parent"] = RelationToHead.Parent,
        ["孙子女"] = RelationToHead.Grandchild, ["孙子"] = RelationToHead.Grandchild, ["孙女"] = RelationToHead.Grandchild, ["外孙"] = RelationToHead.Grandchild, ["外孙女"] = RelationToHead.Grandchild, ["Grandchild"] = RelationToHead.Grandchild,
        ["祖父母"] = RelationToHead.Grandparent, ["祖父"] = RelationToHead.Grandparent, ["祖母"] = RelationToHead.Grandparent, ["外祖父"] = RelationToHead.Grandparent, ["外祖母"] = RelationToHead.Grandparent, ["Grandparent"] = RelationToHead.Grandparent,
        ["兄弟姐妹"] = RelationToHead.Sibling, ["兄"] = RelationToHead.Sibling, ["弟"] = RelationToHead.Sibling, ["姐"] = RelationToHead.Sibling, ["妹"] = RelationToHead.Sibling, ["Sibling"] = RelationToHead.Sibling,
        ["儿媳/女婿"] = RelationToHead.ChildInLaw, ["儿媳"] = RelationToHead.ChildInLaw, ["女婿"] = RelationToHead.ChildInLaw, ["ChildInLaw"] = RelationToHead.ChildInLaw,
        ["其他"] = RelationToHead.Other, ["其它"] = RelationToHead.Other, ["Other"] = RelationToHead.Other,
    };

    private static readonly Dictionary<string, Occupancy> Occupancies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["业主"] = Occupancy.Owner, ["自有"] = Occupancy.Owner, ["自住"] = Occupancy.Owner, ["产权人"] = Occupancy.Owner, ["Owner"] = Occupancy.Owner,
        ["租户"] = Occupancy.Tenant, ["租住"] = Occupancy.Tenant, ["租房"] = Occupancy.Tenant, ["承租人"] = Occupancy.Tenant, ["Tenant"] = Occupancy.Tenant,
        ["家庭成员"] = Occupancy.FamilyMember, ["家属"] = Occupancy.FamilyMember, ["共同居住"] = Occupancy.FamilyMember, ["FamilyMember"] = Occupancy.FamilyMember,
    };

    private static readonly Dictionary<string, TagKind> Tags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["独居"] = TagKind.LivingAlone, ["独居老人"] = TagKind.LivingAlone, ["LivingAlone"] = TagKind.LivingAlone,
        ["空巢"] = TagKind.EmptyNest, ["空巢老人"] = TagKind.EmptyNest, ["EmptyNest"] = TagKind.EmptyNest,
        ["残疾"] = TagKind.Disabled, ["残疾人"] = TagKind.Disabled, ["Disabled"] = TagKind.Disabled,
        ["失独"] = TagKind.BereavedOfOnlyChild, ["失独家庭"] = TagKind.BereavedOfOnlyChild, ["BereavedOfOnlyChild"] = TagKind.BereavedOfOnlyChild,
        ["低保"] = TagKind.LowIncome, ["低保户"] = TagKind.LowIncome, ["低收入"] = TagKind.LowIncome, ["LowIncome"] = TagKind.LowIncome,
        ["党员"] = TagKind.PartyMember, ["中共党员"] = TagKind.PartyMember, ["PartyMember"] = TagKind.PartyMember,
        ["退役军人"] = TagKind.Veteran, ["复员军人"] = TagKind.Veteran, ["Veteran"] = TagKind.Veteran,
        ["失能"] = TagKind.DisabledCare, ["失能老人"] = TagKind.DisabledCare, ["失能半失能"] = TagKind.DisabledCare, ["DisabledCare"] = TagKind.DisabledCare,
    };

    private static readonly HashSet<string> Computed = ["80岁以上", "八十岁以上", "高龄", "高龄老人", "未成年", "未成年人"];
}
