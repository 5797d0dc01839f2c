using System.Buffers.Binary;
using System.Text;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Inspect;

/// <summary>What a frame turned out to be, for the closing count of <c>inspect</c>.</summary>
public enum FrameKind
{
    Tcp,
    Udp,
    Icmp,
    Arp,
    OtherIpv4,
    Other,
    Malformed,
}

/// <summary>Turns one frame into one tcpdump-like line using the project's own readers, so what
/// <c>inspect</c> shows is exactly what the tarpit would see.</summary>
public static class FrameFormatter
{
    public static FrameKind Format(StringBuilder line, long timestampNanoseconds, ReadOnlySpan<byte> frame, int originalLength, bool showLink)
    {
        AppendTime(line, timestampNanoseconds);
        line.Append(' ');
        bool cutBySnapLength = frame.Length < originalLength;

        var ethernetError = EthernetFrame.Read(frame, out var ethernet);
        if (ethernetError != PacketError.None)
        {
            if (ethernetError == PacketError.Unsupported && frame.Length >= EthernetFrame.HeaderLength &&
                BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)) < 0x0600)
            {
                line.Append("802.3, length ").Append(originalLength);
                return FrameKind.Other;
            }
            return Malformed(line, "ethernet", ethernetError);
        }
        if (showLink)
            line.Append(ethernet.Source.ToString()).Append(" > ").Append(ethernet.Destination.ToString()).Append(", ");
        if (ethernet.Tags.Count > 0)
            line.Append("vlan ").Append(ethernet.Tags.OuterVlanId).Append(' ');
        if (ethernet.Tags.Count > 1)
            line.Append("vlan ").Append(ethernet.Tags.InnerVlanId).Append(' ');

        return ethernet.EtherType switch
        {
            EtherType.Arp => FormatArp(line, ethernet.Payload, cutBySnapLength),
            EtherType.Ipv4 => FormatIpv4(line, ethernet.Payload, cutBySnapLength),
            EtherType.Ipv6 => Other(line, "IPv6", originalLength - ethernet.PayloadOffset),
            _ => Other(line, $"ethertype 0x{ethernet.EtherType:x4}", originalLength - ethernet.PayloadOffset),
        };
    }

    private static FrameKind FormatArp(StringBuilder line, ReadOnlySpan<byte> payload, bool cut)
    {
        var error = ArpPacket.Read(payload, out var arp);
        if (error == PacketError.Unsupported)
            return Other(line, "ARP (not Ethernet/IPv4)", payload.Length);
        if (error != PacketError.None)
            return cut ? Truncated(line, "ARP [|arp]", FrameKind.Arp) : Malformed(line, "arp", error);
        line.Append("ARP ");
        switch (arp.Operation)
        {
            case ArpPacket.OperationRequest:
                line.Append("who-has ").Append(arp.TargetIp.ToString()).Append(" tell ").Append(arp.SenderIp.ToString());
                break;
            case ArpPacket.OperationReply:
                line.Append("reply ").Append(arp.SenderIp.ToString()).Append(" is-at ").Append(arp.SenderMac.ToString());
                break;
            default:
                line.Append("op ").Append(arp.Operation).Append(' ').Append(arp.SenderIp.ToString()).Append(" > ").Append(arp.TargetIp.ToString());
                break;
        }
        return FrameKind.Arp;
    }

    private static FrameKind FormatIpv4(StringBuilder line, ReadOnlySpan<byte> payload, bool cut)
    {
        var error = Ipv4Packet.Read(payload, out var ip);
        if (error != PacketError.None)
        {
            // A snap length cuts packets short on purpose: say so, as tcpdump does, instead of calling them malformed.
            if (cut && error is PacketError.Truncated or PacketError.BadTotalLength && payload.Length >= Ipv4Packet.MinHeaderLength)
            {
                line.Append(Ipv4Address.Read(payload.Slice(12)).ToString()).Append(" > ").Append(Ipv4Address.Read(payload.Slice(16)).ToString());
                return Truncated(line, ": [|ip]", FrameKind.OtherIpv4);
            }
            return Malformed(line, "ipv4", error);
        }

        FrameKind kind;
        if (ip.FragmentOffset != 0)
        {
            line.Append(ip.Source.ToString()).Append(" > ").Append(ip.Destination.ToString())
                .Append(": frag id ").Append(ip.Identification).Append(" offset ").Append(ip.FragmentOffset)
                .Append(" length ").Append(ip.Payload.Length).Append(", proto ").Append(ip.Protocol);
            kind = FrameKind.OtherIpv4;
        }
        else
        {
            kind = ip.Protocol switch
            {
                Ipv4Packet.ProtocolTcp => FormatTcp(line, ip, cut),
                Ipv4Packet.ProtocolUdp => FormatUdp(line, ip, cut),
                Ipv4Packet.ProtocolIcmp => FormatIcmp(line, ip),
                _ => FormatOtherIp(line, ip),
            };
            if (kind == FrameKind.Malformed)
                return kind;
            if (ip.MoreFragments)
                line.Append(" (first fragment, id ").Append(ip.Identification).Append(')');
        }
        if (ip.HasOptions)
            line.Append(" [ip options]");
        if (!ip.IsHeaderChecksumValid)
            line.Append(" [bad ip cksum]");
        return kind;
    }

    private static FrameKind FormatTcp(StringBuilder line, Ipv4Packet ip, bool cut)
    {
        var error = TcpSegment.Read(ip.Payload, out var tcp);
        if (error != PacketError.None)
        {
            if (cut || ip.MoreFragments)
            {
                line.Append(ip.Source.ToString()).Append(" > ").Append(ip.Destination.ToString());
                return Truncated(line, ": [|tcp]", FrameKind.Tcp);
            }
            return Malformed(line, "tcp", error);
        }
        line.Append(ip.Source.ToString()).Append('.').Append(tcp.SourcePort).Append(" > ")
            .Append(ip.Destination.ToString()).Append('.').Append(tcp.DestinationPort).Append(": ");
        AppendFlags(line, tcp.Flags);
        line.Append(" seq ").Append(tcp.SequenceNumber);
        if (tcp.Has(TcpFlags.Ack))
            line.Append(" ack ").Append(tcp.AcknowledgmentNumber);
        line.Append(" win ").Append(tcp.Window);
        if (tcp.Payload.Length > 0)
            line.Append(" len ").Append(tcp.Payload.Length);
        bool optionsMalformed = false;
        if (tcp.OptionsArea.Length > 0)
            optionsMalformed = AppendOptions(line, tcp.OptionsArea);
        if (!cut && !ip.MoreFragments && !tcp.IsChecksumValid(ip.Source, ip.Destination))
            line.Append(" [bad tcp cksum]");
        return optionsMalformed ? FrameKind.Malformed : FrameKind.Tcp;
    }

    /// <summary>tcpdump's letters in tcpdump's order: F S R P . U E W.</summary>
    private static void AppendFlags(StringBuilder line, TcpFlags flags)
    {
        if (flags == TcpFlags.None)
        {
            line.Append("none");
            return;
        }
        if ((flags & TcpFlags.Fin) != 0) line.Append('F');
        if ((flags & TcpFlags.Syn) != 0) line.Append('S');
        if ((flags & TcpFlags.Rst) != 0) line.Append('R');
        if ((flags & TcpFlags.Psh) != 0) line.Append('P');
        if ((flags & TcpFlags.Ack) != 0) line.Append('.');
        if ((flags & TcpFlags.Urg) != 0) line.Append('U');
        if ((flags & TcpFlags.Ece) != 0) line.Append('E');
        if ((flags & TcpFlags.Cwr) != 0) line.Append('W');
    }

    /// <summary>Appends " &lt;mss 1460,sackOK,ts,wscale 7&gt;"; returns true when the options are malformed.</summary>
    private static bool AppendOptions(StringBuilder line, ReadOnlySpan<byte> area)
    {
        line.Append(" <");
        int start = line.Length;
        var reader = new TcpOptionReader(area);
        while (reader.TryReadNext(out var option))
        {
            if (line.Length > start)
                line.Append(',');
            switch (option.Kind)
            {
                case TcpOptionKind.MaximumSegmentSize:
                    line.Append("mss ").Append(BinaryPrimitives.ReadUInt16BigEndian(option.Data));
                    break;
                case TcpOptionKind.WindowScale:
                    line.Append("wscale ").Append(option.Data[0]);
                    break;
                case TcpOptionKind.SackPermitted:
                    line.Append("sackOK");
                    break;
                case TcpOptionKind.Sack:
                    line.Append("sack ").Append(option.Data.Length / 8);
                    break;
                case TcpOptionKind.Timestamps:
                    line.Append("ts");
                    break;
                default:
                    line.Append("opt-").Append(option.Kind);
                    break;
            }
        }
        if (reader.IsMalformed)
        {
            if (line.Length > start)
                line.Append(',');
            line.Append("malformed");
        }
        else if (line.Length == start)
            line.Append("nop");
        line.Append('>');
        return reader.IsMalformed;
    }

    private static FrameKind FormatUdp(StringBuilder line, Ipv4Packet ip, bool cut)
    {
        var error = UdpDatagram.Read(ip.Payload, out var udp);
        if (error != PacketError.None)
        {
            if (cut || ip.MoreFragments)
            {
                line.Append(ip.Source.ToString()).Append(" > ").Append(ip.Destination.ToString());
                return Truncated(line, ": [|udp]", FrameKind.Udp);
            }
            return Malformed(line, "udp", error);
        }
        line.Append(ip.Source.ToString()).Append('.').Append(udp.SourcePort).Append(" > ")
            .Append(ip.Destination.ToString()).Append('.').Append(udp.DestinationPort)
            .Append(": UDP, length ").Append(udp.Payload.Length);
        return FrameKind.Udp;
    }

    private static FrameKind FormatIcmp(StringBuilder line, Ipv4Packet ip)
    {
        var error = IcmpMessage.Read(ip.Payload, out var icmp);
        if (error != PacketError.None)
            return Malformed(line, "icmp", error);
        line.Append(ip.Source.ToString()).Append(" > ").Append(ip.Destination.ToString()).Append(": ICMP ");
        if (icmp.IsEchoRequest || icmp.IsEchoReply)
            line.Append(icmp.IsEchoRequest ? "echo request" : "echo reply")
                .Append(", id ").Append(icmp.Identifier).Append(", seq ").Append(icmp.SequenceNumber);
        else
            line.Append("type ").Append(icmp.Type).Append(" code ").Append(icmp.Code);
        line.Append(", length ").Append(icmp.Length);
        if (!ip.MoreFragments && !icmp.IsChecksumValid)
            line.Append(" [bad icmp cksum]");
        return FrameKind.Icmp;
    }

    private static FrameKind FormatOtherIp(StringBuilder line, Ipv4Packet ip)
    {
        line.Append(ip.Source.ToString()).Append(" > ").Append(ip.Destination.ToString())
            .Append(": ip-proto-").Append(ip.Protocol).Append(' ').Append(ip.Payload.Length);
        return FrameKind.OtherIpv4;
    }

    private static FrameKind Other(StringBuilder line, string what, int length)
    {
        line.Append(what).Append(", length ").Append(length);
        return FrameKind.Other;
    }

    private static FrameKind Truncated(StringBuilder line, string text, FrameKind kind)
    {
        line.Append(text);
        return kind;
    }

    private static FrameKind Malformed(StringBuilder line, string layer, PacketError error)
    {
        line.Append("malformed: ").Append(layer).Append(' ').Append(error.Describe());
        return FrameKind.Malformed;
    }

    /// <summary>HH:MM:SS.uuuuuu in UTC, as tcpdump prints with -tttt's time part.</summary>
    private static void AppendTime(StringBuilder line, long timestampNanoseconds)
    {
        long micros = Math.DivRem(timestampNanoseconds, 1000L, out _);
        long secondsOfDay = Math.DivRem(micros, 1_000_000L, out long fraction) % 86_400;
        if (fraction < 0) { fraction += 1_000_000; secondsOfDay = (secondsOfDay + 86_399) % 86_400; }
        if (secondsOfDay < 0) secondsOfDay += 86_400;
        line.Append((secondsOfDay / 3600).ToString("D2")).Append(':')
            .Append((secondsOfDay / 60 % 60).ToString("D2")).Append(':')
            .Append((secondsOfDay % 60).ToString("D2")).Append('.')
            .Append(fraction.ToString("D6"));
    }
}
