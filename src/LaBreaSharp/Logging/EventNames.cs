using LaBreaSharp.Core.Tarpit;
using NLog;

namespace LaBreaSharp.Logging;

/// <summary>The fixed words the text and JSON logs use for kinds and reasons, and the level each
/// event is logged at. Changing a name here breaks whoever parses the logs.</summary>
internal static class EventNames
{
    private static readonly string[] Kinds =
    [
        "capture", "release", "connect", "established", "persist", "probe",
        "close-ignored", "synack-rst", "ping", "limit-drop", "stats",
    ];

    private static readonly string[] Reasons =
    [
        "none", "conflict", "hard-capture-conflict", "packet-rate", "bandwidth", "source-rate",
    ];

    public static int KindCount => Kinds.Length;

    public static string Of(TarpitEventKind kind) => (uint)kind < (uint)Kinds.Length ? Kinds[(int)kind] : "unknown";

    public static string Of(TarpitEventReason reason) => (uint)reason < (uint)Reasons.Length ? Reasons[(int)reason] : "unknown";

    /// <summary>Probes are per packet, so they sit one level below everything else and appear only
    /// with -v; giving back a hard-captured address is worth a warning.</summary>
    public static LogLevel LevelOf(TarpitEventKind kind, TarpitEventReason reason) => kind switch
    {
        TarpitEventKind.Probe => LogLevel.Debug,
        TarpitEventKind.Release when reason == TarpitEventReason.HardCaptureConflict => LogLevel.Warn,
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
