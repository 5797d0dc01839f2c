using System.Buffers.Binary;
using System.Text;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Commands;

/// <summary>What the kernel says about a network interface (or that it does not exist): its index,
/// its MAC, and its first IPv4 address with prefix length. Asked over netlink (RTM_GETLINK, then
/// RTM_GETADDR), which needs no privilege and no AF_INET socket (the service unit's address
/// families stay AF_PACKET, AF_NETLINK and AF_UNIX).</summary>
public static class InterfaceInfo
{
    private const ushort ArphrdLoopback = 772;
    private const uint IffLoopback = 0x8;

    public static HostIdentity Read(string name)
    {
        int index = -1;
        ushort linkType = 0;
        uint flags = 0;
        byte[]? address = null;
        bool linksRead = NetlinkRoute.Dump(NetlinkRoute.RtmGetLink, 16, 0, (type, payload) =>
        {
            if (type != NetlinkRoute.RtmNewLink || payload.Length < 16 || index >= 0)
                return;
            string? linkName = null;
            byte[]? linkAddress = null;
            NetlinkRoute.Attributes(payload[16..], (attribute, value) =>
            {
                if (attribute == 3) // IFLA_IFNAME, NUL-terminated
                    linkName = Encoding.UTF8.GetString(value.IndexOf((byte)0) is var end and >= 0 ? value[..end] : value);
                else if (attribute == 1) // IFLA_ADDRESS
                    linkAddress = value.ToArray();
            });
            if (linkName != name)
                return;
            // ifinfomsg: family, pad, type (2), index (4), flags (4), change (4)
            linkType = BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]);
            index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
            flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
            address = linkAddress;
        });
        if (!linksRead)
            throw new UsageException($"the kernel's interfaces cannot be read (netlink), so interface '{name}' cannot be checked");
        if (index < 0)
            throw new UsageException($"interface '{name}' does not exist ('ip link' lists the interfaces)");
        if (linkType == ArphrdLoopback || (flags & IffLoopback) != 0)
            throw new UsageException($"interface '{name}' is the loopback interface; the tarpit watches an Ethernet interface on the network it guards");
        if (address is not { Length: MacAddress.Length })
            throw new UsageException($"interface '{name}' is not an Ethernet interface (it has no 6-byte MAC address)");
        var mac = MacAddress.Read(address);
        if (mac.Value == 0 || mac.IsGroup)
            throw new UsageException($"interface '{name}' has no unicast MAC address ({mac}), so it cannot be an Ethernet interface to answer on");

        Ipv4Address? ip = null;
        int? prefixLength = null;
        NetlinkRoute.Dump(NetlinkRoute.RtmGetAddr, 8, 2 /* AF_INET */, (type, payload) =>
        {
            // ifaddrmsg: family, prefix length, flags, scope, index (4); the first address of the interface wins.
            if (type != NetlinkRoute.RtmNewAddr || payload.Length < 8 || ip is not null
                || BinaryPrimitives.ReadInt32LittleEndian(payload[4..]) != index)
                return;
            Ipv4Address? local = null, peer = null;
            NetlinkRoute.Attributes(payload[8..], (attribute, value) =>
            {
                if (value.Length != 4)
                    return;
                if (attribute == 2) // IFA_LOCAL: the interface's own address
                    local = Ipv4Address.Read(value);
                else if (attribute == 1) // IFA_ADDRESS: the same, but the peer's on a point-to-point link
                    peer = Ipv4Address.Read(value);
            });
            ip = local ?? peer;
            prefixLength = ip is null ? null : payload[1];
        });
        return new HostIdentity(ip, prefixLength, mac, index);
    }
}
