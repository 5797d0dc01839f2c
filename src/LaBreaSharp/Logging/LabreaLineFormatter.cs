using System.Globalization;
using System.Text;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>LaBrea 2.5's log lines, so parsers written for LaBrea keep working: the epoch seconds
/// and a space (util_print's prefix with -O; the other, ctime's local time, depends on the time
/// zone), then the event's LaBrea line from <see cref="EventCatalogue"/>. Events LaBrea never logged
/// are written as "labreasharp " and the text format's body, a prefix no LaBrea message has, so a
/// LaBrea parser skips them as unknown.</summary>
internal sealed class LabreaLineFormatter : EventLineFormatter
{
    private readonly StringBuilder _line = new(128);
    private readonly LabreaFlag _flag = new();

    public override bool LeadsWithTimestamp => true;

    public override string Format(in TarpitEvent e)
    {
        _line.Clear();
        _line.Append(CultureInfo.InvariantCulture, $"{EventTime.EpochSeconds(e.TimeNanoseconds)} ");
        if (EventCatalogue.Of(e.Kind).Labrea is { } labrea)
        {
            TemplateText.Append(_line, labrea.Parts, e, _flag);
        }
        else
        {
            _line.Append("labreasharp ");
            TemplateText.AppendBody(_line, e);
        }
        return _line.ToString();
    }
}
