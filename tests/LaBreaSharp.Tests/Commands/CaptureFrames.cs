using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Tests.Commands;

/// <summary>A frame of a capture file, decoded enough for assertions.</summary>
internal sealed record CapturedPacket(long Timestamp, byte[] Bytes)
{
    public MacAddress Source => EthernetFrame.TryRead(Bytes, out var e) ? e.Source : default;

    public bool TryTcp(out (Ipv4Address Source, Ipv4Address Destination, ushort SourcePort, ushort DestinationPort, TcpFlags Flags, uint Sequence, uint Acknowledgment, ushort Window, int Payload) tcp)
    {
        tcp = default;
        if (!EthernetFrame.TryRead(Bytes, out var ethernet) || ethernet.EtherType != EtherType.Ipv4 ||
            !Ipv4Packet.TryRead(ethernet.Payload, out var ip) || ip.Protocol != Ipv4Packet.ProtocolTcp ||
            !TcpSegment.TryRead(ip.Payload, out var segment))
            return false;
        tcp = (ip.Source, ip.Destination, segment.SourcePort, segment.DestinationPort, segment.Flags,
            segment.SequenceNumber, segment.AcknowledgmentNumber, segment.Window, segment.Payload.Length);
        return true;
    }

    public bool IsArpReply => EthernetFrame.TryRead(Bytes, out var ethernet) && ethernet.EtherType == EtherType.Arp &&
        ArpPacket.Read(ethernet.Payload, out var arp) == PacketError.None && arp.Operation == ArpPacket.OperationReply;

    /// <summary>An RFC 5227 probe: an ARP request from 0.0.0.0, as the tarpit sends before it claims.</summary>
    public bool IsArpProbe => EthernetFrame.TryRead(Bytes, out var ethernet) && ethernet.EtherType == EtherType.Arp &&
        ArpPacket.Read(ethernet.Payload, out var arp) == PacketError.None && arp.IsProbe;

    public bool IsEchoReply => EthernetFrame.TryRead(Bytes, out var ethernet) && ethernet.EtherType == EtherType.Ipv4 &&
        Ipv4Packet.TryRead(ethernet.Payload, out var ip) && ip.Protocol == Ipv4Packet.ProtocolIcmp &&
        IcmpMessage.Read(ip.Payload, out var icmp) == PacketError.None && icmp.IsEchoReply;

    /// <summary>The TCP segments among <paramref name="frames"/>, decoded; other frames are left out.</summary>
    public static List<(Ipv4Address Source, Ipv4Address Destination, ushort SourcePort, ushort DestinationPort, TcpFlags Flags, uint Sequence, uint Acknowledgment, ushort Window, int Payload)> Tcp(
        IEnumerable<CapturedPacket> frames)
    {
        var segments = new List<(Ipv4Address, Ipv4Address, ushort, ushort, TcpFlags, uint, uint, ushort, int)>();
        foreach (var frame in frames)
        {
            if (frame.TryTcp(out var tcp))
                segments.Add(tcp);
        }
        return segments;
    }

    /// <summary>The frames of a file the engine wrote (replay's -w), each passed through
    /// <see cref="IndependentFrameCheck"/> (PacketDotNet) as it is read.</summary>
    public static List<CapturedPacket> ReadReplies(string path)
    {
        var frames = ReadAll(path);
        foreach (var frame in frames)
            IndependentFrameCheck.Check(frame.Bytes);
        return frames;
    }

    public static List<CapturedPacket> ReadAll(string path)
    {
        var frames = new List<CapturedPacket>();
        using var reader = CaptureFileReader.Open(path);
        while (reader.Read(out var frame) == ReceiveStatus.Frame)
            frames.Add(new CapturedPacket(frame.TimestampNanoseconds, frame.Data.ToArray()));
        return frames;
    }
}
