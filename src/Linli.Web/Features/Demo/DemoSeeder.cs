using System.Globalization;
using Linli.Web.Features.Grids;
using Linli.Web.Features.Places;
using Linli.Web.Features.Places.Divisions;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Operations;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Linli.Web.Features.Demo;

/// <summary>
/// The demo: the communities of the newspaper reports (shared/seeds) with their official division codes and the
/// facts the reports give, some estates, buildings and grids, and one account per role. Loaded only into an empty
/// database and only when <c>Demo:Seed</c> is true (the default in Development). People in the reports are real;
/// the demo accounts use invented names.
/// </summary>
public static class DemoSeeder
{
    public const string Password = "Linli@2026";
    /// <summary>The TOTP key of the demo staff accounts (base32). Demo only: real staff enrol their own.</summary>
    public const string TotpKey = "LINLIDEMOSTAFFTOTPKEY23456ABCDEF";

    public sealed record DemoCommunity(string Code, string ShortName, string Address, DateOnly? Founded, (string Name, string? Property, int Buildings, int Entrances, int Floors, int HomesPerFloor, BuildingKind Kind)[] Estates);

    public static readonly DemoCommunity[] Communities =
    [
        new("130108007024", "融华府社区", "石家庄市裕华区东岗路51号", new DateOnly(2022, 9, 1),
            [("融创裕华壹号", "融创物业", 6, 2, 18, 2, BuildingKind.Residential), ("东华国樾府", "东华物业", 4, 2, 26, 2, BuildingKind.Residential)]),
        new("130105013019", "阳光社区", "石家庄市新华区赵陵北路15号", null,
            [("都市阳光小区", "都市阳光物业", 20, 2, 18, 2, BuildingKind.Residential)]),
        new("140109011005", "光华街社区", "太原市万柏林区小井峪街道", null, []),
        new("140109004009", "和泽苑社区", "太原市万柏林区兴华街道", null, []),
        new("130104016001", "东风路南社区", "石家庄市桥西区东风路", null,
            [("邮电园小区", null, 4, 3, 6, 2, BuildingKind.Residential)]),
        new("130105017007", "明珠花苑社区", "石家庄市新华区颐宏路东5号", null,
            [("明珠花苑南区", "明珠物业", 3, 2, 11, 2, BuildingKind.Residential), ("明珠花苑北区", "明珠物业", 3, 2, 11, 2, BuildingKind.Residential),
             ("安华家园", null, 2, 3, 6, 2, BuildingKind.Residential), ("明珠园", null, 2, 2, 6, 2, BuildingKind.Residential)]),
        new("130108009008", "智汇城社区", "石家庄市裕华区体育南大街386号", new DateOnly(2022, 9, 1),
            [("东南智汇城6号院", "智汇城物业", 3, 2, 26, 3, BuildingKind.Residential), ("东南智汇城7号院", "智汇城物业", 3, 2, 26, 3, BuildingKind.Residential),
             ("东南智汇城8号院", "智汇城物业", 2, 2, 26, 3, BuildingKind.Residential), ("东南智汇城9号院", "智汇城物业", 2, 2, 26, 3, BuildingKind.Residential)]),
        new("130104010006", "3502社区", "石家庄市桥西区新华路598号", null,
            [("际华苑小区", null, 6, 3, 6, 2, BuildingKind.Residential)]),
        new("130102010009", "北翟营社区", "石家庄市长安区长丰街道", new DateOnly(2012, 1, 1),
            [("亚龙花园", "亚龙物业", 5, 2, 11, 2, BuildingKind.Residential)]),
    ];

    public sealed record DemoAccount(string Phone, string Name, string Role, string? CommunityCode, string? SubdistrictCode = null, string? GridName = null);

    public static readonly DemoAccount[] Accounts =
    [
        new("13800000001", "李春华", Roles.Secretary, "130108007024"),
        new("13800000002", "赵文静", Roles.Staff, "130108007024"),
        new("13800000003", "孙建国", Roles.GridMember, "130108007024", GridName: "第一网格"),
        new("13800000004", "周立新", Roles.PropertyStaff, "130108007024"),
        new("13800000005", "吴明远", Roles.PartnerMember, "130108007024"),
        new("13800000006", "郑晓燕", Roles.Volunteer, "130108007024"),
        new("13800000007", "冯志强", Roles.SubdistrictAdmin, null, SubdistrictCode: "130108007"),
        new("13800000008", "陈立", Roles.SystemAdmin, null),
        new("13800000009", "褚安平", Roles.SecurityAdmin, null),
        new("13800000010", "卫明审", Roles.AuditAdmin, null),
        new("13800000011", "蒋晓红", Roles.Secretary, "130105013019"),
        new("13900000001", "王秀兰", Roles.Resident, "130108007024"),
    ];

    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddStartupTask<DemoSeed>();
        return builder;
    }

    /// <summary>The demo, last of the start-up tasks: on an empty database with Demo:Seed (roles and the calendar are the platform's).</summary>
    private sealed class DemoSeed : IStartupTask
    {
        public int Order => 1000;

        public Task RunAsync(IServiceProvider services, CancellationToken ct) => SeedDemoIfEmptyAsync(services, ct);
    }

    private static async Task SeedDemoIfEmptyAsync(IServiceProvider sp, CancellationToken ct)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var config = sp.GetRequiredService<IConfiguration>();
        if (!config.GetValue<bool>("Demo:Seed")) return;
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Linli.Demo");
        if (!await db.Communities.AnyAsync(ct))
        {
            await SeedAsync(sp, ct);
            log.LogInformation("Demo data loaded: {Communities} communities", Communities.Length);
        }
        var lifetime = sp.GetRequiredService<IHostApplicationLifetime>();
        var server = sp.GetRequiredService<IServer>();
        lifetime.ApplicationStarted.Register(() => PrintLogins(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []));
    }

    private static async Task SeedAsync(IServiceProvider sp, CancellationToken ct)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        await DivisionImport.ImportAsync(db, ChinaDivisionReader.Within(ChinaDivisionReader.ReadBundled(), "1301")
            .Concat(ChinaDivisionReader.Within(ChinaDivisionReader.ReadBundled(), "1401")).DistinctBy(d => d.Code), ct);

        var divisions = await db.Divisions.Where(d => d.Level == DivisionLevel.Community).ToDictionaryAsync(d => d.Code, ct);
        var byCode = new Dictionary<string, Community>();
        foreach (var c in Communities)
        {
            var community = new Community(divisions[c.Code], c.ShortName, c.Address, c.Founded, now);
            db.Communities.Add(community);
            byCode[c.Code] = community;
            foreach (var e in c.Estates)
            {
                var estate = new Estate(community.Id, e.Name, null, e.Property, now);
                db.Estates.Add(estate);
                for (var n = 1; n <= e.Buildings; n++)
                {
                    db.Buildings.Add(Building.Create(estate, n.ToString(CultureInfo.InvariantCulture), e.Kind, e.Floors, e.Entrances, e.HomesPerFloor, now));
                }
            }
        }
        await db.SaveChangesAsync(ct);

        // Grids: 融华府 has the five-level red-butler team of seed 000; 阳光社区 walked buildings 1–9 (seed 001).
        var grids = new Dictionary<string, Grid>();
        await AddGridAsync(db, byCode["130108007024"], "第一网格", "融创裕华壹号", [1, 2, 3], now, grids);
        await AddGridAsync(db, byCode["130108007024"], "第二网格", "融创裕华壹号", [4, 5, 6], now, grids);
        await AddGridAsync(db, byCode["130108007024"], "第三网格", "东华国樾府", [1, 2, 3, 4], now, grids);
        await AddGridAsync(db, byCode["130105013019"], "一网格", "都市阳光小区", [1, 2, 3, 4, 5, 6, 7, 8, 9], now, grids);
        await AddGridAsync(db, byCode["130105013019"], "二网格", "都市阳光小区", [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], now, grids);
        var first = grids["第一网格"];
        var micro = Grid.CreateMicro(first, "1号楼微网格", now);
        db.Grids.Add(micro);
        var b1 = await db.Buildings.Join(db.Estates, b => b.EstateId, e => e.Id, (b, e) => new { b, e }).Where(x => x.e.Name == "融创裕华壹号" && x.b.Number == "1").Select(x => x.b).FirstAsync(ct);
        micro.Assign(b1, 0, [], [b1.Id]);
        first.AddMember(RedButlerRole.GridChief, "孙建国", "13800000003", null);
        first.AddMember(RedButlerRole.GridPartyMember, "刘淑芬", "13700000021", null);
        micro.AddMember(RedButlerRole.MicroGridMember, "何志勇", "13700000022", null);
        first.AddMember(RedButlerRole.PropertyStaff, "周立新", "13800000004", null);
        first.AddMember(RedButlerRole.OwnersCommitteeMember, "马慧敏", "13700000023", null);
        await db.SaveChangesAsync(ct);
        // Thousands of homes and divisions are saved; tracking them would make every account save below scan them all.
        db.ChangeTracker.Clear();

        var users = sp.GetRequiredService<UserManager<AppUser>>();
        // One PBKDF2 hash for the shared demo password instead of twelve (each is deliberately slow).
        var passwordHash = users.PasswordHasher.HashPassword(new AppUser(), Password);
        var store = (IUserAuthenticatorKeyStore<AppUser>)sp.GetRequiredService<IUserStore<AppUser>>();
        foreach (var a in Accounts)
        {
            var user = new AppUser { UserName = a.Phone, PhoneNumber = a.Phone, DisplayName = a.Name, CreatedAt = now, PasswordHash = passwordHash };
            Ensure(await users.CreateAsync(user));
            Ensure(await users.AddToRoleAsync(user, a.Role));
            if (a.CommunityCode is { } code) db.UserScopes.Add(UserScope.ForCommunity(user.Id, byCode[code].Id));
            if (a.SubdistrictCode is { } sub) db.UserScopes.Add(UserScope.ForSubdistrict(user.Id, sub));
            if (a.GridName is { } g) db.UserScopes.Add(UserScope.ForGrid(user.Id, grids[g].CommunityId, grids[g].Id));
            if (Roles.StaffRoles.Contains(a.Role))
            {
                await store.SetAuthenticatorKeyAsync(user, TotpKey, ct);
                user.TwoFactorEnabled = true;
                Ensure(await users.UpdateAsync(user));
            }
        }
        // Work orders: the property companies and a partner unit of 融华府, its volunteer team, the usual categories;
        // 管道堵塞 goes to the estate's property company by default (seed 000: the blocked sink).
        var rhf = byCode["130108007024"].Id;
        var rongchuang = new Partners.PartnerUnit(rhf, Partners.PartnerKind.PropertyCompany, "融创物业", "0311-85000001");
        var donghua = new Partners.PartnerUnit(rhf, Partners.PartnerKind.PropertyCompany, "东华物业", "0311-85000002");
        var water = new Partners.PartnerUnit(rhf, Partners.PartnerKind.Partner, "裕华区供水维修服务站", "0311-85000003");
        var team = new Teams.Team(rhf, Teams.TeamKind.VolunteerTeam, "红色管家志愿服务队");
        db.PartnerUnits.AddRange(rongchuang, donghua, water);
        db.Teams.Add(team);
        var categories = WorkOrders.WorkOrderCategory.Defaults(rhf).ToList();
        categories.Single(c => c.Name == "管道堵塞").SetDefaultHandler(new WorkOrders.Handler(WorkOrders.HandlerKind.PropertyCompany, rongchuang.Id, rongchuang.Name));
        categories.Single(c => c.Name == "漏水").SetDefaultHandler(new WorkOrders.Handler(WorkOrders.HandlerKind.PartnerUnit, water.Id, water.Name));
        db.WorkOrderCategories.AddRange(categories);
        var staffUsers = await db.Users.Where(u => u.UserName == "13800000004" || u.UserName == "13800000005" || u.UserName == "13800000006").ToDictionaryAsync(u => u.UserName!, ct);
        db.UserScopes.Add(UserScope.ForPartnerUnit(staffUsers["13800000004"].Id, rhf, rongchuang.Id));
        db.UserScopes.Add(UserScope.ForPartnerUnit(staffUsers["13800000005"].Id, rhf, water.Id));
        db.UserScopes.Add(UserScope.ForTeam(staffUsers["13800000006"].Id, rhf, team.Id));
        // Routing: 东华国樾府's blocked pipes go to its own property company; a power trip at night goes straight to
        // whoever is on duty, and the office's two staff take turns for the coming month.
        var dongguo = await db.Estates.Where(e => e.CommunityId == rhf).ToListAsync(ct);
        db.RoutingRules.Add(new WorkOrders.RoutingRule(categories.Single(c => c.Name == "管道堵塞"), WorkOrders.RulePlace.Estate,
            dongguo.Single(e => e.Name == "东华国樾府"), WorkOrders.RuleTime.Any, WorkOrders.RuleTarget.Handler,
            new WorkOrders.Handler(WorkOrders.HandlerKind.PropertyCompany, donghua.Id, donghua.Name), dispatchAtOnce: false, position: 1));
        db.RoutingRules.Add(new WorkOrders.RoutingRule(categories.Single(c => c.Name == "停电跳闸"), WorkOrders.RulePlace.Any, null,
            WorkOrders.RuleTime.OutsideOfficeHours, WorkOrders.RuleTarget.OnCall, null, dispatchAtOnce: true, position: 2));
        var office = await db.Users.Where(u => u.UserName == "13800000001" || u.UserName == "13800000002").OrderBy(u => u.UserName).ToListAsync(ct);
        var today = Infrastructure.Time.ChinaTime.Today(clock);
        for (var i = 0; i < 30; i++)
        {
            var person = office[i % 2];
            db.OnCallDuties.Add(new WorkOrders.OnCallDuty(rhf, today.AddDays(i), new WorkOrders.Handler(WorkOrders.HandlerKind.Staff, person.Id, person.DisplayName), null));
        }
        await db.SaveChangesAsync(ct);

        // The demo resident 王秀兰 and her husband live in 融创裕华壹号 1号楼 1-101; her account sees the household.
        var crypto = sp.GetRequiredService<Infrastructure.Privacy.IFieldCrypto>();
        var home = await db.Homes.Join(db.Buildings, h => h.BuildingId, b => b.Id, (h, b) => new { h, b })
            .Join(db.Estates, x => x.b.EstateId, e => e.Id, (x, e) => new { x.h, x.b, e })
            .Where(x => x.e.Name == "融创裕华壹号" && x.b.Number == "1" && x.h.EntranceNumber == 1 && x.h.Number == "101").Select(x => x.h).FirstAsync(ct);
        var wang = new Residents.Resident(home.CommunityId, "王秀兰", now);
        var first17 = "13010819460312" + "128";
        Residents.IdNumber.TryParse(first17 + Residents.IdNumber.CheckChar(first17), out var wangId);
        wang.SetIdNumber(wangId, crypto.Encrypt(wangId.Value), crypto.LookupHash(wangId.Value));
        wang.CorrectContact("13900000001", "张小燕", "13900000002", now);
        wang.MoveTo(home, Residents.Occupancy.Owner, Residents.RelationToHead.Head, new DateOnly(2019, 6, 1));
        wang.SetTags([Residents.TagKind.EmptyNest, Residents.TagKind.LowIncome, Residents.TagKind.PartyMember], []);
        wang.LinkAccount((await users.FindByNameAsync("13900000001"))!.Id);
        var zhang = new Residents.Resident(home.CommunityId, "张德明", now);
        zhang.Update("张德明", Residents.Gender.Male, new DateOnly(1943, 10, 2), null, null, null, "家电维修", null, now);
        zhang.MoveTo(home, Residents.Occupancy.FamilyMember, Residents.RelationToHead.Spouse, new DateOnly(2019, 6, 1));
        zhang.SetTags([Residents.TagKind.Veteran], []);
        db.Residents.AddRange(wang, zhang);

        foreach (var member in await db.GridMembers.ToListAsync(ct))
        {
            if (await users.FindByNameAsync(member.Phone) is { } account) member.LinkUser(account.Id);
        }
        await db.SaveChangesAsync(ct);
    }

    private static async Task AddGridAsync(AppDbContext db, Community community, string name, string estateName, int[] numbers, DateTime now, Dictionary<string, Grid> grids)
    {
        var grid = Grid.Create(community.Id, name, now);
        db.Grids.Add(grid);
        var estateId = await db.Estates.Where(e => e.CommunityId == community.Id && e.Name == estateName).Select(e => e.Id).FirstAsync();
        var numberStrings = numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var b in await db.Buildings.Where(b => b.EstateId == estateId && numberStrings.Contains(b.Number)).ToListAsync())
        {
            grid.Assign(b, 0, [], null);
        }
        grids[name] = grid;
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Demo account: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    private static void PrintLogins(ICollection<string> addresses)
    {
        var url = addresses.FirstOrDefault() ?? "http://localhost:5080";
        var lines = new List<string>
        {
            "",
            "==================== Linli 邻里 (demo) ====================",
            $"  Open / 打开: {url}",
            $"  Password for every demo account / 所有演示账号密码: {Password}",
            $"  Staff sign in with a TOTP code too / 工作人员还需动态验证码:",
            $"    key 密钥 {TotpKey}  (any authenticator app, or: oathtool --totp -b {TotpKey})",
            $"    or print the current code / 或打印当前验证码: dotnet run --project src/Linli.Web -- demo code",
        };
        lines.AddRange(Accounts.Select(a => $"  {a.Phone}  {a.Role,-16} {a.Name}"));
        lines.Add("===========================================================");
        global::System.Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
