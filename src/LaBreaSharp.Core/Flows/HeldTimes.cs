namespace LaBreaSharp.Core.Flows;

/// <summary>How long the connections that ended were held, in fixed buckets: a count and a sum
/// of seconds per bucket, bumped once per ended flow (an expiry, an eviction, a conversation's
/// end), never per packet. The bounds are chosen for a tarpit: seconds for scanners that give
/// up, 15 minutes for where LaBrea and the netfilter TARPIT lose a Linux client, then hours.
/// A scrape turns the buckets into a Prometheus histogram (counts are cumulative there).</summary>
public sealed class HeldTimes
{
    /// <summary>Upper bounds (inclusive) in seconds; a last, unbounded bucket follows them.</summary>
    public static readonly uint[] Bounds = [1, 10, 60, 300, 900, 1_800, 3_600, 14_400, 43_200, 86_400];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private readonly long[] _sums = new long[Bounds.Length + 1];

    /// <summary>A flow held for <paramref name="seconds"/> has ended.</summary>
    public void Record(uint seconds)
    {
        int i = 0;
        while (i < Bounds.Length && seconds > Bounds[i])
            i++;
        _counts[i]++;
        _sums[i] += seconds;
    }

    /// <summary>Flows ended in bucket <paramref name="bucket"/> (not cumulative).</summary>
    public long Count(int bucket) => _counts[bucket];

    /// <summary>The seconds those flows were held, together.</summary>
    public long Sum(int bucket) => _sums[bucket];

    public long TotalCount => _counts.Sum();
    public long TotalSeconds => _sums.Sum();

    public HeldTimes Snapshot()
    {
        var copy = new HeldTimes();
        _counts.CopyTo(copy._counts, 0);
        _sums.CopyTo(copy._sums, 0);
        return copy;
    }
}
