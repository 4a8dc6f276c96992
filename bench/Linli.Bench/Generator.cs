using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Bogus;
using Linli.Web.Features.Grids;
using Linli.Web.Features.Places;
using Linli.Web.Features.Places.Divisions;
using Linli.Web.Features.Residents;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Privacy;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Linli.Bench;

public sealed record GeneratorSettings(DatabaseProvider Provider, string ConnectionString, string KeysPath, int Residents, int Communities,
    string? LargeCommunityCode, int LargeResidents, int Seed);

public sealed record GeneratorResult(long Residents, long Rows, int Communities, double LoadSeconds, double AnalyzeSeconds, double TotalSeconds,
    Guid? LargeCommunityId);

/// <summary>
/// Makes communities (from real community divisions of the bundled data), estates, buildings with their entrances
/// and homes (the app's <see cref="Building.Create"/>), grids, households and residents with tags, through the app's
/// entities and their rules, and writes them straight into the database with <see cref="BulkWriter"/>. Generating
/// (one thread) and writing (another) overlap through a small channel of per-community batches.
/// </summary>
public static class Generator
{
    public static AppDbContext Context(DatabaseProvider provider, string connectionString)
    {
        var scope = new TenantScope(new HttpContextAccessor());
        scope.UseSystem();
        return DataSetup.CreateContext(provider, connectionString, scope);
    }

    public static IFieldCrypto Crypto(string keysPath) =>
        new AesGcmFieldCrypto(FieldCryptoKeys.Load(new ConfigurationBuilder().Build(), Path.GetFullPath(keysPath)));

    public static async Task<GeneratorResult> RunAsync(GeneratorSettings s, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var crypto = Crypto(s.KeysPath);
        await using var db = Context(s.Provider, s.ConnectionString);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await db.Database.MigrateAsync(ct);
        if (!await db.Divisions.AnyAsync(ct))
        {
            // The same divisions the demo imports: 石家庄 (1301) and 太原 (1401).
            var bundled = ChinaDivisionReader.ReadBundled().ToList();
            await DivisionImport.ImportAsync(db, ChinaDivisionReader.Within(bundled, "1301").Concat(ChinaDivisionReader.Within(bundled, "1401")).DistinctBy(d => d.Code), ct);
            db.ChangeTracker.Clear();
        }
        var plan = await PlanAsync(db, s, ct);
        Log.Line($"generate: {s.Residents:N0} residents into {plan.Count} communities ({s.Provider}); migrations and plan took {total.Elapsed.TotalSeconds:F1} s");

        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        if (s.Provider == DatabaseProvider.Sqlite)
        {
            // One writer, one transaction: no fsync per row, a large page cache, temporary b-trees in memory.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        var load = Stopwatch.StartNew();
        var writer = new BulkWriter(db, connection);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            writer.UseTransaction(tx);
            var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var producer = Task.Run(async () =>
            {
                try
                {
                    var factory = new CommunityFactory(s.Seed, crypto, plan.Districts);
                    foreach (var p in plan) await batches.Writer.WriteAsync(factory.Build(p), ct);
                    batches.Writer.Complete();
                }
                catch (Exception e)
                {
                    batches.Writer.Complete(e);
                }
            }, ct);
            long residents = 0;
            var lastLog = Stopwatch.StartNew();
            await foreach (var b in batches.Reader.ReadAllAsync(ct))
            {
                await writer.WriteAsync(b.Communities, ct);
                await writer.WriteAsync(b.Estates, ct);
                await writer.WriteAsync(b.Buildings, ct);
                await writer.WriteAsync(b.Entrances, ct);
                await writer.WriteAsync(b.Homes, ct);
                await writer.WriteAsync(b.Grids, ct);
                await writer.WriteAsync(b.GridAreas, ct);
                await writer.WriteAsync(b.GridMembers, ct);
                await writer.WriteAsync(b.Residents, ct);
                await writer.WriteAsync(b.Residences, ct);
                await writer.WriteAsync(b.Tags, ct);
                residents += b.Residents.Count;
                if (lastLog.Elapsed.TotalSeconds >= 10 || b.Residents.Count >= 20_000)
                {
                    Log.Line($"generate: {residents:N0} residents, {writer.Rows:N0} rows in {load.Elapsed.TotalSeconds:F0} s ({writer.Rows / load.Elapsed.TotalSeconds:N0} rows/s); last: {b.Name}, {b.Residents.Count:N0} residents");
                    lastLog.Restart();
                }
            }
            await producer;
            await tx.CommitAsync(ct);
        }
        var loadSeconds = load.Elapsed.TotalSeconds;
        Log.Line($"generate: committed {writer.Rows:N0} rows in {loadSeconds:F1} s");

        // Statistics for the planner (and, on PostgreSQL, the visibility map that index-only scans need), as
        // autovacuum would leave them after such a load.
        var analyze = Stopwatch.StartNew();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandTimeout = 1800;
            cmd.CommandText = s.Provider == DatabaseProvider.Postgres ? "VACUUM (ANALYZE)" : "ANALYZE";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        analyze.Stop();
        Log.Line($"generate: {(s.Provider == DatabaseProvider.Postgres ? "VACUUM (ANALYZE)" : "ANALYZE")} took {analyze.Elapsed.TotalSeconds:F1} s");
        await connection.CloseAsync();
        await SelfCheckAsync(s, crypto, plan, ct);
        return new GeneratorResult(s.Residents, writer.Rows, plan.Count, loadSeconds, analyze.Elapsed.TotalSeconds, total.Elapsed.TotalSeconds,
            plan.FirstOrDefault(p => p.IsLarge)?.Community.Id);
    }

    /// <summary>Reads back through the app's model what was written: counts, and one resident's ID number decrypted and parsed.</summary>
    private static async Task SelfCheckAsync(GeneratorSettings s, IFieldCrypto crypto, Plan plan, CancellationToken ct)
    {
        await using var db = Context(s.Provider, s.ConnectionString);
        var biggest = plan.OrderByDescending(p => p.Residents).First();
        var count = await db.Residents.CountAsync(r => r.CommunityId == biggest.Community.Id, ct);
        var sample = await db.Residents.Include(r => r.Residences).Include(r => r.Tags)
            .Where(r => r.CommunityId == biggest.Community.Id && r.IdNumberCipher != null).OrderBy(r => r.Id).FirstAsync(ct);
        var plain = crypto.Decrypt(sample.IdNumberCipher!);
        if (IdNumber.TryParse(plain, out var id) != IdNumber.Problem.None || crypto.LookupHash(id.Value) != sample.IdNumberHash || id.Masked != sample.IdNumberMasked
            || id.BirthDate != sample.BirthDate || sample.Current is null)
            throw new BenchException($"self-check: resident {sample.Id} does not read back as written");
        if (count < biggest.Residents) throw new BenchException($"self-check: {biggest.Community.ShortName} has {count} residents, expected at least {biggest.Residents}");
        Log.Line($"self-check: {biggest.Community.ShortName} has {count:N0} residents; e.g. {sample.Name} {id.Masked} ({sample.Gender}, born {sample.BirthDate}), " +
                 $"tags [{string.Join(", ", sample.Tags.Select(t => t.Kind))}]: reads back through the app's model and crypto");
    }

    private sealed class Plan : List<CommunityPlan>
    {
        public List<string> Districts { get; } = [];
    }

    public sealed record CommunityPlan(Community Community, int Residents, bool IsNew, bool IsLarge, string SubdistrictName,
        HashSet<string> EstateNames, HashSet<string> GridNames, HashSet<string> IdHashes);

    /// <summary>Which communities get how many residents: new ones from unused urban community divisions, spread over the subdistricts.</summary>
    private static async Task<Plan> PlanAsync(AppDbContext db, GeneratorSettings s, CancellationToken ct)
    {
        var random = new Random(s.Seed);
        var now = DateTime.UtcNow;
        var plan = new Plan();
        var names = await db.Divisions.Where(d => d.Level == DivisionLevel.Subdistrict || d.Level == DivisionLevel.District)
            .ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        plan.Districts.AddRange(names.Keys.Where(k => k.Length == 6).Order());
        var used = (await db.Communities.Select(c => c.DivisionCode).ToListAsync(ct)).ToHashSet();
        var rest = s.Residents;
        if (s.LargeCommunityCode is { } code)
        {
            var large = Math.Min(s.LargeResidents, s.Residents);
            var existing = await db.Communities.FirstOrDefaultAsync(c => c.DivisionCode == code, ct);
            var community = existing ?? new Community(await db.Divisions.FirstOrDefaultAsync(d => d.Code == code && d.Level == DivisionLevel.Community, ct)
                ?? throw new UsageException($"--large-community {code}: no such community division"), null, null, null, now);
            plan.Add(await ExistingPartsAsync(db, community, large, existing is null, isLarge: true, names, ct));
            used.Add(code);
            rest -= large;
        }
        var count = rest > 0 ? s.Communities : 0;
        var candidates = (await db.Divisions.Where(d => d.Level == DivisionLevel.Community).OrderBy(d => d.Code).ToListAsync(ct))
            .Where(d => !used.Contains(d.Code) && Community.ShortNameOf(d.Name).EndsWith("社区", StringComparison.Ordinal) && !d.Name.Contains("虚拟")).ToList();
        if (candidates.Count < count) throw new UsageException($"--communities {count}: only {candidates.Count} unused urban community divisions are loaded");
        var chosen = candidates.OrderBy(_ => random.Next()).Take(count).ToList();
        // Sizes vary ±50 % around the mean; the last one takes what is left.
        var weights = chosen.Select(_ => 0.5 + random.NextDouble()).ToList();
        var sum = weights.Sum();
        var others = rest;
        for (var i = 0; i < chosen.Count; i++)
        {
            var n = i == chosen.Count - 1 ? rest : Math.Min(rest, (int)(others * weights[i] / sum));
            rest -= n;
            plan.Add(await ExistingPartsAsync(db, new Community(chosen[i], null, null, null, now), n, isNew: true, isLarge: false, names, ct));
        }
        return plan;
    }

    private static async Task<CommunityPlan> ExistingPartsAsync(AppDbContext db, Community c, int residents, bool isNew, bool isLarge,
        Dictionary<string, string> names, CancellationToken ct)
    {
        var subdistrict = names.GetValueOrDefault(c.SubdistrictCode, "");
        if (isNew) return new(c, residents, true, isLarge, subdistrict, [], [], []);
        return new(c, residents, false, isLarge, subdistrict,
            (await db.Estates.Where(e => e.CommunityId == c.Id).Select(e => e.Name).ToListAsync(ct)).ToHashSet(),
            (await db.Grids.Where(g => g.CommunityId == c.Id).Select(g => g.Name).ToListAsync(ct)).ToHashSet(),
            (await db.Residents.Where(r => r.CommunityId == c.Id && r.IdNumberHash != null).Select(r => r.IdNumberHash!).ToListAsync(ct)).ToHashSet());
    }

    public sealed class Batch(string name)
    {
        public string Name { get; } = name;
        public List<Community> Communities { get; } = [];
        public List<Estate> Estates { get; } = [];
        public List<Building> Buildings { get; } = [];
        public List<Entrance> Entrances { get; } = [];
        public List<Home> Homes { get; } = [];
        public List<Grid> Grids { get; } = [];
        public List<GridArea> GridAreas { get; } = [];
        public List<GridMember> GridMembers { get; } = [];
        public List<Resident> Residents { get; } = [];
        public List<Residence> Residences { get; } = [];
        public List<ResidentTag> Tags { get; } = [];
    }

    /// <summary>One community's estates, buildings, grids, households and residents, made through the app's entities.</summary>
    private sealed class CommunityFactory(int seed, IFieldCrypto crypto, IReadOnlyList<string> districts)
    {
        private readonly Random _random = new(seed);
        private readonly People _people = new(new Random(seed + 1), new Faker("zh_CN") { Random = new Randomizer(seed + 2) },
            DateOnly.FromDateTime(DateTime.UtcNow + Web.Infrastructure.Time.ChinaTime.Offset));
        private readonly DateTime _now = DateTime.UtcNow;

        private static readonly string[] EstateWords =
        [
            "阳光", "金色", "翠苑", "和平", "建设", "友谊", "华联", "东方", "紫荆", "碧水", "锦绣", "康乐", "幸福", "光明", "青园", "丽景", "盛世",
            "万科", "保利", "恒大", "融创", "绿地", "中海", "富力", "怡然", "馨园", "春晓", "长安", "体育", "槐北", "裕华", "育才", "红旗", "胜利",
            "天山", "世纪", "美林", "欧韵", "朝阳", "北国", "泰华", "金域", "荣盛", "润江", "瑞城", "嘉和", "欣悦", "银河", "丰收", "博雅",
        ];
        private static readonly string[] EstateKinds = ["小区", "花园", "家园", "苑", "新村", "公寓", "嘉园", "名邸", "华府", "雅居", "佳苑", "东区", "西区"];
        private static readonly string[] WorkUnitEstates = ["棉一宿舍", "棉三宿舍", "华药宿舍", "铁路宿舍", "电业宿舍", "邮电宿舍", "机床厂宿舍", "建设局宿舍", "印染厂宿舍", "二十冶宿舍"];
        private static readonly string[] Roads = ["建设大街", "中山路", "和平路", "胜利大街", "友谊大街", "体育大街", "裕华路", "槐安路", "育才街", "平安大街", "红旗大街", "塔南路", "东岗路", "翟营大街"];
        private static readonly string[] Skills = ["理发", "缝纫", "家电维修", "书法", "电脑维修", "推拿", "修自行车", "厨艺", "剪纸", "太极拳"];

        public Batch Build(CommunityPlan p)
        {
            var c = p.Community;
            var batch = new Batch(c.ShortName);
            if (p.IsNew)
            {
                c.Update(c.ShortName, $"{p.SubdistrictName}{_people.Pick(Roads)}{_people.Between(1, 400)}号", null, null);
                batch.Communities.Add(c);
            }

            var households = Households(p.Residents);
            var homes = new List<Home>();
            var homesNeeded = (int)Math.Ceiling(households.Count / (0.86 + _random.NextDouble() * 0.08));
            while (homes.Count < homesNeeded)
            {
                var estate = new Estate(c.Id, EstateName(p.EstateNames), $"{_people.Pick(Roads)}{_people.Between(1, 600)}号",
                    _people.Chance(0.6) ? _people.Pick(EstateWords) + "物业" : null, _now);
                batch.Estates.Add(estate);
                var era = _random.Next(3);
                var target = Math.Min(_people.Between(300, 1500), homesNeeded - homes.Count);
                var estateHomes = 0;
                for (var n = 1; estateHomes < target; n++)
                {
                    var (floors, entrances, perFloor) = era switch
                    {
                        0 => (_people.Pick(new[] { 5, 6, 6, 6, 7 }), _people.Between(2, 4), 2),       // 1980s–90s walk-ups
                        1 => (_people.Between(9, 12), 2, 2),                                        // 2000s mid-rise with a lift
                        _ => (_people.Between(18, 33), _people.Between(1, 2), _people.Between(2, 4)), // 2010s high-rise
                    };
                    var building = Building.Create(estate, n.ToString(CultureInfo.InvariantCulture), BuildingKind.Residential, floors, entrances, perFloor, _now);
                    batch.Buildings.Add(building);
                    batch.Entrances.AddRange(building.Entrances);
                    batch.Homes.AddRange(building.Homes);
                    homes.AddRange(building.Homes);
                    estateHomes += building.Homes.Count;
                }
            }
            AddGrids(p, batch);

            // Households into randomly chosen homes; the rest stay empty (sold but not lived in, or between tenants).
            var shuffled = homes.OrderBy(_ => _random.Next()).ToList();
            for (var i = 0; i < households.Count; i++) MoveIn(p, batch, households[i], shuffled[i], shuffled);
            return batch;
        }

        private string EstateName(HashSet<string> taken)
        {
            for (var attempt = 0; ; attempt++)
            {
                var name = attempt < 50 && _people.Chance(0.08) ? _people.Pick(WorkUnitEstates)
                    : _people.Pick(EstateWords) + _people.Pick(EstateKinds) + (attempt >= 50 ? (attempt - 49).ToString(CultureInfo.InvariantCulture) : "");
                if (taken.Add(name)) return name;
            }
        }

        /// <summary>Grids of whole buildings, about 350 homes each, numbered on from the community's existing grids.</summary>
        private void AddGrids(CommunityPlan p, Batch batch)
        {
            Grid? grid = null;
            var homes = 0;
            var number = p.GridNames.Count;
            foreach (var building in batch.Buildings)
            {
                if (grid is null || homes >= 350)
                {
                    string name;
                    do name = $"第{Chinese(++number)}网格"; while (!p.GridNames.Add(name));
                    grid = Grid.Create(p.Community.Id, name, _now);
                    batch.Grids.Add(grid);
                    var chiefGender = _people.Chance(0.6) ? Gender.Female : Gender.Male;
                    batch.GridMembers.Add(grid.AddMember(RedButlerRole.GridChief, _people.Name(chiefGender, _people.Between(1965, 1995)), _people.Mobile(), null));
                    homes = 0;
                }
                batch.GridAreas.Add(grid.Assign(building, 0, [], null));
                homes += building.Homes.Count;
            }
        }

        private static string Chinese(int n)
        {
            const string digits = "零一二三四五六七八九";
            if (n < 10) return digits[n].ToString();
            if (n < 20) return "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString());
            if (n < 100) return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString());
            return n.ToString(CultureInfo.InvariantCulture);
        }

        private enum Kind { ElderAlone, YoungAlone, ElderCouple, YoungCouple, Nuclear, ThreeGenerations, ElderWithChild }

        private sealed record Person(Gender Gender, int Age, RelationToHead Relation, string? Surname = null);

        private sealed record Household(Kind Kind, List<Person> People);

        // Weights of household kinds in an old urban community: many elderly, 2.7 people per household on average.
        private static readonly (Kind Kind, int Weight)[] Kinds =
        [
            (Kind.ElderAlone, 10), (Kind.YoungAlone, 8), (Kind.ElderCouple, 22), (Kind.YoungCouple, 7), (Kind.Nuclear, 30),
            (Kind.ThreeGenerations, 15), (Kind.ElderWithChild, 8),
        ];

        /// <summary>Households whose sizes add up to exactly <paramref name="residents"/>.</summary>
        private List<Household> Households(int residents)
        {
            var list = new List<Household>();
            var left = residents;
            while (left > 0)
            {
                var h = OneHousehold();
                if (h.People.Count > left) h = h with { People = h.People.Take(left).ToList() };
                list.Add(h);
                left -= h.People.Count;
            }
            return list;
        }

        private Household OneHousehold()
        {
            var roll = _random.Next(Kinds.Sum(k => k.Weight));
            var kind = Kinds[0].Kind;
            foreach (var (k, w) in Kinds)
            {
                if (roll < w) { kind = k; break; }
                roll -= w;
            }
            var people = new List<Person>();
            var headIsMan = _people.Chance(0.7);
            Gender G(bool man) => man ? Gender.Male : Gender.Female;
            void Couple(int min, int max)
            {
                var husband = _people.Between(min, max);
                var wife = Math.Max(min - 2, husband - _people.Between(0, 5));
                people.Add(new Person(G(headIsMan), headIsMan ? husband : wife, RelationToHead.Head));
                people.Add(new Person(G(!headIsMan), headIsMan ? wife : husband, RelationToHead.Spouse));
            }
            void Children(int motherAge, int count)
            {
                for (var i = 0; i < count; i++)
                {
                    var age = motherAge - _people.Between(23, 36);
                    if (age >= 0) people.Add(new Person(G(_people.Chance(0.51)), age, RelationToHead.Child));
                }
            }
            switch (kind)
            {
                case Kind.ElderAlone:
                    people.Add(new Person(G(_people.Chance(0.35)), _people.Between(65, 96), RelationToHead.Head));
                    break;
                case Kind.YoungAlone:
                    people.Add(new Person(G(_people.Chance(0.55)), _people.Between(22, 45), RelationToHead.Head));
                    break;
                case Kind.ElderCouple:
                    Couple(55, 92);
                    break;
                case Kind.YoungCouple:
                    Couple(24, 40);
                    break;
                case Kind.Nuclear:
                    Couple(28, 58);
                    Children(people.Min(x => x.Age), _people.Chance(0.7) ? 1 : 2);
                    break;
                case Kind.ThreeGenerations:
                    Couple(32, 50);
                    Children(people.Min(x => x.Age), _people.Chance(0.6) ? 1 : 2);
                    var headAge = people[0].Age;
                    var parents = _people.Chance(0.5) ? 2 : 1;
                    for (var i = 0; i < parents; i++) people.Add(new Person(G(i == 0 ? _people.Chance(0.3) : true), Math.Min(98, headAge + _people.Between(23, 32)), RelationToHead.Parent));
                    break;
                case Kind.ElderWithChild:
                    var elder = _people.Between(58, 90);
                    people.Add(new Person(G(_people.Chance(0.35)), elder, RelationToHead.Head));
                    people.Add(new Person(G(_people.Chance(0.5)), Math.Max(18, elder - _people.Between(24, 34)), RelationToHead.Child));
                    break;
            }
            return new Household(kind, people);
        }

        private void MoveIn(CommunityPlan p, Batch batch, Household h, Home home, List<Home> allHomes)
        {
            var c = p.Community;
            var today = _people.Today;
            var surname = _people.Surname();
            var headAge = h.People[0].Age;
            // Moved in when the head was an adult, within the last 28 years.
            var latestYears = Math.Min(28, Math.Max(0, headAge - 18));
            var from = today.AddDays(-_random.Next(30, 30 + latestYears * 365 + 1));
            var earlierHome = _people.Chance(0.05) ? allHomes[_random.Next(allHomes.Count)] : null;
            var earlierFrom = from.AddYears(-_people.Between(2, 10));
            var lowIncome = _people.Chance(0.03);
            var tenant = h.Kind is Kind.YoungAlone or Kind.YoungCouple ? _people.Chance(0.4) : _people.Chance(0.08);
            foreach (var person in h.People)
            {
                var birth = _people.BirthDate(person.Age);
                // Children and the head's spouse or parents carry their own family's name only sometimes; children the head's.
                var name = _people.Name(person.Gender, birth.Year, person.Relation is RelationToHead.Head or RelationToHead.Child ? surname : null);
                var r = new Resident(c.Id, name, _now);
                var area = _people.Chance(0.88) ? c.DistrictCode : _people.Pick(districts);
                IdNumber id;
                string hash;
                do
                {
                    id = _people.IdNumber(area, birth, person.Gender);
                    hash = crypto.LookupHash(id.Value);
                } while (!p.IdHashes.Add(hash));
                r.SetIdNumber(id, crypto.Encrypt(id.Value), hash);
                var age = person.Age;
                var hasPhone = age switch { < 12 => false, < 16 => _people.Chance(0.4), < 80 => _people.Chance(0.96), _ => _people.Chance(0.55) };
                var emergency = age >= 60 && _people.Chance(0.7);
                r.Update(name, null, null, hasPhone ? _people.Mobile() : null,
                    emergency ? _people.Name(_people.Chance(0.5) ? Gender.Female : Gender.Male, birth.Year + 28, surname) : null,
                    emergency ? _people.Mobile() : null,
                    age is >= 25 and < 85 && _people.Chance(0.02) ? _people.Pick(Skills) : null, null, _now);
                var moved = from < birth ? birth : from;
                if (earlierHome is not null && earlierHome != home && earlierFrom > birth) r.MoveTo(earlierHome, Occupancy.FamilyMember, person.Relation, earlierFrom);
                r.MoveTo(home, person.Relation == RelationToHead.Head ? (tenant ? Occupancy.Tenant : Occupancy.Owner) : Occupancy.FamilyMember, person.Relation, moved);
                r.SetTags(Tags(h.Kind, person, lowIncome), _people.Chance(0.002) ? ["楼长"] : []);
                foreach (var t in r.Tags.Where(t => t.IsSensitive && _people.Chance(0.02)).ToList()) r.SetConsent(t.Kind, false);
                batch.Residents.Add(r);
                batch.Residences.AddRange(r.Residences);
                batch.Tags.AddRange(r.Tags);
            }
        }

        private List<TagKind> Tags(Kind kind, Person p, bool lowIncome)
        {
            var tags = new List<TagKind>();
            if (kind == Kind.ElderAlone) tags.Add(TagKind.LivingAlone);
            if (kind == Kind.ElderCouple) tags.Add(TagKind.EmptyNest);
            if (kind is Kind.ElderAlone or Kind.ElderCouple && _people.Chance(0.01)) tags.Add(TagKind.BereavedOfOnlyChild);
            if (p.Age >= 18 && _people.Chance(p.Age >= 60 ? 0.12 : 0.06)) tags.Add(TagKind.PartyMember);
            if (p.Gender == Gender.Male && p.Age >= 40 && _people.Chance(0.03)) tags.Add(TagKind.Veteran);
            if (_people.Chance(p.Age >= 70 ? 0.05 : 0.015))
            {
                tags.Add(TagKind.Disabled);
                if (_people.Chance(0.3)) tags.Add(TagKind.DisabledCare);
            }
            if (lowIncome) tags.Add(TagKind.LowIncome);
            return tags;
        }
    }
}
