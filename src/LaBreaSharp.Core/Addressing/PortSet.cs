namespace LaBreaSharp.Core.Addressing;

/// <summary>A set of TCP ports as a 65,536-bit map (8 KiB): one bit test per lookup.</summary>
public sealed class PortSet
{
    private readonly ulong[] _bits = new ulong[65536 / 64];

    private PortSet() { }

    public static PortSet None { get; } = new();

    public static PortSet All { get; } = CreateAll();

    public int Count { get; private set; }
    public bool IsEmpty => Count == 0;

    public bool Contains(ushort port) => (_bits[port >> 6] & (1UL << (port & 63))) != 0;

    private void Add(int first, int last)
    {
        for (int port = first; port <= last; port++)
        {
            ref ulong word = ref _bits[port >> 6];
            ulong bit = 1UL << (port & 63);
            if ((word & bit) == 0)
            {
                word |= bit;
                Count++;
            }
        }
    }

    private static PortSet CreateAll()
    {
        var set = new PortSet();
        set.Add(0, 65535);
        return set;
    }

    public static PortSet Of(params ushort[] ports)
    {
        var set = new PortSet();
        foreach (var port in ports)
            set.Add(port, port);
        return set;
    }

    /// <summary>Parses "22,80,8000-8100": ports 1 to 65535, ranges "A-B" with A ≤ B, commas between.
    /// Several option values are joined as if separated by commas.</summary>
    public static bool TryParse(IEnumerable<string> items, out PortSet set, out string error)
    {
        set = new PortSet();
        error = "";
        foreach (var item in items)
        {
            if (item.Trim().Length == 0 || item.Split(',').Any(p => p.Trim().Length == 0))
            {
                error = $"bad port list '{item}': an empty entry";
                return false;
            }
            foreach (var part in item.Split(',', StringSplitOptions.TrimEntries))
            {
                int dash = part.IndexOf('-');
                string firstText = dash < 0 ? part : part[..dash];
                string lastText = dash < 0 ? part : part[(dash + 1)..];
                if (dash >= 0 && lastText.Length == 0)
                {
                    error = $"bad port list '{item}': the range '{part}' needs an end";
                    return false;
                }
                if (dash >= 0 && firstText.Length == 0)
                {
                    error = $"bad port list '{item}': the range '{part}' needs a start";
                    return false;
                }
                if (!TryParsePort(firstText, out int first) || !TryParsePort(lastText, out int last))
                {
                    error = $"bad port list '{item}': '{part}' is not a port from 1 to 65535";
                    return false;
                }
                if (last < first)
                {
                    error = $"bad port list '{item}': the range '{part}' is empty";
                    return false;
                }
                set.Add(first, last);
            }
        }
        return true;
    }

    public static PortSet Parse(string text) => TryParse([text], out var set, out var error) ? set : throw new FormatException(error);

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
