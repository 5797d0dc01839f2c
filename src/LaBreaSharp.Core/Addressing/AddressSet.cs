using System.Runtime.CompilerServices;

namespace LaBreaSharp.Core.Addressing;

/// <summary>An inclusive range of IPv4 addresses.</summary>
public readonly record struct AddressRange(Ipv4Address First, Ipv4Address Last)
{
    public bool Contains(Ipv4Address address) => address >= First && address <= Last;
    public bool Overlaps(AddressRange other) => First <= other.Last && other.First <= Last;
    public ulong Size => (ulong)Last.Value - First.Value + 1;
    public override string ToString() => First == Last ? First.ToString() : $"{First}-{Last}";
    public static AddressRange From(Cidr cidr) => new(cidr.First, cidr.Last);
}

/// <summary>A set of IPv4 addresses kept as sorted, merged ranges: lookups are a binary search
/// over a small array, with no allocation.</summary>
public sealed class AddressSet
{
    private readonly AddressRange[] _ranges;

    public static AddressSet Empty { get; } = new([]);

    private AddressSet(AddressRange[] sortedMergedRanges) => _ranges = sortedMergedRanges;

    public IReadOnlyList<AddressRange> Ranges => _ranges;
    public bool IsEmpty => _ranges.Length == 0;

    public static AddressSet Of(IEnumerable<AddressRange> ranges)
    {
        var sorted = ranges.OrderBy(r => r.First.Value).ToList();
        var merged = new List<AddressRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && (ulong)merged[^1].Last.Value + 1 >= range.First.Value)
            {
                var last = merged[^1];
                merged[^1] = new AddressRange(last.First, range.Last > last.Last ? range.Last : last.Last);
            }
            else
            {
                merged.Add(range);
            }
        }
        return new AddressSet([.. merged]);
    }

    public static AddressSet Of(params Cidr[] prefixes) => Of(prefixes.Select(AddressRange.From));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(Ipv4Address address)
    {
        var ranges = _ranges;
        // Most sets hold zero or one range (a -n network, the ignore list): no search for those,
        // and no call either, since this part is inlined into the engine's checks.
        if (ranges.Length <= 1)
            return ranges.Length == 1 && ranges[0].Contains(address);
        return Search(ranges, address);
    }

    private static bool Search(AddressRange[] ranges, Ipv4Address address)
    {
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            var range = ranges[middle];
            if (address < range.First)
                high = middle - 1;
            else if (address > range.Last)
                low = middle + 1;
            else
                return true;
        }
        return false;
    }

    public bool Overlaps(AddressRange range) => _ranges.Any(r => r.Overlaps(range));

    /// <summary>Parses one item: an address, a range "A-B" (A ≤ B), or a CIDR prefix.</summary>
    public static bool TryParseItem(string text, out AddressRange range, out string error)
    {
        range = default;
        error = "";
        text = text.Trim();
        if (text.Contains('/'))
        {
            if (!Cidr.TryParse(text, out var cidr, out error))
                return false;
            range = AddressRange.From(cidr);
            return true;
        }
        int dash = text.IndexOf('-');
        if (dash >= 0)
        {
            if (!Ipv4Address.TryParse(text.AsSpan(0, dash), out var first) || !Ipv4Address.TryParse(text.AsSpan(dash + 1), out var last))
            {
                error = $"'{text}' is not an address range (expected a.b.c.d-e.f.g.h)";
                return false;
            }
            if (last < first)
            {
                error = $"'{text}' is an empty range: {last} comes before {first}";
                return false;
            }
            range = new AddressRange(first, last);
            return true;
        }
        if (!Ipv4Address.TryParse(text, out var single))
        {
            error = $"'{text}' is not an IPv4 address, range or CIDR prefix";
            return false;
        }
        range = new AddressRange(single, single);
        return true;
    }

    /// <summary>Parses items that may each also be a comma-separated list.</summary>
    public static bool TryParse(IEnumerable<string> items, out AddressSet set, out string error)
    {
        set = Empty;
        var ranges = new List<AddressRange>();
        foreach (var item in items.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!TryParseItem(item, out var range, out error))
                return false;
            ranges.Add(range);
        }
        set = Of(ranges);
        error = "";
        return true;
    }

    public override string ToString() => string.Join(",", _ranges);
}
