using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>How the tarpit's answers look (--profile).</summary>
public enum TarpitProfile : byte
{
    /// <summary>LaBrea's answers: one face for every address (TTL 64, no options, the tiny window),
    /// every port open, and the exact probe ACKs of persist mode.</summary>
    Classic,
    /// <summary>Each address a host of its own (Stealth/Personality): an OS's TTL, SYN-ACK window
    /// and options, timestamps, IP IDs, a believable set of open ports, RSTs where such a host
    /// sends them, and a window that closes as a full receive buffer's does.</summary>
    Stealth,
}

/// <summary>Everything the engine needs to decide, checked and resolved by the shell before the
/// engine starts. Times are in nanoseconds, like the engine's clock.</summary>
public sealed record TarpitConfiguration
{
    public const long Second = Time.Second;

    /// <summary>The host's own address on the interface (never claimed; the target of host ports). Null in replays that name none.</summary>
    public Ipv4Address? HostIp { get; init; }
    /// <summary>The interface's own MAC: frames to routed space and host ports arrive addressed to it.</summary>
    public MacAddress HostMac { get; init; }
    /// <summary>The MAC the tarpit answers with for the addresses it claims.</summary>
    public MacAddress TarpitMac { get; init; }
    /// <summary>Replays: frames to hard-captured or routed space are answered whatever unicast MAC they
    /// were sent to, from that MAC (the replay stands where the recorded host stood), and that space's
    /// own frames in the capture are not taken for another host. Live runs keep the MAC check.</summary>
    public bool StandIn { get; init; }
    /// <summary>The interface's own subnet, if it has one: its network and broadcast addresses are never answered.</summary>
    public Cidr? HostSubnet { get; init; }
    /// <summary>What the host itself knows about addresses the rule wants to claim (its gateways, its
    /// neighbour table); asked only when a claim is about to be made. Null: nothing (replays).</summary>
    public IClaimCheck? ClaimCheck { get; init; }

    /// <summary>Networks where unanswered ARP requests are taken over (-n).</summary>
    public IReadOnlyList<Cidr> Networks { get; init; } = [];
    /// <summary>Claimed at start, answered at once (--hard-capture).</summary>
    public IReadOnlyList<Cidr> HardCapture { get; init; } = [];
    /// <summary>Unused space routed to this host (--routed): frames arrive at <see cref="HostMac"/>, no ARP.</summary>
    public IReadOnlyList<Cidr> Routed { get; init; } = [];
    /// <summary>Never claimed (-x).</summary>
    public AddressSet Excluded { get; init; } = AddressSet.Empty;
    /// <summary>Sources never answered (--ignore-source), on top of the built-in never-answer classes.</summary>
    public AddressSet IgnoredSources { get; init; } = AddressSet.Empty;

    public long ArpTimeout { get; init; } = 3 * Second;
    /// <summary>A first ARP request older than this starts the takeover wait over (LaBrea's 60 s).</summary>
    public long ArpRestartWindow { get; init; } = 60 * Second;
    public long AliveHold { get; init; } = 600 * Second;
    /// <summary>How long the tarpit's own ARP probe may take to be answered before it claims (0: claim on LaBrea's rule alone).</summary>
    public long ProbeWait { get; init; } = Second;
    /// <summary>How many addresses may be waiting for their second ARP request at once; more are not tracked (counted).</summary>
    public int MaxPendingClaims { get; init; } = 65_536;
    /// <summary>Addresses whose claim state is remembered at once (--claim-table-size): a /16's worth by default.</summary>
    public int ClaimTableSize { get; init; } = 65_536;

    /// <summary>What each destination port of claimed and routed space does (--mode, --ports,
    /// --exclude-ports, -f): by default every port is a persist trap (under stealth, every port the
    /// address's personality has open).</summary>
    public PortMap Ports { get; init; } = PortMap.Build(new PortPolicy(TcpBehaviour.Persist) { PersonalityPorts = true }, []);
    /// <summary>What each port of the host's own address does (--host-ports): by default nothing,
    /// the host's own stack answers.</summary>
    public PortMap HostPorts { get; init; } = PortMap.Uniform(TcpBehaviour.Ignore);
    public TarpitProfile Profile { get; init; } = TarpitProfile.Classic;
    /// <summary>The window offered in SYN-ACKs of trapped ports (classic; stealth offers the personality's).</summary>
    public ushort Window { get; init; } = 10;
    public bool AnswerSynAckWithRst { get; init; } = true;
    public bool AnswerPing { get; init; } = true;

    /// <summary>Reply bandwidth cap in kilobits per second (0: none).</summary>
    public long MaxRateKbits { get; init; }
    /// <summary>Replies per second (0: none).</summary>
    public long MaxPacketsPerSecond { get; init; }
    /// <summary>Replies per second to any one source (0: none).</summary>
    public long MaxPacketsPerSecondPerSource { get; init; }

    public int TableSize { get; init; } = 1 << 20;
    /// <summary>Flows that talk (banners) held at once (--conversation-table-size), beside the flow table: 48 bytes each and a 16-byte timer.</summary>
    public int ConversationTableSize { get; init; } = 131_072;
    /// <summary>Sources banned at once (--ban-table-size): 8 bytes each.</summary>
    public int BanListSize { get; init; } = 65_536;
    /// <summary>ACKs held back by --ack-delay at once; more leave without their delay.</summary>
    public int DelayedAckCapacity { get; init; } = 65_536;
    public long FlowIdle { get; init; } = 3600 * Second;
    /// <summary>How often a stats event is emitted (0: never).</summary>
    public long StatsInterval { get; init; } = 60 * Second;

    /// <summary>The part the claim rule reads.</summary>
    public ClaimOptions Claims => new()
    {
        Networks = Networks,
        HardCapture = HardCapture,
        Excluded = Excluded,
        HostIp = HostIp,
        ArpTimeout = ArpTimeout,
        ArpRestartWindow = ArpRestartWindow,
        AliveHold = AliveHold,
        ProbeWait = ProbeWait,
        MaxPendingClaims = MaxPendingClaims,
        Capacity = ClaimTableSize,
    };
}
