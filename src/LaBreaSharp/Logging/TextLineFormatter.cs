using System.Globalization;
using System.Text;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>The human format: <c>2026-11-21T12:00:00.000Z connect 192.0.2.2:40000 -> 192.0.2.100:80</c>.
/// The event name is always the second field, so <c>awk '$2 == "connect"'</c> works.</summary>
internal sealed class TextLineFormatter : EventLineFormatter
{
    private readonly StringBuilder _line = new(256);

    public override bool LeadsWithTimestamp => true;

    public override string Format(in TarpitEvent tarpitEvent)
    {
        _line.Clear();
        var time = EventTime.ToUtc(tarpitEvent.TimeNanoseconds);
        _line.Append(CultureInfo.InvariantCulture, $"{time:yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff}Z ");
        AppendBody(_line, tarpitEvent);
        return _line.ToString();
    }

    /// <summary>Everything after the time stamp; the LaBrea format reuses it for events LaBrea never logged.</summary>
    public static void AppendBody(StringBuilder line, in TarpitEvent e)
    {
        var invariant = CultureInfo.InvariantCulture;
        line.Append(EventNames.Of(e.Kind));
        switch (e.Kind)
        {
            case TarpitEventKind.Capture:
                line.Append(invariant, $" {e.Destination}");
                if (e.Source != Ipv4Address.Any)
                    line.Append(invariant, $" (asked by {e.Source})");
                break;
            case TarpitEventKind.Release:
                line.Append(invariant, $" {e.Destination} (alive at {e.Mac})");
                if (e.Reason == TarpitEventReason.HardCaptureConflict)
                    line.Append(" warning: a hard-captured address is in use by another host");
                break;
            case TarpitEventKind.Ping:
                line.Append(invariant, $" {e.Source} -> {e.Destination}");
                break;
            case TarpitEventKind.LimitDrop:
                line.Append(invariant, $" {e.Count} replies ({EventNames.Of(e.Reason)}");
                if (e.Source != Ipv4Address.Any)
                    line.Append(invariant, $", from {e.Source}");
                line.Append(')');
                break;
            case TarpitEventKind.Stats:
                if (e.Counters is { } counters)
                    AppendCounters(line, counters);
                break;
            default:
                line.Append(invariant, $" {e.Source}:{e.SourcePort} -> {e.Destination}:{e.DestinationPort}");
                break;
        }
    }

    private static void AppendCounters(StringBuilder line, EngineCounters counters)
    {
        Span<char> key = stackalloc char[64];
        foreach (var (name, value) in counters.Fields())
        {
            line.Append(' ').Append(key[..EventNames.WriteCounterKey(name, key)]).Append('=');
            line.Append(CultureInfo.InvariantCulture, $"{value}");
        }
    }
}
