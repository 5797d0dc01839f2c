using System.Globalization;
using System.Text;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>The human format: <c>2026-11-21T12:00:00.000Z connect 192.0.2.2:40000 -> 192.0.2.100:80</c>,
/// each event's text template from <see cref="EventCatalogue"/> after its name. The event name is
/// always the second field, so <c>awk '$2 == "connect"'</c> works.</summary>
internal sealed class TextLineFormatter : EventLineFormatter
{
    private readonly StringBuilder _line = new(256);

    public override bool LeadsWithTimestamp => true;

    public override string Format(in TarpitEvent tarpitEvent)
    {
        _line.Clear();
        var time = EventTime.ToUtc(tarpitEvent.TimeNanoseconds);
        _line.Append(CultureInfo.InvariantCulture, $"{time:yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff}Z ");
        TemplateText.AppendBody(_line, tarpitEvent);
        return _line.ToString();
    }
}
