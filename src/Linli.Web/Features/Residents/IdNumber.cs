using System.Globalization;

namespace Linli.Web.Features.Residents;

public enum Gender
{
    Female = 0,
    Male = 1,
}

/// <summary>
/// A resident identity card number (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence (odd
/// for men, even for women) and an ISO 7064 MOD 11-2 check character (0–9 or X).
/// </summary>
public readonly record struct IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    public string Value { get; }
    public DateOnly BirthDate { get; }
    public Gender Gender { get; }

    private IdNumber(string value, DateOnly birth, Gender gender)
    {
        Value = value;
        BirthDate = birth;
        Gender = gender;
    }

    /// <summary>130***********1234.</summary>
    public string Masked => Privacy.Mask(Value);

    public override string ToString() => Masked; // never the full number by accident (logs, interpolation)

    public enum Problem
    {
        None,
        Length,
        Format,
        BirthDate,
        CheckDigit,
    }

    public static Problem TryParse(string? input, out IdNumber id)
    {
        id = default;
        var s = (input ?? "").Trim().ToUpperInvariant();
        if (s.Length != 18) return Problem.Length;
        for (var i = 0; i < 17; i++) if (!char.IsAsciiDigit(s[i])) return Problem.Format;
        if (!char.IsAsciiDigit(s[17]) && s[17] != 'X') return Problem.Format;
        if (!DateOnly.TryParseExact(s.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1880)
            return Problem.BirthDate;
        if (CheckChar(s) != s[17]) return Problem.CheckDigit;
        id = new IdNumber(s, birth, (s[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female);
        return Problem.None;
    }

    /// <summary>The check character of the first 17 digits.</summary>
    public static char CheckChar(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    private static class Privacy
    {
        public static string Mask(string v) => Infrastructure.Privacy.Mask.IdNumber(v);
    }
}
