using System.Globalization;
using Bogus;
using Linli.Web.Features.Residents;

namespace Linli.Bench;

/// <summary>
/// Made-up people who look like the residents of a northern Chinese city: surnames by their real frequency, given
/// names of the person's generation and gender, valid GB 11643 ID numbers, mainland mobile numbers.
/// Bogus zh_CN supplies the long tail of surnames and modern boys' names; it has no girls' names and no names of
/// older generations (秀兰, 建国 …), and orders a full name given-name first, so those come from the lists below.
/// </summary>
public sealed class People(Random random, Faker faker, DateOnly today)
{
    // Share of the population in per mille, roughly the 2020 census; the rest come from Bogus's list.
    private static readonly (string Name, int PerMille)[] CommonSurnames =
    [
        ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("赵", 28), ("黄", 18), ("周", 19), ("吴", 19),
        ("徐", 16), ("孙", 15), ("胡", 13), ("朱", 13), ("高", 13), ("林", 10), ("何", 12), ("郭", 12), ("马", 11), ("罗", 8),
        ("梁", 9), ("宋", 8), ("郑", 8), ("谢", 7), ("韩", 7), ("唐", 6), ("冯", 6), ("于", 6), ("董", 5), ("程", 5),
        ("曹", 5), ("袁", 5), ("邓", 5), ("许", 5), ("傅", 4), ("沈", 4), ("曾", 4), ("彭", 4), ("吕", 4), ("苏", 4),
        ("卢", 4), ("蒋", 4), ("蔡", 4), ("贾", 4), ("丁", 4), ("魏", 4), ("薛", 4), ("叶", 4), ("阎", 3), ("田", 3),
    ];

    private static readonly string[] CompoundSurnames = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫"];

    // Given names by generation (birth year up to 1959, 1979, 1999, later) and gender.
    private static readonly string[][] Women =
    [
        ["秀兰", "秀英", "桂英", "玉兰", "淑珍", "凤英", "桂兰", "秀珍", "玉珍", "淑兰", "凤兰", "淑英", "玉梅", "秀云", "桂芳", "素芬", "翠花", "兰英",
         "秀芳", "玉英", "桂珍", "凤芝", "淑芬", "秀荣", "桂荣", "淑华", "玉芬", "英", "兰", "珍"],
        ["丽", "红", "敏", "艳", "芳", "静", "丽娟", "红梅", "海燕", "丽华", "晓红", "秀梅", "春梅", "小红", "丽萍", "彩霞", "燕", "霞", "玲", "爱华",
         "亚琴", "晓燕", "春燕", "卫红", "红霞", "丽君", "美玲", "秀丽"],
        ["婷", "静", "丽娜", "晶晶", "雪", "倩", "娜", "欣", "佳", "丹", "莹", "璐", "晓雪", "思琪", "雯", "婷婷", "玉洁", "梦", "瑶", "佳慧", "文静",
         "雪梅", "丹丹", "颖", "慧敏", "晓琳"],
        ["欣怡", "梓涵", "诗涵", "一诺", "子涵", "雨涵", "可欣", "梓萱", "思涵", "语桐", "若汐", "依诺", "欣妍", "紫涵", "芷若", "雨桐", "佳怡",
         "梦瑶", "沐晨", "一涵", "思彤", "安琪"],
    ];

    private static readonly string[][] Men =
    [
        ["建国", "国华", "志明", "德明", "永明", "建华", "国强", "玉林", "振华", "文明", "福", "德胜", "树林", "国庆", "志刚", "成", "长林", "学文",
         "宝山", "金山", "凤山", "家兴", "德福", "俊", "明", "德才", "占奎"],
        ["建军", "伟", "勇", "军", "强", "磊", "涛", "斌", "波", "志强", "卫东", "红军", "海涛", "建平", "国栋", "建新", "建伟", "刚", "辉", "峰",
         "东", "立新", "晓东", "卫国", "永刚"],
        ["鹏", "浩", "杰", "超", "鑫", "宇", "帅", "博", "亮", "旭", "凯", "晨", "阳", "龙", "浩然", "俊杰", "子豪", "家豪", "文博", "宇航", "鹏飞",
         "磊", "明辉"],
    ];

    private static readonly string[] Prefixes =
    [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159",
        "166", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
    ];

    private readonly int _commonTotal = CommonSurnames.Sum(s => s.PerMille);
    private readonly HashSet<string> _idNumbers = [];

    public DateOnly Today => today;

    public string Surname()
    {
        var roll = random.Next(1000);
        if (roll < 2) return CompoundSurnames[random.Next(CompoundSurnames.Length)];
        if (roll >= _commonTotal) return faker.Name.LastName();
        foreach (var (name, share) in CommonSurnames)
        {
            if (roll < share) return name;
            roll -= share;
        }
        return CommonSurnames[0].Name;
    }

    public string GivenName(Gender gender, int birthYear)
    {
        var era = birthYear <= 1959 ? 0 : birthYear <= 1979 ? 1 : birthYear <= 1999 ? 2 : 3;
        if (gender == Gender.Female) return Pick(Women[era]);
        // Boys born since 2000: Bogus's modern names (子轩, 浩宇 …).
        return era == 3 ? faker.Name.FirstName() : Pick(Men[era]);
    }

    public string Name(Gender gender, int birthYear, string? surname = null) => (surname ?? Surname()) + GivenName(gender, birthYear);

    /// <summary>A birth date for someone aged <paramref name="age"/> today.</summary>
    public DateOnly BirthDate(int age)
    {
        var latest = today.AddYears(-age);
        return latest.AddDays(-random.Next(365));
    }

    /// <summary>
    /// A valid, unique GB 11643 number: area code, birth date, sequence (odd for men, even for women), check
    /// character. Checked with the app's own <see cref="IdNumber"/> parser.
    /// </summary>
    public IdNumber IdNumber(string areaCode, DateOnly birth, Gender gender)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 1000) throw new InvalidOperationException($"no free ID number left for {areaCode} {birth}");
            var seq = random.Next(50) * 2 + (gender == Gender.Male ? 1 : 0) + random.Next(10) * 100; // 000–999 of the right parity
            var first17 = $"{areaCode}{birth:yyyyMMdd}{seq:000}";
            var value = first17 + Web.Features.Residents.IdNumber.CheckChar(first17);
            if (!_idNumbers.Add(value)) continue;
            if (Web.Features.Residents.IdNumber.TryParse(value, out var id) != Web.Features.Residents.IdNumber.Problem.None || id.Gender != gender || id.BirthDate != birth)
                throw new InvalidOperationException($"generated an invalid ID number for {birth} {gender}");
            return id;
        }
    }

    /// <summary>Numbers already in the database (their keyed hashes are checked separately).</summary>
    public void Reserve(string idNumber) => _idNumbers.Add(idNumber);

    public string Mobile() => Pick(Prefixes) + random.Next(100_000_000).ToString("00000000", CultureInfo.InvariantCulture);

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public bool Chance(double p) => random.NextDouble() < p;

    public int Between(int min, int maxInclusive) => random.Next(min, maxInclusive + 1);
}
