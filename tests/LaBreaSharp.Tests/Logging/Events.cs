using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

/// <summary>One sample event of each kind, all at 2026-11-21T12:00:00Z, with documentation addresses.</summary>
internal static class Events
{
    /// <summary>2026-11-21T12:00:00Z in Unix nanoseconds (1795262400 s).</summary>
    public const long Noon = 1_795_262_400L * 1_000_000_000;

    public static readonly Ipv4Address Attacker = Ipv4Address.Parse("192.0.2.2");
    public static readonly Ipv4Address Tarpitted = Ipv4Address.Parse("192.0.2.100");
    public static readonly Ipv4Address Claimed = Ipv4Address.Parse("192.0.2.77");
    public static readonly MacAddress Owner = MacAddress.Parse("02:00:00:00:00:77");

    public static TarpitEvent Tcp(TarpitEventKind kind, long time = Noon) =>
        new(kind, time, Attacker, 40000, Tarpitted, 80);

    public static TarpitEvent Capture(long time = Noon) => new(TarpitEventKind.Capture, time, Attacker, 0, Claimed, 0);

    public static TarpitEvent Release(TarpitEventReason reason = TarpitEventReason.Conflict) =>
        new(TarpitEventKind.Release, Noon, Ipv4Address.Any, 0, Claimed, 0, Owner, reason);

    public static TarpitEvent Ping(long time = Noon) => new(TarpitEventKind.Ping, time, Attacker, 0, Tarpitted, 0);

    public static TarpitEvent LimitDrop() =>
        new(TarpitEventKind.LimitDrop, Noon, Ipv4Address.Any, 0, Ipv4Address.Any, 0, Reason: TarpitEventReason.PacketRate, Count: 12);

    public static TarpitEvent Stats() => new(TarpitEventKind.Stats, Noon, Ipv4Address.Any, 0, Ipv4Address.Any, 0, Counters: SampleCounters());

    public static EngineCounters SampleCounters() => new()
    {
        FramesRead = 1500, Malformed = 2, Connects = 40, Established = 31, PersistTrapped = 30,
        ProbesAnswered = 900, SynAckResets = 1, RepliesSent = 1002, BytesSent = 60120, ActiveFlows = 29,
    };

    /// <summary>The stats line's key=value part for <see cref="SampleCounters"/>.</summary>
    public const string SampleCountersText =
        "frames_read=1500 malformed=2 bad_checksums=0 partial_checksums=0 ignored=0 ignored_not_for_us=0 ignored_not_tarpit_space=0 " +
        "ignored_source=0 ignored_fragment_or_options=0 ignored_protocol=0 ignored_port=0 ignored_segment=0 ignored_arp=0 " +
        "claims=0 releases=0 arp_probes=0 claims_refused=0 connects=40 established=31 " +
        "persist_trapped=30 probes_answered=900 close_ignored=0 synack_rst=1 port_resets=0 pings_answered=0 " +
        "replies_sent=1002 bytes_sent=60120 drops_by_limit=0 table_evictions=0 flows_expired=0 active_flows=29 " +
        "banner_flows=0 lines_sent=0 banner_bytes=0 retransmissions=0 active_conversations=0 noise_applied=0 acks_delayed=0 " +
        "ack_delay_overflows=0 drops=0 bans=0 bans_active=0 banned_segments=0 synack_retransmits=0 synack_retransmits_skipped=0";
}

/// <summary>An <see cref="EventLog"/> writing to a StringWriter in place of standard output.</summary>
internal sealed class CapturedLog : IDisposable
{
    private readonly StringWriter _output = new();

    public CapturedLog(LogFormat format, int verbosity = 0) =>
        Log = new EventLog(new LogOptions { Format = format, Verbosity = verbosity }, _output);

    public EventLog Log { get; }

    public string[] Lines()
    {
        Log.Flush();
        return _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Emits one event and returns the one line it produced.</summary>
    public string LineFor(in TarpitEvent tarpitEvent)
    {
        int before = Lines().Length;
        Log.Emit(tarpitEvent);
        var lines = Lines();
        Assert.Equal(before + 1, lines.Length);
        return lines[^1];
    }

    public void Dispose() => Log.Dispose();
}
