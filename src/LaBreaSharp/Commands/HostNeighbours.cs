using System.Buffers.Binary;
using System.Globalization;
using LaBreaSharp.Core;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Commands;

/// <summary>What the tarpit host itself knows about the addresses on its link, asked before each
/// claim: the gateways its routing table sends through (from /proc/net/route), and the neighbours
/// its kernel holds as reachable at a MAC other than the tarpit's (a netlink neighbour dump,
/// NUD_REACHABLE, DELAY, PROBE or PERMANENT; STALE entries prove nothing). Read at most once a
/// second however many claims come, so a scan of a large network costs a dump a second at most.
/// Unprivileged: both are readable by any user, so this keeps working after privileges are dropped.</summary>
public sealed class HostNeighbours : IClaimCheck
{
    private const ushort NudInUse = 0x02 | 0x08 | 0x10 | 0x80;
    private readonly string _interface;
    private readonly int _interfaceIndex;
    private readonly MacAddress _tarpitMac;
    private readonly Func<long> _clock;
    private HashSet<uint> _gateways = [];
    private HashSet<uint> _reachable = [];
    private long _readAt = long.MinValue;

    public HostNeighbours(string interfaceName, int interfaceIndex, MacAddress tarpitMac, Func<long>? clock = null)
    {
        _interface = interfaceName;
        _interfaceIndex = interfaceIndex;
        _tarpitMac = tarpitMac;
        _clock = clock ?? (() => Environment.TickCount64 * Time.Millisecond);
    }

    /// <summary>The gateways of the routes through the interface, as the kernel holds them now.</summary>
    public IReadOnlyCollection<uint> Gateways { get { Refresh(); return _gateways; } }

    public ClaimRefusal Check(Ipv4Address address)
    {
        Refresh();
        if (_gateways.Contains(address.Value))
            return ClaimRefusal.Gateway;
        return _reachable.Contains(address.Value) ? ClaimRefusal.Neighbour : ClaimRefusal.None;
    }

    private void Refresh()
    {
        long now = _clock();
        if (_readAt != long.MinValue && now - _readAt < Time.Second)
            return;
        _readAt = now;
        _gateways = ReadGateways(_interface);
        _reachable = ReadReachable(_interfaceIndex, _tarpitMac);
    }

    /// <summary>The routing table as /proc/net/route shows it ("Iface Destination Gateway Flags ...",
    /// addresses in host-order hex of the network-order bytes; RTF_GATEWAY, 0x2, marks routes through
    /// a gateway), read through thread-self so that it is the reading thread's network namespace.</summary>
    public static HashSet<uint> ReadGateways(string interfaceName, string path = "/proc/thread-self/net/route")
    {
        var gateways = new HashSet<uint>();
        try
        {
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (fields.Length < 4 || fields[0] != interfaceName
                    || !uint.TryParse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint raw)
                    || !uint.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint flags)
                    || (flags & 0x2) == 0 || raw == 0)
                    continue;
                gateways.Add(BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return gateways;
    }

    /// <summary>An RTM_GETNEIGH dump for IPv4 over NETLINK_ROUTE, kept to the interface's entries in use.
    /// With no netlink here the set is empty: the ARP probe still guards the claim.</summary>
    private static HashSet<uint> ReadReachable(int interfaceIndex, MacAddress tarpitMac)
    {
        var reachable = new HashSet<uint>();
        NetlinkRoute.Dump(NetlinkRoute.RtmGetNeigh, 12, 2 /* AF_INET */, (type, payload) => Neighbour(type, payload, interfaceIndex, tarpitMac, reachable));
        return reachable;
    }

    /// <summary>One RTM_NEWNEIGH: ndmsg (family, pad, ifindex, state, flags, type), then attributes.</summary>
    private static void Neighbour(ushort type, ReadOnlySpan<byte> message, int interfaceIndex, MacAddress tarpitMac, HashSet<uint> reachable)
    {
        if (type != NetlinkRoute.RtmNewNeigh || message.Length < 12)
            return;
        int index = BinaryPrimitives.ReadInt32LittleEndian(message[4..]);
        ushort state = BinaryPrimitives.ReadUInt16LittleEndian(message[8..]);
        uint? address = null;
        MacAddress? mac = null;
        NetlinkRoute.Attributes(message[12..], (attribute, value) =>
        {
            if (attribute == 1 && value.Length == 4)       // NDA_DST
                address = BinaryPrimitives.ReadUInt32BigEndian(value);
            else if (attribute == 2 && value.Length == 6)  // NDA_LLADDR
                mac = MacAddress.Read(value);
        });
        if (index == interfaceIndex && (state & NudInUse) != 0 && address is { } a && mac != tarpitMac)
            reachable.Add(a);
    }
}
