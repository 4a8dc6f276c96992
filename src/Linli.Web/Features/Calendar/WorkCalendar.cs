using System.Globalization;
using Linli.Web.Infrastructure.Data;
using Linli.Web.Infrastructure.Errors;
using Linli.Web.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Memory;

namespace Linli.Web.Features.Calendar;

/// <summary>A day that is not what its weekday says: a public holiday (放假) or an adjusted working day (调休上班).</summary>
public enum CalendarDayKind { Holiday = 1, Workday = 2 }

/// <summary>
/// One exception to "Monday to Friday are working days", for the whole deployment (the State Council sets them for all
/// of China each November). An administrator edits them; time limits counted in working hours follow them.
/// </summary>
public sealed class CalendarDay
{
    public const int NameMax = 30;

    public DateOnly Date { get; private set; }
    public CalendarDayKind Kind { get; private set; }
    public string Name { get; private set; } = "";

    private CalendarDay() { }

    public CalendarDay(DateOnly date, CalendarDayKind kind, string? name)
    {
        Date = date;
        Set(kind, name);
    }

    public void Set(CalendarDayKind kind, string? name)
    {
        if (!Enum.IsDefined(kind)) throw DomainException.Invalid("Kind", "validation.required", "field.day_kind");
        name = name?.Trim() ?? "";
        if (name.Length == 0) throw DomainException.Invalid("Name", "validation.required", "field.day_name");
        if (name.Length > NameMax) throw DomainException.Invalid("Name", "validation.too_long", "field.day_name", NameMax);
        var weekend = Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        // A workday on a weekday or a holiday that is a weekend anyway changes nothing: almost certainly a wrong date.
        if (kind == CalendarDayKind.Workday && !weekend) throw DomainException.Invalid("Date", "calendar.workday_not_weekend");
        Kind = kind;
        Name = name;
    }

    /// <summary>
    /// 2026, from the State Council's notice 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04). Loaded into an empty
    /// calendar on first start; the administrator adds each next year's notice.
    /// </summary>
    public static IEnumerable<CalendarDay> Bundled()
    {
        IEnumerable<CalendarDay> Holidays(string name, int month, int from, int to) =>
            Enumerable.Range(from, to - from + 1).Select(d => new CalendarDay(new DateOnly(2026, month, d), CalendarDayKind.Holiday, name));
        CalendarDay Workday(string name, int month, int day) => new(new DateOnly(2026, month, day), CalendarDayKind.Workday, name + "调休上班");
        return
        [
            .. Holidays("元旦", 1, 1, 3), Workday("元旦", 1, 4),
            .. Holidays("春节", 2, 15, 23), Workday("春节", 2, 14), Workday("春节", 2, 28),
            .. Holidays("清明节", 4, 4, 6),
            .. Holidays("劳动节", 5, 1, 5), Workday("劳动节", 5, 9),
            .. Holidays("端午节", 6, 19, 21),
            .. Holidays("中秋节", 9, 25, 27),
            .. Holidays("国庆节", 10, 1, 7), Workday("国庆节", 9, 20), Workday("国庆节", 10, 10),
        ];
    }
}

public sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> b)
    {
        b.HasKey(x => x.Date);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Name).HasMaxLength(CalendarDay.NameMax);
    }
}

/// <summary>
/// Working time: Monday to Friday except holidays, plus adjusted working days, within office hours, in China time.
/// Limits counted in clock hours are plain arithmetic; limits in working hours skip nights, weekends and holidays.
/// </summary>
public sealed class WorkingTime(IReadOnlyDictionary<DateOnly, CalendarDayKind> days, TimeOnly opens, TimeOnly closes)
{
    public static readonly TimeOnly DefaultOpens = new(8, 30);
    public static readonly TimeOnly DefaultCloses = new(17, 30);

    /// <summary>Clock hours only, for code that has no calendar at hand (and tests).</summary>
    public static readonly WorkingTime Clock = new(new Dictionary<DateOnly, CalendarDayKind>(), DefaultOpens, DefaultCloses);

    public TimeOnly Opens => opens;
    public TimeOnly Closes => closes;

    public bool IsWorkingDay(DateOnly day) => days.TryGetValue(day, out var kind)
        ? kind == CalendarDayKind.Workday
        : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Whether the moment falls on a working day within office hours (China time).</summary>
    public bool IsOfficeHours(DateTime utc)
    {
        var local = utc + ChinaTime.Offset;
        var time = TimeOnly.FromDateTime(local);
        return IsWorkingDay(DateOnly.FromDateTime(local)) && time >= opens && time < closes;
    }

    /// <summary>The duty day (值班日) a moment belongs to: a duty runs from the office's opening time to the next day's.</summary>
    public DateOnly DutyDate(DateTime utc)
    {
        var local = utc + ChinaTime.Offset;
        var day = DateOnly.FromDateTime(local);
        return TimeOnly.FromDateTime(local) < opens ? day.AddDays(-1) : day;
    }

    /// <summary>The moment <paramref name="hours"/> after <paramref name="startUtc"/>.</summary>
    public DateTime Add(DateTime startUtc, double hours, bool workingHours) => Add(startUtc, TimeSpan.FromHours(hours), workingHours);

    /// <summary>The moment <paramref name="span"/> of counted time after <paramref name="startUtc"/>, to the tick.</summary>
    public DateTime Add(DateTime startUtc, TimeSpan span, bool workingHours)
    {
        if (!workingHours || span <= TimeSpan.Zero) return startUtc + span;
        var local = startUtc + ChinaTime.Offset;
        var remaining = span;
        for (var i = 0; i < 3660; i++)
        {
            var day = DateOnly.FromDateTime(local);
            if (IsWorkingDay(day))
            {
                var open = day.ToDateTime(opens);
                var close = day.ToDateTime(closes);
                if (local < open) local = open;
                if (local < close)
                {
                    var available = close - local;
                    if (remaining <= available) return DateTime.SpecifyKind(local + remaining - ChinaTime.Offset, DateTimeKind.Utc);
                    remaining -= available;
                }
            }
            local = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }
        throw new InvalidOperationException("no working time within ten years");
    }

    /// <summary>The moment <paramref name="hours"/> before <paramref name="endUtc"/> (a warning ahead of a limit).</summary>
    public DateTime Subtract(DateTime endUtc, double hours, bool workingHours)
    {
        if (!workingHours || hours <= 0) return endUtc.AddHours(-hours);
        var local = endUtc + ChinaTime.Offset;
        var remaining = TimeSpan.FromHours(hours);
        for (var i = 0; i < 3660; i++)
        {
            var day = DateOnly.FromDateTime(local);
            if (local.TimeOfDay == TimeSpan.Zero) day = day.AddDays(-1); // midnight belongs to the day before
            if (IsWorkingDay(day))
            {
                var open = day.ToDateTime(opens);
                var close = day.ToDateTime(closes);
                if (local > close) local = close;
                if (local > open)
                {
                    var available = local - open;
                    if (remaining <= available) return DateTime.SpecifyKind(local - remaining - ChinaTime.Offset, DateTimeKind.Utc);
                    remaining -= available;
                }
            }
            local = day.ToDateTime(TimeOnly.MinValue);
        }
        throw new InvalidOperationException("no working time within ten years");
    }

    /// <summary>The time counted by the limits between two moments (0 when <paramref name="toUtc"/> is not later).</summary>
    public TimeSpan Between(DateTime fromUtc, DateTime toUtc, bool workingHours)
    {
        if (toUtc <= fromUtc) return TimeSpan.Zero;
        if (!workingHours) return toUtc - fromUtc;
        var from = fromUtc + ChinaTime.Offset;
        var to = toUtc + ChinaTime.Offset;
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(from); day.ToDateTime(TimeOnly.MinValue) < to; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day)) continue;
            var open = day.ToDateTime(opens);
            var close = day.ToDateTime(closes);
            var start = from > open ? from : open;
            var end = to < close ? to : close;
            if (end > start) total += end - start;
        }
        return total;
    }
}

public sealed record CalendarDayRow(DateOnly Date, CalendarDayKind Kind, string Name);

public sealed class CalendarDayInput
{
    public CalendarDayKind? Kind { get; set; }
    public string? Name { get; set; }
}

/// <summary>The calendar as the time limits use it (cached; an edit takes effect at once) and its editing.</summary>
public sealed class WorkCalendarService(AppDbContext db, IMemoryCache cache, IConfiguration config, Infrastructure.Auditing.AuditLog audit)
{
    private const string CacheKey = "work-calendar";

    public async Task<WorkingTime> CurrentAsync(CancellationToken ct = default) =>
        (await cache.GetOrCreateAsync(CacheKey, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
            var days = await db.CalendarDays.AsNoTracking().ToDictionaryAsync(d => d.Date, d => d.Kind, ct);
            return new WorkingTime(days, Hours("WorkOrders:OfficeOpens", WorkingTime.DefaultOpens), Hours("WorkOrders:OfficeCloses", WorkingTime.DefaultCloses));
        }))!;

    private TimeOnly Hours(string key, TimeOnly fallback) => TimeOnly.TryParse(config[key], out var t) ? t : fallback;

    public async Task<List<CalendarDayRow>> YearAsync(int year, CancellationToken ct = default)
    {
        if (year is < 2000 or > 2100) throw DomainException.Invalid("Year", "validation.range", "field.year", 2000, 2100);
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        return await db.CalendarDays.AsNoTracking().Where(d => d.Date >= from && d.Date <= to).OrderBy(d => d.Date)
            .Select(d => new CalendarDayRow(d.Date, d.Kind, d.Name)).ToListAsync(ct);
    }

    public async Task<CalendarDayRow> SetAsync(DateOnly date, CalendarDayInput input, CancellationToken ct = default)
    {
        var kind = input.Kind ?? throw DomainException.Invalid("Kind", "validation.required", "field.day_kind");
        var day = await db.CalendarDays.FirstOrDefaultAsync(d => d.Date == date, ct);
        if (day is null) db.CalendarDays.Add(day = new CalendarDay(date, kind, input.Name));
        else day.Set(kind, input.Name);
        audit.Add(Infrastructure.Auditing.AuditEvents.CalendarChanged, "CalendarDay", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{kind} {day.Name}");
        await db.SaveChangesAsync(ct);
        cache.Remove(CacheKey);
        return new CalendarDayRow(day.Date, day.Kind, day.Name);
    }

    public async Task RemoveAsync(DateOnly date, CancellationToken ct = default)
    {
        var day = await db.CalendarDays.FirstOrDefaultAsync(d => d.Date == date, ct) ?? throw new NotFoundException();
        db.CalendarDays.Remove(day);
        audit.Add(Infrastructure.Auditing.AuditEvents.CalendarChanged, "CalendarDay", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "removed");
        await db.SaveChangesAsync(ct);
        cache.Remove(CacheKey);
    }

    /// <summary>An empty calendar gets the bundled year (every deployment, not only the demo).</summary>
    public static async Task EnsureBundledAsync(AppDbContext db, CancellationToken ct = default)
    {
        if (await db.CalendarDays.AnyAsync(ct)) return;
        db.CalendarDays.AddRange(CalendarDay.Bundled());
        await db.SaveChangesAsync(ct);
    }
}
