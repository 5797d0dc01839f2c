namespace LaBreaSharp.Core.Tarpit;

/// <summary>How loud an event is; the shell maps it onto its logger's levels.</summary>
public enum EventLevel : byte
{
    /// <summary>Per packet: only with -v.</summary>
    Debug,
    Info,
    Warning,
}

/// <summary>One event, declared once: its fixed name (what the logs print, and what whoever parses
/// them keys on), its level, its text line, and the line LaBrea 2.5 printed for it, if any. The
/// fields an event carries are the ones its text template names.</summary>
public sealed record EventDeclaration(TarpitEventKind Kind, string Name, EventLevel Level, EventTemplate Text, EventTemplate? Labrea);

/// <summary>A reason, declared once: its name, the level it raises its event to, and a note for people.</summary>
public sealed record ReasonDeclaration(TarpitEventReason Reason, string Name, EventLevel Level = EventLevel.Debug, string? Note = null);

/// <summary>Every event and reason the engine emits, each declared once (as Kestrel's SocketsLog
/// declares each message once). The log formatters work only from these declarations: adding an
/// event is an enum member and one line here. Changing a name breaks whoever parses the logs.
///
/// LaBrea's lines, read from LaBrea 2.5's src/lbio.c, src/pkt_handler.c and src/utils.c: replies
/// it sent for TCP were "MESSAGE: SRC SPORT -> DST DPORT F" and for ICMP "MESSAGE: SRC -> DST F",
/// where F alternates '*' and ' ' (so that syslog does not fold identical lines); "Capturing local IP
/// ADDR" and "Additional Activity ADDR" carried no flag. In persist mode LaBrea logged the
/// handshake's ACK and a FIN or RST as "Additional Activity DST". Events LaBrea never logged have
/// no LaBrea line.</summary>
public static class EventCatalogue
{
    private const string Tcp = "{src}:{sport} -> {dst}:{dport}";
    private const string LabreaTcp = ": {src} {sport} -> {dst} {dport} {flag}";

    private static readonly EventDeclaration[] Events = Index<EventDeclaration, TarpitEventKind>(
    [
        Declare(TarpitEventKind.Capture, "capture", EventLevel.Info, "{dst}[ (asked by {src})][ as {system} at {mac}]", "Capturing local IP {dst}"),
        Declare(TarpitEventKind.Release, "release", EventLevel.Info, "{dst} (alive at {mac})[ {note}]"),
        Declare(TarpitEventKind.Connect, "connect", EventLevel.Info, Tcp, "Initial Connect - tarpitting" + LabreaTcp),
        Declare(TarpitEventKind.Established, "established", EventLevel.Info, Tcp, "Additional Activity {dst}"),
        Declare(TarpitEventKind.Persist, "persist", EventLevel.Info, Tcp, "Persist Trapping" + LabreaTcp),
        Declare(TarpitEventKind.Probe, "probe", EventLevel.Debug, Tcp, "Persist Activity" + LabreaTcp),
        Declare(TarpitEventKind.CloseIgnored, "close-ignored", EventLevel.Info, Tcp, "Additional Activity {dst}"),
        Declare(TarpitEventKind.SynAckRst, "synack-rst", EventLevel.Info, Tcp, "Inbound SYN/ACK" + LabreaTcp),
        Declare(TarpitEventKind.Ping, "ping", EventLevel.Info, "{src} -> {dst}", "Responded to a Ping: {src} -> {dst} {flag}"),
        Declare(TarpitEventKind.LimitDrop, "limit-drop", EventLevel.Info, "{count} replies ({reason}[, from {src}])"),
        Declare(TarpitEventKind.Stats, "stats", EventLevel.Info, "{counters}"),
        Declare(TarpitEventKind.BannerStart, "banner-start", EventLevel.Info, Tcp + " {banner}"),
        Declare(TarpitEventKind.BannerEnd, "banner-end", EventLevel.Info, Tcp + " {banner} lines={lines} bytes={bytes} held={seconds}s ({reason})"),
        Declare(TarpitEventKind.Drop, "drop", EventLevel.Info, Tcp + " after {seconds}s"),
        Declare(TarpitEventKind.Ban, "ban", EventLevel.Info, "{src} for {seconds}s"),
        Declare(TarpitEventKind.ClaimRefused, "claim-refused", EventLevel.Info, "{dst} ({reason}[ at {mac}])[ {note}]"),
        Declare(TarpitEventKind.Flood, "flood", EventLevel.Info, "{of} {dst} x{count} in a second from {sources} sources[ (most: {top})]"),
        Declare(TarpitEventKind.EventsLost, "events-lost", EventLevel.Warning, "{count} events not written: the log fell behind (every packet was still answered)"),
    ], d => d.Kind);

    private static readonly ReasonDeclaration[] Reasons = Index<ReasonDeclaration, TarpitEventReason>(
    [
        new(TarpitEventReason.None, "none"),
        new(TarpitEventReason.Conflict, "conflict"),
        new(TarpitEventReason.HardCaptureConflict, "hard-capture-conflict", EventLevel.Warning,
            "warning: a hard-captured address is in use by another host"),
        new(TarpitEventReason.PacketRate, "packet-rate"),
        new(TarpitEventReason.Bandwidth, "bandwidth"),
        new(TarpitEventReason.SourceRate, "source-rate"),
        new(TarpitEventReason.Reset, "reset"),
        new(TarpitEventReason.Unanswered, "unanswered"),
        new(TarpitEventReason.Evicted, "evicted"),
        new(TarpitEventReason.Dropped, "dropped"),
        new(TarpitEventReason.Reopened, "reopened"),
        new(TarpitEventReason.Answered, "answered"),
        new(TarpitEventReason.Gateway, "gateway", EventLevel.Info, "(the host's own gateway is never claimed)"),
        new(TarpitEventReason.Neighbour, "neighbour", EventLevel.Info, "(the host's neighbour table holds it as reachable)"),
    ], r => r.Reason);

    private static readonly string[] BannerNames = ["none", "ssh", "http", "smtp", "telnet"];

    /// <summary>The name of a banner kind, as the logs and options write it.</summary>
    public static string NameOf(Behaviours.BannerKind kind) => (uint)kind < (uint)BannerNames.Length ? BannerNames[(int)kind] : "unknown";

    public static IReadOnlyList<EventDeclaration> All => Events;
    public static IReadOnlyList<ReasonDeclaration> AllReasons => Reasons;

    public static EventDeclaration Of(TarpitEventKind kind) => Events[(int)kind];

    public static ReasonDeclaration Of(TarpitEventReason reason) => Reasons[(int)reason];

    /// <summary>The event's own level, raised by its reason's (a hard-capture conflict is a warning).</summary>
    public static EventLevel LevelOf(in TarpitEvent e) => (EventLevel)Math.Max((byte)Of(e.Kind).Level, (byte)Of(e.Reason).Level);

    private static EventDeclaration Declare(TarpitEventKind kind, string name, EventLevel level, string text, string? labrea = null) =>
        new(kind, name, level, EventTemplate.Parse(text), labrea is null ? null : EventTemplate.Parse(labrea));

    /// <summary>The declarations in enum order, checked: exactly one for every value of the enum.</summary>
    private static T[] Index<T, TEnum>(T[] declarations, Func<T, TEnum> key) where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var indexed = new T[values.Length];
        foreach (var declaration in declarations)
        {
            int at = Convert.ToInt32(key(declaration), System.Globalization.CultureInfo.InvariantCulture);
            if ((uint)at >= (uint)indexed.Length || indexed[at] is not null)
                throw new InvalidOperationException($"{typeof(TEnum).Name} {key(declaration)} is declared twice or is not a value");
            indexed[at] = declaration;
        }
        int missing = Array.FindIndex(indexed, d => d is null);
        if (missing >= 0)
            throw new InvalidOperationException($"{typeof(TEnum).Name} {values[missing]} has no declaration");
        return indexed;
    }
}
