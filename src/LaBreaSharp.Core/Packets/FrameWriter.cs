using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>Who a frame goes to and comes from on the link: the two MACs and the VLAN tags.</summary>
public readonly record struct LinkAddressing(MacAddress To, MacAddress From, VlanTags Tags);

/// <summary>Writes whole frames (Ethernet, tags, IPv4, transport) into a caller's buffer, all
/// checksums computed. Nothing here allocates.</summary>
public static class FrameWriter
{
    public const byte DefaultTimeToLive = 64;

    public static int WriteTcp(Span<byte> destination, LinkAddressing link, Ipv4Address source, Ipv4Address target,
        ushort identification, byte timeToLive,
        ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment, TcpFlags flags, ushort window,
        ReadOnlySpan<byte> options = default, ReadOnlySpan<byte> payload = default, bool dontFragment = false)
    {
        int offset = EthernetFrame.Write(destination, link.To, link.From, link.Tags, EtherType.Ipv4);
        int tcpOffset = offset + Ipv4Packet.MinHeaderLength;
        int tcpLength = TcpSegment.Write(destination.Slice(tcpOffset), source, target, sourcePort, destinationPort,
            sequence, acknowledgment, flags, window, options, payload);
        Ipv4Packet.Write(destination.Slice(offset), source, target, Ipv4Packet.ProtocolTcp, tcpLength, identification, timeToLive, dontFragment);
        return tcpOffset + tcpLength;
    }

    public static int WriteArp(Span<byte> destination, LinkAddressing link, ushort operation,
        MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp)
    {
        int offset = EthernetFrame.Write(destination, link.To, link.From, link.Tags, EtherType.Arp);
        return offset + ArpPacket.Write(destination.Slice(offset), operation, senderMac, senderIp, targetMac, targetIp);
    }

    public static int WriteIcmpEcho(Span<byte> destination, LinkAddressing link, Ipv4Address source, Ipv4Address target,
        ushort identification, byte timeToLive, byte type, ushort echoIdentifier, ushort echoSequence, ReadOnlySpan<byte> payload)
    {
        int offset = EthernetFrame.Write(destination, link.To, link.From, link.Tags, EtherType.Ipv4);
        int icmpOffset = offset + Ipv4Packet.MinHeaderLength;
        int icmpLength = IcmpMessage.WriteEcho(destination.Slice(icmpOffset), type, echoIdentifier, echoSequence, payload);
        Ipv4Packet.Write(destination.Slice(offset), source, target, Ipv4Packet.ProtocolIcmp, icmpLength, identification, timeToLive);
        return icmpOffset + icmpLength;
    }
}
