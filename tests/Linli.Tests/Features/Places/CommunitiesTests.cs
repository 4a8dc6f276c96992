using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;
using Linli.Web.Features.Places;
using Linli.Web.Features.Places.Divisions;

namespace Linli.Tests.Features.Places;

[Collection(AppCollection.Name)]
public sealed class CommunitiesTests(LinliFactory app)
{
    [Fact]
    public async Task The_demo_has_the_seed_communities_with_their_official_division_codes()
    {
        var api = await app.ApiAsAsync(Clients.SubdistrictAdmin); // 裕东街道: 融华府社区
        var list = await (await api.GetAsync("/api/communities")).JsonAsync(HttpStatusCode.OK);
        var codes = list.EnumerateArray().Select(c => c.GetProperty("divisionCode").GetString()!).ToList();
        codes.ShouldContain("130108007024");
        codes.ShouldAllBe(c => c.StartsWith("130108007")); // only the communities of the own subdistrict
        list.EnumerateArray().First(c => c.GetProperty("divisionCode").GetString() == "130108007024").GetProperty("name").GetString().ShouldBe("融华府社区居委会");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("13010800702X")]
    [InlineData("130108007999")] // 12 digits but not an official community
    [InlineData("130108007")]    // a subdistrict, not a community
    public async Task An_invalid_division_code_is_refused_naming_the_field(string code)
    {
        var api = await app.ApiAsAsync(Clients.SystemAdmin);
        await (await api.PostAsJsonAsync("/api/communities", new { divisionCode = code })).ShouldBeFieldErrorAsync("DivisionCode");
    }

    [Fact]
    public async Task The_system_administrator_adds_a_community_from_the_official_list_once()
    {
        var api = await app.ApiAsAsync(Clients.SystemAdmin);
        var divisions = await (await api.GetAsync("/api/divisions?parent=130108007")).JsonAsync(HttpStatusCode.OK);
        var free = divisions.EnumerateArray().First(d => !d.GetProperty("isTenant").GetBoolean() && d.GetProperty("code").GetString() != "130108007024");
        var code = free.GetProperty("code").GetString();
        var created = await (await api.PostAsJsonAsync("/api/communities", new { divisionCode = code })).JsonAsync(HttpStatusCode.Created);
        created.GetProperty("subdistrictCode").GetString().ShouldBe("130108007");
        await (await api.PostAsJsonAsync("/api/communities", new { divisionCode = code })).ShouldBeFieldErrorAsync("DivisionCode");
        (await (await app.ApiAsAsync(Clients.Staff)).PostAsJsonAsync("/api/communities", new { divisionCode = code })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("融华府社区居委会", "融华府社区")]
    [InlineData("阳光社区居民委员会", "阳光社区")]
    [InlineData("明珠花苑社区居民居委会", "明珠花苑社区")]
    [InlineData("三五零二厂社区居委会", "三五零二厂社区")]
    [InlineData("北翟营村委会", "北翟营村")]
    public void The_short_name_is_made_from_the_official_name(string official, string expected) =>
        Community.ShortNameOf(official).ShouldBe(expected);

    [Fact]
    public void The_bundled_divisions_hold_every_seed_community_with_its_subdistrict()
    {
        var all = ChinaDivisionReader.ReadBundled().ToDictionary(d => d.Code);
        foreach (var code in new[] { "130108007024", "130105013019", "140109011005", "140109004009", "130104016001", "130105017007", "130108009008", "130104010006", "130102010009" })
        {
            all[code].Level.ShouldBe(DivisionLevel.Community);
            all[all[code].ParentCode!].Level.ShouldBe(DivisionLevel.Subdistrict);
        }
        all["130108007"].Name.ShouldBe("裕东街道");
        ChinaDivisionReader.Within(all.Values, "1401").ShouldAllBe(d => d.Code.StartsWith("1401") || "1401".StartsWith(d.Code));
    }

    [Fact]
    public async Task The_import_command_explains_its_usage_and_refuses_an_area_it_does_not_have()
    {
        var output = new StringWriter();
        (await DivisionImport.RunCommandAsync(app.Services, ["divisions"], output)).ShouldBe(2);
        output.ToString().ShouldContain("--area");
        output = new StringWriter();
        (await DivisionImport.RunCommandAsync(app.Services, ["divisions", "import", "--area", "44"], output)).ShouldBe(1);
        output = new StringWriter();
        (await DivisionImport.RunCommandAsync(app.Services, ["divisions", "import", "--area", "1301"], output)).ShouldBe(0);
        output.ToString().ShouldContain("0 added"); // the demo imported it already; a re-import changes nothing
    }
}
