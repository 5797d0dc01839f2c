using LaBreaSharp.Core.Tarpit;
using NLog;

namespace LaBreaSharp.Logging;

/// <summary>The shell's side of <see cref="EventCatalogue"/>: its levels as NLog's, and counter
/// names as log keys.</summary>
internal static class EventNames
{
    public static int KindCount => EventCatalogue.All.Count;

    public static string Of(TarpitEventKind kind) => (uint)kind < (uint)EventCatalogue.All.Count ? EventCatalogue.Of(kind).Name : "unknown";

    public static string Of(TarpitEventReason reason) =>
        (uint)reason < (uint)EventCatalogue.AllReasons.Count ? EventCatalogue.Of(reason).Name : "unknown";

    public static LogLevel LevelOf(in TarpitEvent e) => Level(EventCatalogue.LevelOf(e));

    /// <summary>The level an event of <paramref name="kind"/> is logged at when its reason raises nothing.</summary>
    public static LogLevel LevelOf(TarpitEventKind kind) => Level(EventCatalogue.Of(kind).Level);

    private static LogLevel Level(EventLevel level) => level switch
    {
        EventLevel.Debug => LogLevel.Debug,
        EventLevel.Warning => LogLevel.Warn,
        _ => LogLevel.Info,
    };

    /// <summary>Counter names as keys: "frames read" and "persist-trapped" become frames_read and
    /// persist_trapped, written into <paramref name="destination"/> without allocating.</summary>
    public static int WriteCounterKey(string name, Span<char> destination)
    {
        int length = Math.Min(name.Length, destination.Length);
        for (int i = 0; i < length; i++)
            destination[i] = name[i] is ' ' or '-' ? '_' : name[i];
        return length;
    }
}
