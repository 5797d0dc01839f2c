using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Tarpit.Stealth;

/// <summary>One address's face under the stealth profile: its stack, and the bits of its keyed
/// hash that pick what differs between hosts of one stack (which of its ports are open, where its
/// timestamp clock stands). A value, worked out again whenever it is needed: nothing is stored per
/// address.</summary>
public readonly record struct Personality(StackProfile Stack, ulong Bits)
{
    /// <summary>The MAC its ARP answers and frames come from: one of its stack's vendor prefixes and
    /// 24 bits of the hash (globally administered and unicast, as a real card's).</summary>
    public MacAddress Mac
    {
        get
        {
            ulong mixed = Bits * 0x9E37_79B9_7F4A_7C15UL;
            uint oui = Stack.Ouis[(int)((mixed >> 16) % (uint)Stack.Ouis.Length)];
            return new MacAddress(((ulong)oui << 24) | (mixed >> 40));
        }
    }

    /// <summary>Does this host have <paramref name="port"/> open?</summary>
    public bool IsOpen(ushort port)
    {
        var ports = Stack.Ports;
        for (int i = 0; i < ports.Length; i++)
        {
            if (ports[i].Port == port)
                return ports[i].Chance >= 256 || (int)((Bits >> (8 + (i % 7) * 8)) & 0xFF) < ports[i].Chance;
        }
        return false;
    }

    /// <summary>The ports this host has open, in the stack's order.</summary>
    public IEnumerable<ushort> OpenPorts()
    {
        foreach (var (port, _) in Stack.Ports)
        {
            if (IsOpen(port))
                yield return port;
        }
    }

    /// <summary>Its TSval at <paramref name="now"/> (nanoseconds of the engine's clock) for
    /// <paramref name="peer"/>: the host's clock ticks at the stack's rate from a start of its own
    /// (a host up for some days), and a stack that offsets each peer's timestamps does so.</summary>
    public uint TimestampValue(long now, Ipv4Address peer)
    {
        uint offset = (uint)(Bits >> 32);
        if (Stack.TimestampOffsetPerPeer)
            offset ^= (uint)((peer.Value * 0x9E37_79B9_7F4A_7C15UL) >> 29);
        return offset + (uint)(now / (Time.Second / Stack.TimestampHz));
    }
}

/// <summary>Works out each address's <see cref="Personality"/> from a key derived from the cookie
/// secret (so a run with --seed gives every address the face it had last time) and numbers the
/// IP IDs of the stacks that count them. The host's own address (host ports) is always Linux: the
/// tarpit's host is a Linux machine, and a scan of it sees its real stack on the other ports.
/// One entry is remembered, so the several replies of one flood to one address hash it once.</summary>
public sealed class Personalities
{
    /// <summary>The share of each family among addresses, in 256ths: Linux, Windows, printer, router.</summary>
    private static readonly int[] FamilyShares = [115, 90, 26, 25];

    private readonly SynCookie _hash;
    private readonly Ipv4Address? _hostIp;
    private readonly RandomSource _random;
    private Ipv4Address _lastAddress;
    private Personality _last;
    private bool _hasLast;
    private ushort _idCounter;

    public Personalities(ulong key0, ulong key1, Ipv4Address? hostIp, RandomSource random)
    {
        _hash = new SynCookie(key0, key1);
        _hostIp = hostIp;
        _random = random;
        _idCounter = (ushort)key1;
    }

    public Personality Of(Ipv4Address address)
    {
        if (_hasLast && address == _lastAddress)
            return _last;
        ulong bits = _hash.Hash12(address.Value, 0x5354_4C48, 0, 0); // "HLTS"
        OsFamily family;
        if (_hostIp == address)
        {
            family = OsFamily.Linux;
        }
        else
        {
            int pick = (int)(bits & 0xFF), at = 0;
            while (pick >= FamilyShares[at])
                pick -= FamilyShares[at++];
            family = (OsFamily)at;
        }
        _last = new Personality(StackProfile.Of(family), bits);
        _lastAddress = address;
        _hasLast = true;
        return _last;
    }

    /// <summary>Is <paramref name="mac"/> the face of <paramref name="address"/>? A MAC of no vendor
    /// any stack uses is turned away before the address is hashed, so the other hosts' frames a
    /// promiscuous capture sees on a busy segment cost a compare each, not a SipHash.</summary>
    public bool IsFaceOf(MacAddress mac, Ipv4Address address)
    {
        uint oui = (uint)(mac.Value >> 24);
        if (Array.IndexOf(AllOuis, oui) < 0)
            return false;
        return Of(address).Mac == mac;
    }

    private static readonly uint[] AllOuis = [.. StackProfile.All.SelectMany(s => s.Ouis).Distinct()];

    /// <summary>The IP ID of the next packet of this kind from a host of this stack.</summary>
    public ushort Identification(IpIdKind kind) => kind switch
    {
        IpIdKind.Zero => 0,
        IpIdKind.Counter => ++_idCounter,
        _ => _random.NextUInt16(),
    };
}
