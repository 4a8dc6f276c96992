using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Linli.Tests.Support;
using Linli.Web.Features.Residents;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Features.Residents;

[Collection(AppCollection.Name)]
public sealed class ResidentsApiTests(LinliFactory app)
{
    /// <summary>A valid GB 11643 number for a birth date and sequence (the check digit computed).</summary>
    public static string IdFor(DateOnly birth, int sequence, string area = "130108")
    {
        var first17 = $"{area}{birth:yyyyMMdd}{sequence:000}";
        return first17 + IdNumber.CheckChar(first17);
    }

    private static int _seq = Random.Shared.Next(100, 800);
    private static int NextSeq() => Interlocked.Increment(ref _seq);

    private async Task<(HttpClient Api, Guid HomeA, Guid HomeB)> HomesAsync()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var estate = await (await api.PostAsJsonAsync("/api/estates", new { name = Clients.Unique("台账小区") })).JsonAsync(HttpStatusCode.Created);
        var building = await (await api.PostAsJsonAsync($"/api/estates/{estate.GetProperty("id").GetGuid()}/buildings", new { number = "1", floors = 6, entrances = 1, homesPerFloor = 2 }))
            .JsonAsync(HttpStatusCode.Created);
        var homes = building.GetProperty("homes").EnumerateArray().ToList();
        return (api, homes[0].GetProperty("id").GetGuid(), homes[1].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_resident_is_registered_with_a_checked_id_number_that_is_stored_encrypted_and_shown_masked()
    {
        var (api, _, _) = await HomesAsync();
        var id = IdFor(new DateOnly(1944, 3, 8), 201); // odd sequence: a man
        var created = await (await api.PostAsJsonAsync("/api/residents", new { name = "张建华", idNumber = id, phone = "13912345678" })).JsonAsync(HttpStatusCode.Created);
        created.GetProperty("idNumberMasked").GetString().ShouldBe(id[..3] + new string('*', 11) + id[^4..]);
        created.GetProperty("phoneMasked").GetString().ShouldBe("139****5678");
        created.GetProperty("birthDate").GetString().ShouldBe("1944-03-08");
        created.GetProperty("gender").GetString().ShouldBe("Male");
        created.GetProperty("computedTags").EnumerateArray().Select(t => t.GetString()).ShouldContain("80岁以上");

        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem();
        var row = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Residents.AsNoTracking().SingleAsync(r => r.Id == created.GetProperty("id").GetGuid());
        row.IdNumberCipher.ShouldNotBeNull();
        row.IdNumberCipher.ShouldNotContain(id[6..14]); // no plaintext at rest
        row.IdNumberHash.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("13010819440308201", "IdNumber")]        // 17 characters
    [InlineData("1301081944030820AX", "IdNumber")]       // a letter inside
    [InlineData("130108194402302010", "IdNumber")]       // 30 February
    public async Task A_malformed_id_number_is_refused_naming_the_field(string idNumber, string field)
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        await (await api.PostAsJsonAsync("/api/residents", new { name = "某人", idNumber })).ShouldBeFieldErrorAsync(field);
    }

    [Fact]
    public async Task A_wrong_check_digit_and_a_contradicting_birth_date_are_refused_and_nothing_is_saved()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var good = IdFor(new DateOnly(1960, 5, 1), NextSeq());
        var wrong = good[..17] + (good[17] == '0' ? '1' : '0');
        var message = await (await api.PostAsJsonAsync("/api/residents", new { name = "校验位", idNumber = wrong })).ShouldBeFieldErrorAsync("IdNumber");
        message.ShouldContain("校验位");
        await (await api.PostAsJsonAsync("/api/residents", new { name = "生日不符", idNumber = good, birthDate = "1960-05-02" })).ShouldBeFieldErrorAsync("BirthDate");
        await (await api.PostAsJsonAsync("/api/residents", new { name = "电话", phone = "1391234567" })).ShouldBeFieldErrorAsync("Phone");
        var list = await (await api.GetAsync("/api/residents?name=校验位")).JsonAsync(HttpStatusCode.OK);
        list.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task The_same_id_number_cannot_be_registered_twice_in_a_community()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var id = IdFor(new DateOnly(1975, 1, 2), NextSeq());
        (await api.PostAsJsonAsync("/api/residents", new { name = "一号", idNumber = id })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsJsonAsync("/api/residents", new { name = "二号", idNumber = id.ToLowerInvariant() })).ShouldBeFieldErrorAsync("IdNumber");
    }

    [Fact]
    public async Task Revealing_the_full_number_needs_a_reason_and_is_audited_and_never_cached()
    {
        var api = await app.ApiAsAsync(Clients.Secretary);
        var id = IdFor(new DateOnly(1950, 12, 31), NextSeq());
        var created = await (await api.PostAsJsonAsync("/api/residents", new { name = "李秀珍", idNumber = id })).JsonAsync(HttpStatusCode.Created);
        var rid = created.GetProperty("id").GetGuid();
        await (await api.PostAsJsonAsync($"/api/residents/{rid}/reveal", new { reason = "" })).ShouldBeFieldErrorAsync("Reason");

        var response = await api.PostAsJsonAsync($"/api/residents/{rid}/reveal", new { reason = "办理高龄补贴" });
        var revealed = await response.JsonAsync(HttpStatusCode.OK);
        revealed.GetProperty("idNumber").GetString().ShouldBe(id);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();

        var audit = await app.ApiAsAsync(Clients.AuditAdmin);
        var rows = (await (await audit.GetAsync("/api/audit?event=resident.id_revealed&size=100")).JsonAsync(HttpStatusCode.OK)).GetProperty("rows");
        var row = rows.EnumerateArray().First(r => r.GetProperty("objectId").GetString() == rid.ToString());
        row.GetProperty("detail").GetString().ShouldBe("办理高龄补贴");
        row.GetProperty("userName").GetString().ShouldBe("138****0001");

        // The secretary reads the community's reveal log; staff do not.
        var reveals = await (await api.GetAsync("/api/residents/reveals")).JsonAsync(HttpStatusCode.OK);
        var entry = reveals.EnumerateArray().First(r => r.GetProperty("residentId").ValueKind == System.Text.Json.JsonValueKind.String && r.GetProperty("residentId").GetGuid() == rid);
        entry.GetProperty("residentName").GetString().ShouldBe("李秀珍");
        entry.GetProperty("reason").GetString().ShouldBe("办理高龄补贴");
        (await (await app.ApiAsAsync(Clients.Staff)).GetAsync("/api/residents/reveals")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await app.PagesAsAsync(Clients.Secretary)).GetStringAsync("/console/residents/reveals")).ShouldContain("办理高龄补贴");

        // Roles without the need see the masked number only.
        var grid = await app.ApiAsAsync(Clients.GridMember);
        (await grid.PostAsJsonAsync($"/api/residents/{rid}/reveal", new { reason = "好奇" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var other = await app.ApiAsAsync(Clients.OtherSecretary);
        (await other.PostAsJsonAsync($"/api/residents/{rid}/reveal", new { reason = "越权" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/api/residents/{rid}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Moving_keeps_the_history_and_the_household_shows_who_lives_there_now()
    {
        var (api, homeA, homeB) = await HomesAsync();
        var head = await (await api.PostAsJsonAsync("/api/residents", new { name = "王大爷", birthDate = "1940-02-02", gender = "Male" })).JsonAsync(HttpStatusCode.Created);
        var spouse = await (await api.PostAsJsonAsync("/api/residents", new { name = "刘大妈", birthDate = "1942-06-06", gender = "Female" })).JsonAsync(HttpStatusCode.Created);
        var headId = head.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/residents/{headId}/move", new { homeId = homeA, occupancy = "Owner", relation = "Head", from = "2010-01-01" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.PostAsJsonAsync($"/api/residents/{spouse.GetProperty("id").GetGuid()}/move", new { homeId = homeA, occupancy = "FamilyMember", relation = "Spouse", from = "2010-01-01" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var household = await (await api.GetAsync($"/api/homes/{homeA}/household")).JsonAsync(HttpStatusCode.OK);
        household.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ShouldBe(["王大爷", "刘大妈"]);
        household.GetProperty("address").GetString()!.ShouldContain("1号楼");

        var moved = await (await api.PostAsJsonAsync($"/api/residents/{headId}/move", new { homeId = homeB, occupancy = "Tenant", relation = "Head", from = "2024-05-01" })).JsonAsync(HttpStatusCode.OK);
        var history = moved.GetProperty("history").EnumerateArray().ToList();
        history.Count.ShouldBe(2);
        history[0].GetProperty("homeId").GetGuid().ShouldBe(homeB);
        history[0].GetProperty("to").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        history[1].GetProperty("to").GetString().ShouldBe("2024-05-01");
        (await (await api.GetAsync($"/api/homes/{homeA}/household")).JsonAsync(HttpStatusCode.OK)).GetProperty("members").GetArrayLength().ShouldBe(1);

        await (await api.PostAsJsonAsync($"/api/residents/{headId}/move", new { homeId = homeA, relation = "Head", from = "2020-01-01" })).ShouldBeFieldErrorAsync("From");
        (await (await app.ApiAsAsync(Clients.OtherSecretary)).GetAsync($"/api/homes/{homeA}/household")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tags_are_kept_custom_ones_too_while_age_tags_are_computed()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var child = await (await api.PostAsJsonAsync("/api/residents", new { name = "小明", birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })).JsonAsync(HttpStatusCode.Created);
        child.GetProperty("computedTags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["未成年"]);
        var id = child.GetProperty("id").GetGuid();
        var tagged = await (await api.PutAsJsonAsync($"/api/residents/{id}/tags", new { kinds = new[] { "LivingAlone", "PartyMember", "LivingAlone" }, customTags = new[] { "巧手坊", " " } }))
            .JsonAsync(HttpStatusCode.OK);
        tagged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["LivingAlone", "PartyMember"]);
        tagged.GetProperty("customTags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["巧手坊"]);
        var retagged = await (await api.PutAsJsonAsync($"/api/residents/{id}/tags", new { kinds = new[] { "Veteran" }, customTags = Array.Empty<string>() })).JsonAsync(HttpStatusCode.OK);
        retagged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["Veteran"]);
        retagged.GetProperty("customTags").GetArrayLength().ShouldBe(0);
        (await api.PutAsJsonAsync($"/api/residents/{id}/tags", new { kinds = (string[]?)null, customTags = new string?[] { null } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/api/residents?page=999999999&size=500")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void Id_numbers_follow_gb_11643()
    {
        IdNumber.TryParse("11010519491231002X", out var id).ShouldBe(IdNumber.Problem.None); // the standard's own example
        id.BirthDate.ShouldBe(new DateOnly(1949, 12, 31));
        id.Gender.ShouldBe(Gender.Female);
        id.ToString().ShouldBe("110***********002X");
        IdNumber.TryParse("110105194912310021", out _).ShouldBe(IdNumber.Problem.CheckDigit);
        IdNumber.TryParse("110105194913310028", out _).ShouldBe(IdNumber.Problem.BirthDate);
        IdNumber.TryParse("11010519491231002", out _).ShouldBe(IdNumber.Problem.Length);
    }

    [Fact]
    public async Task The_same_person_registered_at_once_from_several_desks_is_created_once_and_the_others_get_a_clear_answer()
    {
        var api = await app.ApiAsAsync(Clients.Staff);
        var id = IdFor(new DateOnly(1949, 10, 1), NextSeq());
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.PostAsJsonAsync("/api/residents", new { name = "并发", idNumber = id })));
        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict || r.StatusCode == HttpStatusCode.BadRequest);
    }
}
