using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>Whose an IPv4 destination is, and so which MAC answers for it.</summary>
internal enum Target : byte
{
    None,
    /// <summary>An address the tarpit claimed or hard-captured; answered with the tarpit MAC.</summary>
    Claimed,
    /// <summary>Routed unused space; answered with the host's MAC.</summary>
    Routed,
    /// <summary>A tarpitted port of the host itself; answered with the host's MAC.</summary>
    HostPort,
}

/// <summary>The engine's layer-3 gate, asked of every IPv4 packet before any protocol is looked at:
/// is the destination ours to answer for, and is the source one that may be answered at all?</summary>
internal sealed class Admission
{
    private readonly TarpitConfiguration _configuration;
    private readonly AddressClaims _claims;
    private readonly AddressSet _routed;
    private readonly AddressSet _networkEnds;
    private readonly bool _standIn;
    private readonly Stealth.Personalities? _faces;
    private readonly bool _hostPortsAnswered;
    private readonly BanList? _bans;
    private readonly EngineClock _clock;

    public Admission(TarpitConfiguration configuration, AddressClaims claims, BanList? bans, EngineClock clock, Stealth.Personalities? faces = null)
    {
        _configuration = configuration;
        _claims = claims;
        _bans = bans;
        _clock = clock;
        _routed = AddressSet.Of(configuration.Routed.ToArray());
        // The network and broadcast addresses of every configured space and of the interface's subnet:
        // a packet "from" either is a directed broadcast or a forgery, and an answer would go to a whole network.
        var spaces = configuration.Networks.Concat(configuration.HardCapture).Concat(configuration.Routed);
        if (configuration.HostSubnet is { } subnet)
            spaces = spaces.Append(subnet);
        _networkEnds = AddressSet.Of(spaces.Where(n => n.PrefixLength <= 30)
            .SelectMany(n => new[] { new AddressRange(n.First, n.First), new AddressRange(n.Broadcast, n.Broadcast) }));
        _standIn = configuration.StandIn;
        _faces = faces;
        _hostPortsAnswered = configuration.HostIp is not null && configuration.HostPorts.Answers;
    }

    /// <summary>Frames to the tarpit MAC are for claimed space; frames to the host's MAC are for
    /// routed space or the host's tarpitted ports; anything else is some other host's business
    /// (except to a stand-in: a replay answers hard-captured and routed space at any unicast MAC).</summary>
    public Target Classify(MacAddress frameDestination, Ipv4Address destination, byte protocol, long now)
    {
        if (frameDestination == _configuration.TarpitMac || (_faces is not null && _faces.IsFaceOf(frameDestination, destination)))
            return _claims.IsOurs(destination, now) ? Target.Claimed : Target.None;
        if (frameDestination != _configuration.HostMac)
            return _standIn && !frameDestination.IsGroup ? StandInFor(destination, now) : Target.None;
        if (_routed.Contains(destination))
            return Target.Routed;
        if (_hostPortsAnswered && destination == _configuration.HostIp && protocol == Ipv4Packet.ProtocolTcp)
            return Target.HostPort;
        return Target.None;
    }

    private Target StandInFor(Ipv4Address destination, long now)
    {
        if (_claims.IsHardCaptured(destination))
            return _claims.IsOurs(destination, now) ? Target.Claimed : Target.None;
        return _routed.Contains(destination) ? Target.Routed : Target.None;
    }

    /// <summary>A source banned after one of its flows was dropped (--ban): nothing it sends is answered, SYNs included.</summary>
    public bool IsBanned(Ipv4Address source) => _bans is not null && _bans.IsBanned(source.Value, _clock.Seconds);

    /// <summary>Sources no reply may go to: broadcast, multicast, class E, this-network, loopback,
    /// our own addresses, the network and broadcast addresses of our networks and of the interface's
    /// subnet, and the configured ignore list. ARP senders are held to the same rule.</summary>
    public bool NeverAnswer(Ipv4Address source, bool sourceClaimable, long now)
    {
        uint value = source.Value;
        if (value >= 0xE000_0000 || source.IsThisNetwork || source.IsLoopback)
            return true;
        // Claim lookups only for sources inside claimable space.
        if (source == _configuration.HostIp || (sourceClaimable && _claims.IsOurs(source, now)) || _routed.Contains(source))
            return true;
        return _networkEnds.Contains(source) || _configuration.IgnoredSources.Contains(source);
    }
}
