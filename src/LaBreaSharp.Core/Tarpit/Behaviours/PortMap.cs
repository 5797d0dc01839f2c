using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>What one range of ports does: the behaviour, which banner it drips (for
/// <see cref="TcpBehaviour.Banner"/>), and the modifiers set for that range.</summary>
public readonly record struct PortPolicy(TcpBehaviour Behaviour, BannerKind Banner = BannerKind.None)
{
    public Modifiers Modifiers { get; init; }
    /// <summary>Stealth: this range traps only the ports each address's personality has open, and
    /// the others answer as closed ports. The default rule (every port, no --ports) is such a range;
    /// ports a rule names are open on every address. The classic profile ignores it.</summary>
    public bool PersonalityPorts { get; init; }
}

/// <summary>What may be done to any behaviour on a range of ports; all zero is none of it.</summary>
public readonly record struct Modifiers
{
    /// <summary>Endlessh's default pause between lines, for a banner range that names none.</summary>
    public const int DefaultBannerDelayMilliseconds = 10_000;

    /// <summary>The pause between banner lines, in milliseconds (jittered by a quarter either way).</summary>
    public int BannerDelayMilliseconds { get; init; }
    /// <summary>The tarpit's ACKs of client data and of window probes leave this late: a delay drawn
    /// between the two, in milliseconds (--ack-delay MS[-MS]).</summary>
    public int AckDelayMinMilliseconds { get; init; }
    public int AckDelayMaxMilliseconds { get; init; }
    /// <summary>The share of client segments left unanswered the first time, and of banner lines
    /// split, reordered or resent, in 1/65,536 (--noise RATE).</summary>
    public int NoisePer65536 { get; init; }
    /// <summary>After this long the flow is forgotten, with no FIN or RST (--drop-after); 0: never.</summary>
    public int DropAfterSeconds { get; init; }
    /// <summary>A source whose flow was dropped gets nothing at all for this long (--ban); 0: no ban.</summary>
    public int BanSeconds { get; init; }

    public bool DelaysAcks => AckDelayMaxMilliseconds > 0;
}

/// <summary>Port → <see cref="PortPolicy"/>, for all 65,536 ports: a byte per port naming one of at
/// most 256 distinct policies, so a lookup is one load from a 64 KiB array that stays in cache.
/// Built once from the configuration; later rules override earlier ones.</summary>
public sealed class PortMap
{
    private readonly byte[] _index;
    private readonly PortPolicy[] _policies;

    private PortMap(byte[] index, PortPolicy[] policies)
    {
        _index = index;
        _policies = policies;
        var answering = policies.Select(p => p.Behaviour != TcpBehaviour.Ignore).ToArray();
        Answers = Array.Exists(index, i => answering[i]); // a rule over no ports answers nothing
    }

    /// <summary>Does any port get an answer? (False for a map that ignores everything.)</summary>
    public bool Answers { get; }

    public ref readonly PortPolicy this[ushort port] => ref _policies[_index[port]];

    public TcpBehaviour BehaviourOf(ushort port) => _policies[_index[port]].Behaviour;

    /// <summary>The distinct policies of this map, the first being every port's unless a rule says otherwise.</summary>
    public IReadOnlyList<PortPolicy> Policies => _policies;

    /// <summary>Every port with <paramref name="fallback"/>, then each rule's ports with its policy, in order.</summary>
    public static PortMap Build(PortPolicy fallback, IEnumerable<(PortSet Ports, PortPolicy Policy)> rules)
    {
        var policies = new List<PortPolicy> { fallback };
        var index = new byte[65_536];
        foreach (var (ports, policy) in rules)
        {
            int at = policies.IndexOf(policy);
            if (at < 0)
            {
                if (policies.Count == 256)
                    throw new ArgumentException("a port map holds at most 256 distinct policies", nameof(rules));
                at = policies.Count;
                policies.Add(policy);
            }
            for (int port = 0; port < 65_536; port++)
            {
                if (ports.Contains((ushort)port))
                    index[port] = (byte)at;
            }
        }
        return new PortMap(index, [.. policies]);
    }

    public static PortMap Uniform(TcpBehaviour behaviour) => Build(new PortPolicy(behaviour), []);

    /// <summary>LaBrea's options as a map: <paramref name="mode"/> on <paramref name="ports"/>, and
    /// every other port, and the <paramref name="excluded"/> ones, answered as closed ports, or not
    /// at all with <paramref name="firewall"/> (LaBrea's -f).</summary>
    public static PortMap Classic(TcpBehaviour mode, PortSet ports, PortSet excluded, bool firewall)
    {
        var other = new PortPolicy(firewall ? TcpBehaviour.Ignore : TcpBehaviour.ClosedPort);
        return Build(other, [(ports, new PortPolicy(mode)), (excluded, other)]);
    }

    /// <summary>The host's own address: <paramref name="mode"/> on the tarpitted ports; every other
    /// port is the host's own stack's business.</summary>
    public static PortMap ForHost(TcpBehaviour mode, PortSet ports) =>
        Build(new PortPolicy(TcpBehaviour.Ignore), [(ports, new PortPolicy(mode))]);

    /// <summary>The ports that get any answer, as inclusive ranges in ascending order.</summary>
    public IEnumerable<(ushort First, ushort Last)> AnsweredRanges()
    {
        int start = -1;
        for (int port = 0; port <= 65_536; port++)
        {
            bool answered = port < 65_536 && BehaviourOf((ushort)port) != TcpBehaviour.Ignore;
            if (answered && start < 0)
            {
                start = port;
            }
            else if (!answered && start >= 0)
            {
                yield return ((ushort)start, (ushort)(port - 1));
                start = -1;
            }
        }
    }
}
