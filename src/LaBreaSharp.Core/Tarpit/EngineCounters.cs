namespace LaBreaSharp.Core.Tarpit;

/// <summary>What the engine has seen and done since it started. Plain fields, bumped on the
/// packet path without locks (one thread runs the engine); <see cref="Snapshot"/> copies them.</summary>
public sealed class EngineCounters
{
    public long FramesRead;
    public long Malformed;
    public long BadChecksums;
    public long Ignored;
    public long Claims;
    public long Releases;
    public long Connects;
    public long Established;
    public long PersistTrapped;
    public long ProbesAnswered;
    public long CloseIgnored;
    public long SynAckResets;
    public long PortResets;
    public long PingsAnswered;
    public long RepliesSent;
    public long BytesSent;
    public long LimitDrops;
    public long TableEvictions;
    public long TableExpired;
    public long ActiveFlows;
    public long BannerFlows;
    public long LinesSent;
    public long BannerBytes;
    public long Retransmissions;
    public long ActiveConversations;
    public long NoiseApplied;
    public long AcksDelayed;
    public long AckDelayOverflows;
    public long Drops;
    public long Bans;
    public long BansActive;
    public long Banned;

    public EngineCounters Snapshot() => (EngineCounters)MemberwiseClone();

    /// <summary>Name/value pairs in a fixed order, for the summary and the stats event.</summary>
    public IEnumerable<(string Name, long Value)> Fields() =>
    [
        ("frames read", FramesRead), ("malformed", Malformed), ("bad checksums", BadChecksums), ("ignored", Ignored),
        ("claims", Claims), ("releases", Releases), ("connects", Connects), ("established", Established),
        ("persist-trapped", PersistTrapped), ("probes answered", ProbesAnswered), ("close-ignored", CloseIgnored),
        ("synack-rst", SynAckResets), ("port resets", PortResets), ("pings answered", PingsAnswered),
        ("replies sent", RepliesSent), ("bytes sent", BytesSent), ("drops by limit", LimitDrops),
        ("table evictions", TableEvictions), ("flows expired", TableExpired), ("active flows", ActiveFlows),
        ("banner flows", BannerFlows), ("lines sent", LinesSent), ("banner bytes", BannerBytes), ("retransmissions", Retransmissions),
        ("active conversations", ActiveConversations), ("noise applied", NoiseApplied), ("acks delayed", AcksDelayed),
        ("ack delay overflows", AckDelayOverflows), ("drops", Drops), ("bans", Bans), ("bans active", BansActive),
        ("banned segments", Banned),
    ];
}
