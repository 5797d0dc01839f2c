using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Tarpit;

public enum TarpitMode : byte
{
    /// <summary>Acknowledge the first data with window 0 and answer every window probe exactly: the attacker's stack is held in persist state.</summary>
    Persist,
    /// <summary>SYN-ACK with a tiny window, then ignore everything (LaBrea without -p).</summary>
    Tarpit,
}

/// <summary>Everything the engine needs to decide, checked and resolved by the shell before the
/// engine starts. Times are in nanoseconds, like the engine's clock.</summary>
public sealed record TarpitConfiguration
{
    public const long Second = 1_000_000_000L;

    /// <summary>The host's own address on the interface (never claimed; the target of host ports). Null in replays that name none.</summary>
    public Ipv4Address? HostIp { get; init; }
    /// <summary>The interface's own MAC: frames to routed space and host ports arrive addressed to it.</summary>
    public MacAddress HostMac { get; init; }
    /// <summary>The MAC the tarpit answers with for the addresses it claims.</summary>
    public MacAddress TarpitMac { get; init; }

    /// <summary>Networks where unanswered ARP requests are taken over (-n).</summary>
    public IReadOnlyList<Cidr> Networks { get; init; } = [];
    /// <summary>Claimed at start, answered at once (--hard-capture).</summary>
    public IReadOnlyList<Cidr> HardCapture { get; init; } = [];
    /// <summary>Unused space routed to this host (--routed): frames arrive at <see cref="HostMac"/>, no ARP.</summary>
    public IReadOnlyList<Cidr> Routed { get; init; } = [];
    /// <summary>Ports of the host itself that are tarpitted (--host-ports).</summary>
    public PortSet HostPorts { get; init; } = PortSet.None;
    /// <summary>Never claimed (-x).</summary>
    public AddressSet Excluded { get; init; } = AddressSet.Empty;
    /// <summary>Sources never answered (--ignore-source), on top of the built-in never-answer classes.</summary>
    public AddressSet IgnoredSources { get; init; } = AddressSet.Empty;

    public long ArpTimeout { get; init; } = 3 * Second;
    /// <summary>A first ARP request older than this starts the takeover wait over (LaBrea's 60 s).</summary>
    public long ArpRestartWindow { get; init; } = 60 * Second;
    public long AliveHold { get; init; } = 600 * Second;
    /// <summary>How many addresses may be waiting for their second ARP request at once; more are not tracked (counted).</summary>
    public int MaxPendingClaims { get; init; } = 65_536;

    public TarpitMode Mode { get; init; } = TarpitMode.Persist;
    public ushort Window { get; init; } = 10;
    /// <summary>Ports tarpitted on claimed and routed addresses; others are treated as excluded.</summary>
    public PortSet Ports { get; init; } = PortSet.All;
    /// <summary>Ports answered with RST|ACK (or nothing with <see cref="Firewall"/>).</summary>
    public PortSet ExcludedPorts { get; init; } = PortSet.None;
    public bool Firewall { get; init; }
    public bool AnswerSynAckWithRst { get; init; } = true;
    public bool AnswerPing { get; init; } = true;

    /// <summary>Reply bandwidth cap in kilobits per second (0: none).</summary>
    public long MaxRateKbits { get; init; }
    /// <summary>Replies per second (0: none).</summary>
    public long MaxPacketsPerSecond { get; init; }
    /// <summary>Replies per second to any one source (0: none).</summary>
    public long MaxPacketsPerSecondPerSource { get; init; }

    public int TableSize { get; init; } = 1 << 20;
    public long FlowIdle { get; init; } = 3600 * Second;
    /// <summary>How often a stats event is emitted (0: never).</summary>
    public long StatsInterval { get; init; } = 60 * Second;
}
