using LaBreaSharp.Core.Tarpit;
using CommandLine;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Cli;

/// <summary>--mode: what tarpitted ports do (LaBrea's persist switch).</summary>
public enum ModeOption
{
    Persist,
    Tarpit,
}

/// <summary>Options that shape the engine and its log, the same for <c>run</c> and <c>replay</c>.</summary>
public abstract class EngineOptions : IVerbOptions
{
    /// <summary>Words that belong to no option: a mistake, reported as one.</summary>
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option('n', "network", MetaValue = "CIDR", HelpText = "Take over unanswered ARP requests in this network (repeatable). run: defaults to the interface's own subnet when no address space is given at all.")]
    public IEnumerable<string> Networks { get; set; } = [];

    [Option('x', "exclude", MetaValue = "IP|A-B|CIDR", HelpText = "Never claim these addresses (repeatable, comma lists allowed).")]
    public IEnumerable<string> Exclude { get; set; } = [];

    [Option("hard-capture", MetaValue = "CIDR", HelpText = "Claim this space at once and answer its ARP immediately (still given back, with a warning, if a host uses an address in it).")]
    public IEnumerable<string> HardCapture { get; set; } = [];

    [Option("routed", MetaValue = "CIDR", HelpText = "Unused space routed to this host: frames arrive at the interface's own MAC, no ARP involved.")]
    public IEnumerable<string> Routed { get; set; } = [];

    [Option("host-ports", MetaValue = "LIST", HelpText = "Tarpit these ports of the host's own address (see --print-firewall).")]
    public string? HostPorts { get; set; }

    [Option("mac", MetaValue = "MAC", HelpText = "MAC to answer with for claimed addresses (default: a locally administered MAC derived from the interface's; under --profile stealth each address has its own vendor's MAC instead).")]
    public string? Mac { get; set; }

    [Option("arp-timeout", Default = 3, MetaValue = "SECONDS", HelpText = "How long an ARP request must go unanswered before its address is claimed.")]
    public int ArpTimeout { get; set; } = 3;

    [Option("arp-probe-wait", Default = 1000, MetaValue = "MS", HelpText = "Before claiming an address, ask for it (an ARP probe) and wait this long for an answer; 0 claims on the ARP rule alone, as LaBrea did.")]
    public int ArpProbeWait { get; set; } = 1000;

    [Option("alive-hold", Default = 600, MetaValue = "SECONDS", HelpText = "How long an address that turned out to be alive is left alone.")]
    public int AliveHold { get; set; } = 600;

    [Option("mode", Default = ModeOption.Persist, MetaValue = "persist|tarpit", HelpText = "persist: take the first data with window 0 and answer every probe (holds Linux clients indefinitely); tarpit: SYN-ACK only.")]
    public ModeOption Mode { get; set; } = ModeOption.Persist;

    [Option("profile", Default = TarpitProfile.Classic, MetaValue = "classic|stealth", HelpText = "classic: LaBrea's answers (every port open, window 10, no options); stealth: each address a host of its own OS (TTL, options, timestamps, IP IDs, a few open ports, RSTs), which the published tarpit detectors take for a real host.")]
    public TarpitProfile Profile { get; set; } = TarpitProfile.Classic;

    [Option("window", Default = 10, MetaValue = "BYTES", HelpText = "Window offered in the SYN-ACK.")]
    public int Window { get; set; } = 10;

    [Option("ports", MetaValue = "LIST", HelpText = "Tarpit only these ports (e.g. 22,80,8000-8100); other ports answer like closed ones.")]
    public string? Ports { get; set; }

    [Option("exclude-ports", MetaValue = "LIST", HelpText = "Answer these ports with RST|ACK (or nothing with --firewall).")]
    public string? ExcludePorts { get; set; }

    [Option('f', "firewall", HelpText = "Send nothing for ports that are not tarpitted (LaBrea's -f).")]
    public bool Firewall { get; set; }

    [Option("banner", MetaValue = "PORTS=KIND", HelpText = "Drip a greeting that never ends on these ports, over the tarpit's own slow TCP: KIND is ssh, http, smtp or telnet (repeatable: --banner 22,2222=ssh --banner 80,8080=http).")]
    public IEnumerable<string> Banners { get; set; } = [];

    [Option("banner-delay", MetaValue = "SECONDS", HelpText = "Seconds between banner lines, a quarter either way (default 10).")]
    public double? BannerDelay { get; set; }

    [Option("ack-delay", MetaValue = "MS[-MS]", HelpText = "Send the tarpit's ACKs of client data and of window probes this many milliseconds late (a range gives jitter).")]
    public string? AckDelay { get; set; }

    [Option("noise", MetaValue = "RATE", HelpText = "Leave this share (0 to 0.5) of client segments unanswered the first time (never twice in a row), and split, reorder or resend as many banner lines: a bad network, not a tarpit.")]
    public double? Noise { get; set; }

    [Option("drop-after", MetaValue = "SECONDS", HelpText = "Forget a flow this long after it began, with no FIN or RST: nothing is sent to it again, and its cookie opens nothing.")]
    public int? DropAfter { get; set; }

    [Option("ban", MetaValue = "SECONDS", HelpText = "After one of its flows is dropped, answer nothing at all from that source (SYNs included) for this long.")]
    public int? Ban { get; set; }

    [Option("config", MetaValue = "FILE", HelpText = "A TOML file of port ranges, each with a behaviour and modifiers (README: \"The configuration file\"); the command line overrides it.")]
    public string? Config { get; set; }

    [Option("labrea-conf", MetaValue = "FILE", HelpText = "LaBrea 2.5's labrea.conf: EXC (as -x), HAR (never --hard-capture), IPI (as --ignore-source), POR (as --exclude-ports) and PMN (as --ports) lines; the --config file and the command line override it.")]
    public string? LabreaConf { get; set; }

    [Option("no-synack-rst", HelpText = "Do not answer unsolicited SYN-ACKs with a RST.")]
    public bool NoSynAckRst { get; set; }

    [Option("no-ping", HelpText = "Do not answer ICMP echo requests to claimed addresses.")]
    public bool NoPing { get; set; }

    [Option("ignore-source", MetaValue = "IP|A-B|CIDR", HelpText = "Never answer these sources (repeatable).")]
    public IEnumerable<string> IgnoreSource { get; set; } = [];

    [Option('p', "max-rate", Default = 0L, MetaValue = "KBITS", HelpText = "Cap reply bandwidth in kilobits per second (LaBrea's -p); 0: no cap.")]
    public long MaxRate { get; set; }

    [Option("max-pps", Default = 0L, MetaValue = "N", HelpText = "Cap replies per second; 0: no cap.")]
    public long MaxPps { get; set; }

    [Option("max-pps-per-source", Default = 0L, MetaValue = "N", HelpText = "Cap replies per second to any one source; 0: no cap.")]
    public long MaxPpsPerSource { get; set; }

    [Option("table-size", Default = 1_048_576, MetaValue = "FLOWS", HelpText = "Flows the table holds (32 bytes each, 48 with the table's spare slots); when full, the least recently seen are evicted.")]
    public int TableSize { get; set; } = 1_048_576;

    [Option("claim-table-size", Default = 65_536, MetaValue = "ADDRESSES", HelpText = "Addresses whose claim state (waiting, claimed, alive) is remembered at once (20 bytes each); when full, the oldest waits and alive marks go first.")]
    public int ClaimTableSize { get; set; } = 65_536;

    [Option("conversation-table-size", Default = 131_072, MetaValue = "FLOWS", HelpText = "Banner flows held at once (64 bytes each with their timer); when full, the least recently seen gives way.")]
    public int ConversationTableSize { get; set; } = 131_072;

    [Option("ban-table-size", Default = 65_536, MetaValue = "SOURCES", HelpText = "Sources banned at once (8 bytes each); when full, the ban that ends soonest gives way.")]
    public int BanTableSize { get; set; } = 65_536;

    [Option("flow-idle", Default = 3600, MetaValue = "SECONDS", HelpText = "Forget flows idle this long.")]
    public int FlowIdle { get; set; } = 3600;

    [Option("stats-interval", Default = 60, MetaValue = "SECONDS", HelpText = "Log a stats event this often; 0: never.")]
    public int StatsInterval { get; set; } = 60;

    [Option("seed", MetaValue = "N", HelpText = "Seed for the SYN-cookie key and IP IDs: the same seed gives the same output (default: random).")]
    public ulong? Seed { get; set; }

    [Option("log-format", Default = LogFormat.Text, MetaValue = "text|json|labrea", HelpText = "Event log format: human text, one JSON object per line, or LaBrea 2.5's lines.")]
    public LogFormat LogFormat { get; set; } = LogFormat.Text;

    [Option("log-file", MetaValue = "PATH", HelpText = "Also write the event log to this file (reopened on SIGHUP).")]
    public string? LogFile { get; set; }

    [Option("syslog", HelpText = "Also send the event log to syslog (/dev/log, facility daemon).")]
    public bool Syslog { get; set; }

    [Option('q', "quiet", HelpText = "No event log on standard output (the summary is still printed).")]
    public bool Quiet { get; set; }

    [Option("log-flood-rate", Default = 100, MetaValue = "N", HelpText = "Per-connection events a second logged one by one; past it they fold into one flood line a second per destination (count, sources, the busiest). 0: never fold; -v never folds.")]
    public int LogFloodRate { get; set; } = 100;

    [Option('v', "verbose", FlagCounter = true, HelpText = "More events: -v adds every answered window probe.")]
    public int Verbose { get; set; }

    /// <summary>Where the event log goes and how much of it.</summary>
    public LogOptions LogOptions() => new()
    {
        Format = LogFormat,
        LogFile = LogFile,
        Syslog = Syslog,
        Verbosity = Verbose,
        Console = !Quiet,
        FloodRate = LogFloodRate >= 0 ? LogFloodRate : throw new UsageException($"--log-flood-rate must be 0 or more, not {LogFloodRate}"),
    };
}

[Verb("run", HelpText = "Run the tarpit live on an interface (root or CAP_NET_RAW + CAP_NET_ADMIN).")]
public sealed class RunOptions : EngineOptions
{
    [Option('i', "interface", Required = true, MetaValue = "IFACE", HelpText = "Interface to watch and answer on.")]
    public string Interface { get; set; } = "";

    [Option('w', "write", MetaValue = "FILE", HelpText = "Record every frame seen and sent to this pcap file.")]
    public string? Write { get; set; }

    [Option("dry-run", HelpText = "Decide and log, but send nothing.")]
    public bool DryRun { get; set; }

    [Option("user", Default = "nobody", MetaValue = "NAME", HelpText = "Once the capture and the files are open, become this user, with no capabilities and no-new-privileges (root: keep root).")]
    public string User { get; set; } = "nobody";

    [Option("print-firewall", HelpText = "Print the nftables rules that keep the kernel from answering for host ports and routed space, then exit.")]
    public bool PrintFirewall { get; set; }

    [Option("metrics", MetaValue = "ADDR:PORT", HelpText = "Serve Prometheus metrics at /metrics and who is trapped at /trapped here (a bare PORT listens on 127.0.0.1; off by default).")]
    public string? Metrics { get; set; }

    [Option("control", MetaValue = "PATH|none", HelpText = "The control socket labreasharp status reads (default /run/labreasharp/IFACE.sock; none: no socket).")]
    public string? Control { get; set; }
}

[Verb("status", HelpText = "Show the connections a running tarpit holds, longest first, with totals.")]
public sealed class StatusOptions : IVerbOptions
{
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option('i', "interface", MetaValue = "IFACE", HelpText = "The tarpit running on this interface (its control socket /run/labreasharp/IFACE.sock).")]
    public string? Interface { get; set; }

    [Option("control", MetaValue = "PATH", HelpText = "Read the tarpit's control socket at this path.")]
    public string? Control { get; set; }

    [Option("metrics", MetaValue = "ADDR:PORT", HelpText = "Read /trapped from the tarpit's --metrics listener instead.")]
    public string? Metrics { get; set; }

    [Option("top", Default = 20, MetaValue = "N", HelpText = "Show the N connections held longest (0: totals only).")]
    public int Top { get; set; } = 20;

    [Option("json", HelpText = "Print the tarpit's JSON answer as it is.")]
    public bool Json { get; set; }
}

[Verb("replay", HelpText = "Run a capture file through the engine and write what it would have sent.")]
public sealed class ReplayOptions : EngineOptions
{
    [Option('r', "read", Required = true, MetaValue = "FILE", HelpText = "Capture file to replay (pcap or pcapng); its timestamps are the engine's clock.")]
    public string Read { get; set; } = "";

    [Option('w', "write", Required = true, MetaValue = "FILE", HelpText = "Write the frames the engine would send here (timestamp = the input frame's).")]
    public string Write { get; set; } = "";

    [Option("merged", MetaValue = "FILE", HelpText = "Also write input and replies interleaved, for Wireshark.")]
    public string? Merged { get; set; }

    [Option("my-ip", MetaValue = "IP[/LEN]", HelpText = "The tarpit host's own address (and prefix length, which gives the default -n).")]
    public string? MyIp { get; set; }

    [Option("my-mac", Default = "02:00:00:00:00:01", MetaValue = "MAC", HelpText = "The tarpit host's interface MAC.")]
    public string MyMac { get; set; } = "02:00:00:00:00:01";
}
