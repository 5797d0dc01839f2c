using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>Turns one event into one log line (without the newline). Instances keep reusable
/// buffers and, for the LaBrea format, state between lines, so one belongs to one thread.</summary>
internal abstract class EventLineFormatter
{
    /// <summary>True when the line starts with a time stamp and a space; syslog stamps its own and
    /// drops that field.</summary>
    public abstract bool LeadsWithTimestamp { get; }

    public abstract string Format(in TarpitEvent tarpitEvent);

    public static EventLineFormatter For(LogFormat format) => format switch
    {
        LogFormat.Text => new TextLineFormatter(),
        LogFormat.Json => new JsonLineFormatter(),
        LogFormat.Labrea => new LabreaLineFormatter(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown log format"),
    };
}
