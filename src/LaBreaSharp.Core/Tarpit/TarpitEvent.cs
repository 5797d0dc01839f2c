using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>Every decision worth knowing about, by fixed name (the names are what the logs print).</summary>
public enum TarpitEventKind : byte
{
    /// <summary>An address was claimed (ARP takeover or hard capture). Destination = the address, Source = the requester.</summary>
    Capture,
    /// <summary>A claimed address turned out to be alive and was given back. Destination = the address, Mac = its owner.</summary>
    Release,
    /// <summary>A new SYN was answered with a SYN-ACK: a connection is being tarpitted.</summary>
    Connect,
    /// <summary>The handshake's ACK arrived: the attacker believes the connection is open.</summary>
    Established,
    /// <summary>The first data segment was acknowledged with window 0: the attacker's stack is now in persist state.</summary>
    Persist,
    /// <summary>A window probe was answered (per packet; logged only at -v or as counts in stats).</summary>
    Probe,
    /// <summary>A FIN or RST on a trapped connection was ignored.</summary>
    CloseIgnored,
    /// <summary>An unsolicited SYN-ACK was answered with a RST.</summary>
    SynAckRst,
    /// <summary>An ICMP echo request to a claimed address was answered.</summary>
    Ping,
    /// <summary>Replies were dropped by a rate or bandwidth cap; Count says how many since the last such event.</summary>
    LimitDrop,
    /// <summary>Periodic counters; the payload is in <see cref="TarpitEvent.Counters"/>.</summary>
    Stats,
    /// <summary>A banner port's handshake completed: the drip begins.</summary>
    BannerStart,
    /// <summary>A banner conversation ended: Lines, Bytes and Seconds say what it cost the client; Reason why it ended.</summary>
    BannerEnd,
    /// <summary>A flow was forgotten after --drop-after, with no FIN or RST; nothing is sent to it again.</summary>
    Drop,
    /// <summary>A source was banned for Seconds (--ban): nothing it sends is answered until then.</summary>
    Ban,
    /// <summary>The takeover rule wanted an address but it is in use: Reason says how that was known
    /// (it answered the tarpit's ARP probe from Mac, or it is the host's gateway or a reachable neighbour).</summary>
    ClaimRefused,
    /// <summary>Written by the log, never by the engine: under a flood, Count events of kind Folded to
    /// Destination in one second, from Sources distinct sources (Top: the busiest), as one line.</summary>
    Flood,
    /// <summary>Written by the log, never by the engine: Count events found the log's queue full and
    /// were not written (the packets were still answered).</summary>
    EventsLost,
}

/// <summary>Why an address was released, or which limit dropped replies.</summary>
public enum TarpitEventReason : byte
{
    None,
    /// <summary>Another MAC spoke for a claimed address (ARP or IP).</summary>
    Conflict,
    /// <summary>A hard-captured address was spoken for by another MAC: worth a warning.</summary>
    HardCaptureConflict,
    PacketRate,
    Bandwidth,
    SourceRate,
    /// <summary>The client reset the connection: its socket is gone.</summary>
    Reset,
    /// <summary>The client stopped acknowledging: retransmissions or window probes ran out.</summary>
    Unanswered,
    /// <summary>The conversation table needed the slot for a newer flow.</summary>
    Evicted,
    /// <summary>--drop-after: forgotten on purpose.</summary>
    Dropped,
    /// <summary>The same 4-tuple opened a new connection.</summary>
    Reopened,
    /// <summary>An address answered the tarpit's ARP probe (or spoke) before it was claimed.</summary>
    Answered,
    /// <summary>The host routes through the address.</summary>
    Gateway,
    /// <summary>The host's neighbour table holds the address as reachable.</summary>
    Neighbour,
}

/// <summary>One event, a value type so emitting it allocates nothing. Fields that do not apply
/// to a kind are default.</summary>
public readonly record struct TarpitEvent(
    TarpitEventKind Kind,
    long TimeNanoseconds,
    Ipv4Address Source,
    ushort SourcePort,
    Ipv4Address Destination,
    ushort DestinationPort,
    MacAddress Mac = default,
    TarpitEventReason Reason = TarpitEventReason.None,
    long Count = 0,
    EngineCounters? Counters = null,
    Behaviours.BannerKind Banner = Behaviours.BannerKind.None,
    long Lines = 0,
    long Bytes = 0,
    long Seconds = 0,
    TarpitEventKind Folded = default,
    long Sources = 0,
    string? Top = null,
    string? System = null);

/// <summary>Where the engine sends its events. <see cref="IsEnabled"/> is asked before a per-packet
/// event is built, so a disabled kind costs one call and nothing else.</summary>
public interface ITarpitEventSink
{
    bool IsEnabled(TarpitEventKind kind);
    void Emit(in TarpitEvent tarpitEvent);
}

/// <summary>Where the engine sends the frames it crafts. The span is valid only during the call;
/// <paramref name="time"/> is the engine's clock when it sent it (the time of the frame that caused
/// it, or of the timer).</summary>
public interface IFrameSink
{
    void Send(ReadOnlySpan<byte> frame, long time);
}

/// <summary>Discards events: for benchmarks and for tests that look only at frames.</summary>
public sealed class NullEventSink : ITarpitEventSink
{
    public static NullEventSink Instance { get; } = new();
    public bool IsEnabled(TarpitEventKind kind) => false;
    public void Emit(in TarpitEvent tarpitEvent) { }
}
