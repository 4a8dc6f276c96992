namespace Linli.Web.Infrastructure.Privacy;

/// <summary>Masks personal data for screens, exports and the audit log.</summary>
public static class Mask
{
    /// <summary>13812345678 → 138****5678.</summary>
    public static string Phone(string? phone) =>
        string.IsNullOrEmpty(phone) ? "" : phone.Length == 11 ? $"{phone[..3]}****{phone[7..]}" : new string('*', phone.Length);

    /// <summary>130102199001011234 → 130***********1234.</summary>
    public static string IdNumber(string? id) =>
        string.IsNullOrEmpty(id) ? "" : id.Length > 7 ? $"{id[..3]}{new string('*', id.Length - 7)}{id[^4..]}" : new string('*', id.Length);
}
