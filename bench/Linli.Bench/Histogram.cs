using System.Numerics;

namespace Linli.Bench;

/// <summary>
/// Latencies in microseconds in a fixed, preallocated log-linear histogram: exact below 256 µs, then 128 buckets per
/// power of two (under 0.8 % relative error) up to about 12 days. Recording allocates nothing; one histogram per
/// worker, merged at the end, so recording needs no locks.
/// </summary>
public sealed class Histogram
{
    private const int SubBits = 7;
    private const int Sub = 1 << SubBits;   // 128
    private const int Linear = 2 * Sub;     // 0..255 exactly
    private const int MaxMsb = 40;
    private const long MaxValue = (1L << (MaxMsb + 1)) - 1;

    private readonly long[] _counts = new long[Linear + (MaxMsb - SubBits) * Sub];

    public long Count { get; private set; }
    public long Max { get; private set; }
    public long Min { get; private set; } = long.MaxValue;
    public double SumMicros { get; private set; }

    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        if (micros > MaxValue) micros = MaxValue;
        _counts[Index(micros)]++;
        Count++;
        SumMicros += micros;
        if (micros > Max) Max = micros;
        if (micros < Min) Min = micros;
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        SumMicros += other.SumMicros;
        if (other.Count > 0)
        {
            Max = Math.Max(Max, other.Max);
            Min = Math.Min(Min, other.Min);
        }
    }

    private static int Index(long v)
    {
        if (v < Linear) return (int)v;
        var msb = 63 - BitOperations.LeadingZeroCount((ulong)v);
        var shift = msb - SubBits;
        var top = (int)(v >> shift); // 128..255
        return Linear + (shift - 1) * Sub + (top - Sub);
    }

    /// <summary>The middle of bucket <paramref name="i"/>.</summary>
    private static double Middle(int i)
    {
        if (i < Linear) return i;
        var shift = (i - Linear) / Sub + 1;
        long top = (i - Linear) % Sub + Sub;
        var low = top << shift;
        return low + ((1L << shift) - 1) / 2.0;
    }

    /// <summary>The value at percentile <paramref name="p"/> (0..100) in microseconds; nearest-rank.</summary>
    public double Percentile(double p)
    {
        if (Count == 0) return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(p / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Clamp(Middle(i), Min, Max);
        }
        return Max;
    }

    public double MeanMicros => Count == 0 ? double.NaN : SumMicros / Count;
}
