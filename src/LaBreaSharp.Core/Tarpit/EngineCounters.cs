namespace LaBreaSharp.Core.Tarpit;

/// <summary>What the engine has seen and done since it started. Plain fields, bumped on the
/// packet path without locks (one thread runs the engine); <see cref="Snapshot"/> copies them.</summary>
public sealed class EngineCounters
{
    public long FramesRead;
    public long Malformed;
    public long BadChecksums;
    /// <summary>TCP segments whose checksum field held only the pseudo-header's sum, as a sender that
    /// left the checksum to its NIC (veth, tap, bridges beside VMs) hands them over: answered.</summary>
    public long PartialChecksums;

    // Why frames were left unanswered: each reason its own figure, Ignored their sum.
    /// <summary>Addressed to another MAC, or our own frames seen again, or from a group MAC.</summary>
    public long IgnoredNotForUs;
    /// <summary>Addressed to our MAC but not to claimed or routed space or a tarpitted host port.</summary>
    public long IgnoredNotTarpitSpace;
    /// <summary>From a source never answered (broadcast, multicast, loopback, our own space, a network's ends, --ignore-source).</summary>
    public long IgnoredSource;
    /// <summary>IPv4 fragments and packets with IP options.</summary>
    public long IgnoredFragments;
    /// <summary>Another EtherType or IP protocol, or ICMP other than an echo request.</summary>
    public long IgnoredProtocol;
    /// <summary>TCP to a port that is not tarpitted.</summary>
    public long IgnoredPort;
    /// <summary>TCP segments that belong to no connection of ours, or whose flags are never answered.</summary>
    public long IgnoredSegments;
    /// <summary>ARP that asks nothing of us: replies, announcements, requests for addresses not (yet) ours.</summary>
    public long IgnoredArp;

    public long Claims;
    public long Releases;
    /// <summary>ARP probes the tarpit sent for addresses it was about to claim.</summary>
    public long ArpProbes;
    /// <summary>Claims not made: the probe was answered, or the address is the host's gateway or a reachable neighbour.</summary>
    public long ClaimsRefused;
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
    /// <summary>Stealth: SYN-ACKs sent again because the handshake's ACK did not come.</summary>
    public long SynAckRetransmits;
    /// <summary>Stealth: SYN-ACKs that will not be sent again, the pending pool being full (a flood).</summary>
    public long SynAckRetransmitsSkipped;

    /// <summary>Frames left unanswered, for every reason.</summary>
    public long Ignored => IgnoredNotForUs + IgnoredNotTarpitSpace + IgnoredSource + IgnoredFragments + IgnoredProtocol
        + IgnoredPort + IgnoredSegments + IgnoredArp;

    public EngineCounters Snapshot() => (EngineCounters)MemberwiseClone();

    /// <summary>Name/value pairs in a fixed order, for the summary and the stats event.</summary>
    public IEnumerable<(string Name, long Value)> Fields() =>
    [
        ("frames read", FramesRead), ("malformed", Malformed), ("bad checksums", BadChecksums), ("partial checksums", PartialChecksums),
        ("ignored", Ignored), ("ignored not for us", IgnoredNotForUs), ("ignored not tarpit space", IgnoredNotTarpitSpace),
        ("ignored source", IgnoredSource), ("ignored fragment or options", IgnoredFragments), ("ignored protocol", IgnoredProtocol),
        ("ignored port", IgnoredPort), ("ignored segment", IgnoredSegments), ("ignored arp", IgnoredArp),
        ("claims", Claims), ("releases", Releases), ("arp probes", ArpProbes), ("claims refused", ClaimsRefused), ("connects", Connects), ("established", Established),
        ("persist-trapped", PersistTrapped), ("probes answered", ProbesAnswered), ("close-ignored", CloseIgnored),
        ("synack-rst", SynAckResets), ("port resets", PortResets), ("pings answered", PingsAnswered),
        ("replies sent", RepliesSent), ("bytes sent", BytesSent), ("drops by limit", LimitDrops),
        ("table evictions", TableEvictions), ("flows expired", TableExpired), ("active flows", ActiveFlows),
        ("banner flows", BannerFlows), ("lines sent", LinesSent), ("banner bytes", BannerBytes), ("retransmissions", Retransmissions),
        ("active conversations", ActiveConversations), ("noise applied", NoiseApplied), ("acks delayed", AcksDelayed),
        ("ack delay overflows", AckDelayOverflows), ("drops", Drops), ("bans", Bans), ("bans active", BansActive),
        ("banned segments", Banned), ("synack retransmits", SynAckRetransmits), ("synack retransmits skipped", SynAckRetransmitsSkipped),
    ];
}
