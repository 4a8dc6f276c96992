using Linli.Web.Features.Demo;
using Linli.Web.Infrastructure.Auth;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Privacy;

namespace Linli.Tests.Infrastructure;

public sealed class RulesTests
{
    [Theory]
    [InlineData("Abcdefg1", true)]
    [InlineData("abcdefg1!", true)]
    [InlineData("ABCDEFG1!", true)]
    [InlineData("abcdefgh", false)]
    [InlineData("abcdefg1", false)]
    [InlineData("Ab1!", false)]
    [InlineData("", false)]
    public void A_password_needs_8_characters_and_3_of_the_4_classes(string password, bool strong) =>
        PasswordRules.IsStrong(password).ShouldBe(strong);

    [Theory]
    [InlineData("13812345678", true)]
    [InlineData("19912345678", true)]
    [InlineData("12812345678", false)]
    [InlineData("1381234567", false)]
    [InlineData("138123456789", false)]
    [InlineData("1381234567a", false)]
    public void A_login_name_is_a_mainland_mobile_number(string phone, bool valid) => InputValidator.IsMobile(phone).ShouldBe(valid);

    [Fact]
    public void Phones_and_id_numbers_are_masked()
    {
        Mask.Phone("13812345678").ShouldBe("138****5678");
        Mask.IdNumber("130102199001011234").ShouldBe("130***********1234");
    }

    [Fact]
    public void The_totp_code_matches_the_rfc_6238_test_vector()
    {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890" (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ), T = 59 s → 94287082 (8 digits; we use the last 6).
        Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(59)).ShouldBe("287082");
        Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(1111111109)).ShouldBe("081804");
    }

    [Fact]
    public void A_building_creates_its_homes_in_one_step()
    {
        var estate = new Linli.Web.Features.Places.Estate(Guid.NewGuid(), "都市阳光小区", null, null, DateTime.UtcNow);
        var b = Linli.Web.Features.Places.Building.Create(estate, "7", Linli.Web.Features.Places.BuildingKind.Residential, 18, 2, 4, DateTime.UtcNow);
        b.Homes.Count.ShouldBe(144);
        b.Entrances.Count.ShouldBe(2);
        b.Homes.Select(h => h.Label).ShouldContain("2-1804");
        b.Homes.ShouldAllBe(h => h.CommunityId == estate.CommunityId && h.BuildingId == b.Id);
        Should.Throw<DomainException>(() => Linli.Web.Features.Places.Building.Create(estate, "8", Linli.Web.Features.Places.BuildingKind.Residential, 0, 1, 1, DateTime.UtcNow));
    }
}
