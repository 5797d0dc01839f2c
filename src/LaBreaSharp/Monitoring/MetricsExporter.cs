using System.Text;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Tarpit;
using Prometheus;

namespace LaBreaSharp.Monitoring;

/// <summary>The tarpit's Prometheus metrics, in a registry of their own (no process or runtime
/// metrics: this is the tarpit's, and the node exporter has the host's). Nothing is updated on
/// the packet path: before each collection the registry asks the loop for a snapshot
/// (<see cref="EngineWindow"/>) and sets every metric from it. Every line of the summary is a
/// counter (<c>labreasharp_frames_read_total</c> for "frames read"), but for the three that are
/// levels, which are gauges; the "ignored …" lines are one counter with a <c>reason</c> label.
/// Labels are only ever states, behaviours, reasons and ports (the ten busiest, the rest as
/// "other"): never a source address, so the number of series has a bound.</summary>
public sealed class MetricsExporter
{
    public const string Prefix = "labreasharp_";
    /// <summary>Ports with a series of their own in <c>labreasharp_flows_by_port</c>.</summary>
    public const int PortSeries = 10;

    private static readonly HashSet<string> Levels = ["active flows", "active conversations", "bans active"];
    private const string IgnoredPrefix = "ignored ";

    private readonly Func<LiveSnapshot?> _take;
    private readonly MetricFactory _factory;
    private readonly Dictionary<string, Counter> _counters = [];
    private readonly Dictionary<string, Gauge> _levels = [];
    private readonly Counter _ignored;
    private readonly Gauge _flows;
    private readonly Gauge _byPort;
    private readonly Histogram _held;
    private readonly Gauge _scrapeFailures;
    private readonly Counter _events;
    private readonly HashSet<string> _portsShown = [];
    private readonly long[] _heldCounts = new long[HeldTimes.Bounds.Length + 1];
    private readonly long[] _heldSums = new long[HeldTimes.Bounds.Length + 1];
    private int _failures;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <param name="take">Asks the loop for a snapshot; null when it did not answer in time.</param>
    public MetricsExporter(Func<LiveSnapshot?> take)
    {
        _take = take;
        _factory = Metrics.WithCustomRegistry(Registry);
        var factory = _factory;
        _ignored = factory.CreateCounter(Prefix + "ignored_frames_total", "Frames left unanswered, by reason (the summary's \"ignored …\" lines).", "reason");
        _flows = factory.CreateGauge(Prefix + "flows", "Connections held now, by state and behaviour.", "state", "behaviour");
        foreach (string state in TrappedView.States)
            foreach (string behaviour in TrappedView.Behaviours)
                _flows.WithLabels(state, behaviour).Set(0);
        _byPort = factory.CreateGauge(Prefix + "flows_by_port", $"Connections held now, by destination port: the {PortSeries} busiest ports, the rest as \"other\".", "port");
        _byPort.WithLabels("other").Set(0);
        _held = factory.CreateHistogram(Prefix + "held_seconds", "How long the connections that ended (expired, evicted, conversation over) had been held, first to last segment.",
            new HistogramConfiguration { Buckets = [.. HeldTimes.Bounds.Select(b => (double)b)] });
        _events = factory.CreateCounter(Prefix + "events_total", "Events the log took, by kind (those folded into flood lines included; probe events only with -v).", "kind");
        foreach (var declaration in EventCatalogue.All)
            _events.WithLabels(declaration.Name);
        _scrapeFailures = factory.CreateGauge(Prefix + "scrape_timeouts", "Scrapes the loop did not answer within two seconds, since the start (the figures then stay as the last scrape left them).");
        Registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>"frames read" → "frames_read"; "persist-trapped" → "persist_trapped".</summary>
    public static string MetricName(string summaryName)
    {
        var name = new StringBuilder(summaryName.Length);
        foreach (char c in summaryName)
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        return name.ToString();
    }

    private void Update()
    {
        if (_take() is not { } snapshot)
        {
            _scrapeFailures.Set(++_failures);
            return;
        }
        // A summary line's metric is made the first time a snapshot carries it: the snapshot is
        // the one list of what the summary holds.
        foreach (var (name, value) in snapshot.View.Counters.Fields().Concat(snapshot.Extras))
        {
            if (name.StartsWith(IgnoredPrefix, StringComparison.Ordinal))
                _ignored.WithLabels(MetricName(name[IgnoredPrefix.Length..])).IncTo(value);
            else if (Levels.Contains(name))
                (_levels.TryGetValue(name, out var gauge) ? gauge
                    : _levels[name] = _factory.CreateGauge(Prefix + MetricName(name), $"The summary's \"{name}\": how many there are now.")).Set(value);
            else if (name != "ignored") // the sum of the ignored_frames_total series
                (_counters.TryGetValue(name, out var counter) ? counter
                    : _counters[name] = _factory.CreateCounter(Prefix + MetricName(name) + "_total", $"The summary's \"{name}\".")).IncTo(value);
        }
        foreach (string state in TrappedView.States)
            foreach (string behaviour in TrappedView.Behaviours)
                _flows.WithLabels(state, behaviour).Set(snapshot.View.ByState.GetValueOrDefault((state, behaviour)));
        foreach (var (kind, count) in snapshot.Events)
            _events.WithLabels(kind).IncTo(count);
        UpdatePorts(snapshot.View.ByPort);
        UpdateHeld(snapshot.View.Ended);
    }

    private void UpdatePorts(IReadOnlyDictionary<ushort, long> byPort)
    {
        var busiest = byPort.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(PortSeries).ToList();
        var shown = busiest.Select(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        foreach (string gone in _portsShown.Except(shown).ToList())
        {
            _byPort.RemoveLabelled(gone);
            _portsShown.Remove(gone);
        }
        foreach (var (port, count) in busiest)
        {
            string label = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _byPort.WithLabels(label).Set(count);
            _portsShown.Add(label);
        }
        _byPort.WithLabels("other").Set(byPort.Values.Sum() - busiest.Sum(p => p.Value));
    }

    /// <summary>The engine keeps per-bucket counts and sums; the histogram is fed what was added
    /// since the last scrape, each bucket's new flows observed at their mean held time (which lies
    /// inside the bucket, so the counts land where they belong and the sum is exact).</summary>
    private void UpdateHeld(HeldTimes ended)
    {
        for (int i = 0; i < _heldCounts.Length; i++)
        {
            long count = ended.Count(i) - _heldCounts[i];
            long sum = ended.Sum(i) - _heldSums[i];
            if (count > 0)
                _held.Observe((double)sum / count, count);
            _heldCounts[i] = ended.Count(i);
            _heldSums[i] = ended.Sum(i);
        }
    }
}
