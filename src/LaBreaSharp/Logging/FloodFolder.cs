using System.Globalization;
using LaBreaSharp.Core;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>Under a flood, per-connection events fold into one <c>flood</c> line per second, per
/// kind and destination: how many, from how many distinct sources, and the busiest three. Within
/// each second (by the events' own time) the first <c>rate</c> per-connection events are written
/// one by one; the rest are counted, so every event is accounted for and 100,000 SYNs a second
/// make a few lines, not 100,000. Lives on the log's writer thread; not thread-safe.</summary>
internal sealed class FloodFolder(int rate)
{
    /// <summary>Distinct sources tracked per line; past this a line says "at least".</summary>
    private const int MaxSources = 65_536;

    private readonly Dictionary<(TarpitEventKind Kind, uint Destination), Group> _groups = [];
    private long _second = long.MinValue;
    private int _written;

    public int Rate => rate;
    public bool HasPending => _groups.Count > 0;

    /// <summary>Events about one connection: the ones a flood makes by the hundred thousand.</summary>
    public static bool IsPerConnection(TarpitEventKind kind) => kind is TarpitEventKind.Connect or TarpitEventKind.Established
        or TarpitEventKind.Persist or TarpitEventKind.Probe or TarpitEventKind.CloseIgnored or TarpitEventKind.SynAckRst
        or TarpitEventKind.Ping or TarpitEventKind.BannerStart or TarpitEventKind.BannerEnd or TarpitEventKind.Drop or TarpitEventKind.Ban;

    /// <summary>True when <paramref name="e"/> was folded (and is not to be written). A new second
    /// first moves the last one's flood lines to <paramref name="due"/>.</summary>
    public bool Fold(in TarpitEvent e, List<TarpitEvent> due)
    {
        long second = e.TimeNanoseconds / Time.Second;
        if (second != _second)
        {
            Drain(due);
            _second = second;
            _written = 0;
        }
        if (!IsPerConnection(e.Kind))
            return false;
        if (_written < rate)
        {
            _written++;
            return false;
        }
        var key = (e.Kind, e.Destination.Value);
        if (!_groups.TryGetValue(key, out var group))
            _groups[key] = group = new Group();
        group.Add(e.Source.Value, e.TimeNanoseconds);
        return true;
    }

    /// <summary>Moves the pending flood lines to <paramref name="due"/> if their second ended before
    /// <paramref name="now"/> (nanoseconds, the events' clock): a pause inside a flood's second does
    /// not split its line.</summary>
    public void DrainEnded(long now, List<TarpitEvent> due)
    {
        if (now / Time.Second > _second)
            Drain(due);
    }

    /// <summary>Moves every pending flood line to <paramref name="due"/>.</summary>
    public void Drain(List<TarpitEvent> due)
    {
        foreach (var ((kind, destination), group) in _groups)
        {
            due.Add(new TarpitEvent(TarpitEventKind.Flood, group.Last, default, 0, new Core.Addressing.Ipv4Address(destination), 0,
                Count: group.Count, Folded: kind, Sources: group.BySource.Count, Top: group.Top()));
        }
        _groups.Clear();
    }

    private sealed class Group
    {
        public long Count;
        public long Last;
        public readonly Dictionary<uint, long> BySource = [];

        public void Add(uint source, long time)
        {
            Count++;
            Last = time;
            if (BySource.TryGetValue(source, out long n))
                BySource[source] = n + 1;
            else if (BySource.Count < MaxSources)
                BySource[source] = 1;
        }

        public string Top() => string.Join(", ", BySource.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(3)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{new Core.Addressing.Ipv4Address(p.Key)} {p.Value}")));
    }
}
