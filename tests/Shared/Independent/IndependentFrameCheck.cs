using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using PacketDotNet;
using PacketDotNet.Tcp;
using ArpPacket = LaBreaSharp.Core.Packets.ArpPacket;
using PdnArp = PacketDotNet.ArpPacket;
using TcpOptionKind = LaBreaSharp.Core.Packets.TcpOptionKind;

namespace LaBreaSharp.Testing;

/// <summary>A frame the engine wrote, read a second time by PacketDotNet (a parser this project did
/// not write): every checksum as PacketDotNet computes it, every length, and every field as
/// PacketDotNet reads it against the same field as the project's own readers read it. A writer and
/// a reader that are wrong the same way agree with each other; they do not agree with PacketDotNet.
/// The engine writes only ARP, TCP and ICMP echo over IPv4, under at most two VLAN tags, with no IP
/// options and no Ethernet padding, so anything else is refused too.</summary>
public static class IndependentFrameCheck
{
    /// <summary>Checks <paramref name="frame"/> and says which layers were seen (e.g.
    /// "ethernet/vlan/ipv4/tcp"); throws <see cref="FrameCheckException"/> listing every problem.</summary>
    public static string Check(ReadOnlySpan<byte> frame)
    {
        var problems = new List<string>();
        string layers = Inspect(frame.ToArray(), problems);
        if (problems.Count > 0)
            throw new FrameCheckException($"{string.Join("; ", problems)} (layers {layers}; frame {Convert.ToHexString(frame)})");
        return layers;
    }

    private static string Inspect(byte[] bytes, List<string> problems)
    {
        if (bytes.Length < EthernetFrame.HeaderLength)
        {
            problems.Add($"ethernet: {bytes.Length} bytes, shorter than a header");
            return "";
        }
        if (Packet.ParsePacket(LinkLayers.Ethernet, bytes) is not EthernetPacket ethernet)
        {
            problems.Add("ethernet: PacketDotNet did not read an Ethernet frame");
            return "";
        }
        var layers = new List<string> { "ethernet" };
        if (EthernetFrame.Read(bytes, out var own) != PacketError.None)
        {
            problems.Add("ethernet: the project's reader refuses the frame");
            return "ethernet";
        }
        Agree(problems, "ethernet destination", Mac(own.Destination), ethernet.DestinationHardwareAddress.ToString());
        Agree(problems, "ethernet source", Mac(own.Source), ethernet.SourceHardwareAddress.ToString());
        if ((bytes[6] & 0x01) != 0)
            problems.Add("ethernet: the source is a group MAC");

        // The tags, outermost first: PacketDotNet's chain of 802.1Q packets against the project's VlanTags.
        Packet payload = ethernet.PayloadPacket;
        ushort type = (ushort)ethernet.Type;
        var tpids = new List<ushort>();
        var tcis = new List<ushort>();
        while (payload is Ieee8021QPacket tag)
        {
            layers.Add("vlan");
            tpids.Add(type);
            tcis.Add((ushort)(((int)tag.PriorityControlPoint << 13) | (tag.CanonicalFormatIndicator ? 0x1000 : 0) | tag.VlanIdentifier));
            type = (ushort)tag.Type;
            payload = tag.PayloadPacket;
        }
        var tags = own.Tags;
        Agree(problems, "vlan tag count", tags.Count, tpids.Count);
        if (tpids.Count > VlanTags.MaxTags)
            problems.Add($"vlan: {tpids.Count} tags, the engine writes at most {VlanTags.MaxTags}");
        if (tpids.Count >= 1)
            Agree(problems, "outer tag", (tags.OuterTpid, tags.OuterTci), (tpids[0], tcis[0]));
        if (tpids.Count >= 2)
            Agree(problems, "inner tag", (tags.InnerTpid, tags.InnerTci), (tpids[1], tcis[1]));
        Agree(problems, "ethertype", own.EtherType, type);
        int offset = EthernetFrame.HeaderLength + tpids.Count * VlanTags.TagLength;

        switch (payload)
        {
            case PdnArp arp when type == EtherType.Arp:
                layers.Add("arp");
                CheckArp(bytes, offset, arp, own, problems);
                break;
            case IPv4Packet ip when type == EtherType.Ipv4:
                layers.Add("ipv4");
                CheckIpv4(bytes, offset, ip, problems, layers);
                break;
            default:
                problems.Add($"ethernet: ethertype 0x{type:x4} ({payload?.GetType().Name ?? "nothing"}); the engine writes only ARP and IPv4");
                break;
        }
        return string.Join("/", layers);
    }

    private static void CheckArp(byte[] bytes, int offset, PdnArp arp, EthernetFrame ethernet, List<string> problems)
    {
        Expect(problems, "arp length", offset + ArpPacket.Length, bytes.Length);
        Expect(problems, "arp hardware type", LinkLayers.Ethernet, arp.HardwareAddressType);
        Expect(problems, "arp protocol type", EthernetType.IPv4, arp.ProtocolAddressType);
        Expect(problems, "arp hardware length", 6, arp.HardwareAddressLength);
        Expect(problems, "arp protocol length", 4, arp.ProtocolAddressLength);
        if (arp.Operation is not (ArpOperation.Request or ArpOperation.Response))
            problems.Add($"arp: operation {arp.Operation}");
        if (ArpPacket.Read(bytes.AsSpan(offset), out var own) != PacketError.None)
        {
            problems.Add("arp: the project's reader refuses it");
            return;
        }
        Agree(problems, "arp operation", own.Operation, (ushort)arp.Operation);
        Agree(problems, "arp sender MAC", Mac(own.SenderMac), arp.SenderHardwareAddress.ToString());
        Agree(problems, "arp sender IP", own.SenderIp.ToString(), arp.SenderProtocolAddress.ToString());
        Agree(problems, "arp target MAC", Mac(own.TargetMac), arp.TargetHardwareAddress.ToString());
        Agree(problems, "arp target IP", own.TargetIp.ToString(), arp.TargetProtocolAddress.ToString());
        // Whoever answers ARP speaks for the MAC it sends from, and answers the asker.
        Expect(problems, "arp sender MAC against the ethernet source", ethernet.Source, own.SenderMac);
        if (arp.Operation == ArpOperation.Response)
            Expect(problems, "arp reply's target MAC against the ethernet destination", ethernet.Destination, own.TargetMac);
    }

    private static void CheckIpv4(byte[] bytes, int offset, IPv4Packet ip, List<string> problems, List<string> layers)
    {
        Expect(problems, "ipv4 version", IPVersion.IPv4, ip.Version);
        Expect(problems, "ipv4 header length (the engine writes no options)", 5, ip.HeaderLength);
        Expect(problems, "ipv4 total length against the frame (no padding, nothing cut)", bytes.Length - offset, ip.TotalLength);
        if (!ip.ValidIPChecksum)
            problems.Add($"ipv4: header checksum 0x{ip.Checksum:x4} is wrong");
        if (ip.TimeToLive == 0)
            problems.Add("ipv4: TTL 0");
        if ((ip.FragmentFlags & 0b101) != 0 || ip.FragmentOffset != 0)
            problems.Add($"ipv4: a fragment or the reserved bit (flags {ip.FragmentFlags}, offset {ip.FragmentOffset})");
        var source = ip.SourceAddress.GetAddressBytes();
        if (source[0] is 0 or 127 or >= 224)
            problems.Add($"ipv4: source {ip.SourceAddress} is not a unicast address");
        if (Ipv4Packet.Read(bytes.AsSpan(offset), out var own) != PacketError.None)
        {
            problems.Add("ipv4: the project's reader refuses it");
            return;
        }
        Agree(problems, "ipv4 source", own.Source.ToString(), ip.SourceAddress.ToString());
        Agree(problems, "ipv4 destination", own.Destination.ToString(), ip.DestinationAddress.ToString());
        Agree(problems, "ipv4 identification", own.Identification, ip.Id);
        Agree(problems, "ipv4 TTL", own.TimeToLive, (byte)ip.TimeToLive);
        Agree(problems, "ipv4 don't-fragment", own.DontFragment, (ip.FragmentFlags & 0b010) != 0);
        Agree(problems, "ipv4 protocol", own.Protocol, (byte)ip.Protocol);

        int transport = offset + ip.HeaderLength * 4;
        switch (ip.PayloadPacket)
        {
            case TcpPacket tcp when own.Protocol == Ipv4Packet.ProtocolTcp:
                layers.Add("tcp");
                CheckTcp(bytes.AsSpan(transport), tcp, own, problems);
                break;
            case IcmpV4Packet icmp when own.Protocol == Ipv4Packet.ProtocolIcmp:
                layers.Add("icmp");
                CheckIcmp(bytes.AsSpan(transport), icmp, problems);
                break;
            default:
                problems.Add($"ipv4: protocol {own.Protocol}; the engine writes only TCP and ICMP");
                break;
        }
    }

    private static void CheckTcp(ReadOnlySpan<byte> segment, TcpPacket tcp, Ipv4Packet ip, List<string> problems)
    {
        if (segment.Length < TcpSegment.MinHeaderLength)
        {
            problems.Add($"tcp: {segment.Length} bytes, shorter than a header");
            return;
        }
        int headerLength = (segment[12] >> 4) * 4;
        if (headerLength < TcpSegment.MinHeaderLength || headerLength > segment.Length)
        {
            problems.Add($"tcp: data offset {headerLength} bytes in a {segment.Length}-byte segment");
            return;
        }
        // PacketDotNet 1.4.8 loops forever on an option whose length byte is 0 or 1, so the options
        // are walked here first and PacketDotNet sees them only when every length is sound.
        string? optionProblem = OptionProblem(segment[TcpSegment.MinHeaderLength..headerLength]);
        if (optionProblem is not null)
            problems.Add("tcp options: " + optionProblem);

        if (!tcp.ValidTcpChecksum)
            problems.Add($"tcp: checksum 0x{tcp.Checksum:x4} is wrong for the pseudo-header {ip.Source} > {ip.Destination}");
        if (tcp.SourcePort == 0 || tcp.DestinationPort == 0)
            problems.Add($"tcp: port 0 ({tcp.SourcePort} > {tcp.DestinationPort})");
        if (tcp.Synchronize && (tcp.Finished || tcp.Reset))
            problems.Add("tcp: SYN with FIN or RST");
        if (!tcp.Acknowledgment && tcp.AcknowledgmentNumber != 0)
            problems.Add($"tcp: acknowledgment number {tcp.AcknowledgmentNumber} without ACK");
        if (tcp.Urgent || tcp.UrgentPointer != 0)
            problems.Add("tcp: urgent data");
        if ((segment[12] & 0x0F) != 0)
            problems.Add("tcp: reserved bits set");

        if (TcpSegment.Read(segment, out var own) != PacketError.None)
        {
            problems.Add("tcp: the project's reader refuses it");
            return;
        }
        Agree(problems, "tcp source port", own.SourcePort, tcp.SourcePort);
        Agree(problems, "tcp destination port", own.DestinationPort, tcp.DestinationPort);
        Agree(problems, "tcp sequence number", own.SequenceNumber, tcp.SequenceNumber);
        Agree(problems, "tcp acknowledgment number", own.AcknowledgmentNumber, tcp.AcknowledgmentNumber);
        Agree(problems, "tcp flags", (byte)own.Flags, (byte)tcp.Flags);
        Agree(problems, "tcp window", own.Window, tcp.WindowSize);
        Agree(problems, "tcp header length", own.HeaderLength, tcp.DataOffset * 4);
        byte[] payload = tcp.HasPayloadPacket ? tcp.PayloadPacket.Bytes : tcp.PayloadData ?? [];
        Agree(problems, "tcp payload", Convert.ToHexString(own.Payload), Convert.ToHexString(payload));
        if (optionProblem is null)
            CompareOptions(own, tcp, problems);
    }

    /// <summary>Why the options area is malformed, or null: every option but EOL and NOP has a length
    /// of at least 2 that stays inside the area, and the kinds the engine writes have their RFC lengths.</summary>
    public static string? OptionProblem(ReadOnlySpan<byte> area)
    {
        for (int i = 0; i < area.Length;)
        {
            byte kind = area[i];
            if (kind == TcpOptionKind.EndOfList)
                return null;
            if (kind == TcpOptionKind.NoOperation)
            {
                i++;
                continue;
            }
            if (i + 1 >= area.Length)
                return $"kind {kind} at {i} has no length byte";
            int length = area[i + 1];
            if (length < 2 || i + length > area.Length)
                return $"kind {kind} at {i} has length {length} in a {area.Length}-byte area";
            int expected = kind switch
            {
                TcpOptionKind.MaximumSegmentSize => 4,
                TcpOptionKind.WindowScale => 3,
                TcpOptionKind.SackPermitted => 2,
                TcpOptionKind.Timestamps => 10,
                _ => length,
            };
            if (length != expected)
                return $"kind {kind} at {i} has length {length}, not {expected}";
            i += length;
        }
        return null;
    }

    private static void CompareOptions(TcpSegment own, TcpPacket tcp, List<string> problems)
    {
        if (!own.TryGetOptions(out var options))
        {
            problems.Add("tcp options: the project's reader refuses them");
            return;
        }
        ushort? mss = null;
        byte? scale = null;
        bool sackPermitted = false;
        uint? timestamp = null, echo = null;
        foreach (var option in tcp.OptionsCollection ?? [])
        {
            switch (option)
            {
                case MaximumSegmentSizeOption m: mss = m.Value; break;
                case WindowScaleFactorOption w: scale = w.ScaleFactor; break;
                case SelectiveAcknowledgmentPermittedOption: sackPermitted = true; break;
                case TimeStampOption t: (timestamp, echo) = (t.Value, t.EchoReply); break;
            }
        }
        Agree(problems, "tcp MSS option", options.MaximumSegmentSize, mss);
        Agree(problems, "tcp window scale option", options.WindowScale, scale);
        Agree(problems, "tcp SACK-permitted option", options.SackPermitted, sackPermitted);
        Agree(problems, "tcp timestamps option", (options.TimestampValue, options.TimestampEcho), (timestamp, echo));
    }

    private static void CheckIcmp(ReadOnlySpan<byte> message, IcmpV4Packet icmp, List<string> problems)
    {
        if (!icmp.ValidIcmpChecksum)
            problems.Add($"icmp: checksum 0x{icmp.Checksum:x4} is wrong");
        if (icmp.TypeCode != IcmpV4TypeCode.EchoReply)
            problems.Add($"icmp: {icmp.TypeCode}; the engine writes only echo replies");
        if (IcmpMessage.Read(message, out var own) != PacketError.None)
        {
            problems.Add("icmp: the project's reader refuses it");
            return;
        }
        Agree(problems, "icmp type and code", (ushort)((own.Type << 8) | own.Code), (ushort)icmp.TypeCode);
        Agree(problems, "icmp identifier", own.Identifier, icmp.Id);
        Agree(problems, "icmp sequence", own.SequenceNumber, icmp.Sequence);
        Agree(problems, "icmp payload", Convert.ToHexString(own.Payload), Convert.ToHexString(icmp.Data ?? []));
    }

    private static string Mac(MacAddress mac)
    {
        Span<byte> bytes = stackalloc byte[MacAddress.Length];
        mac.Write(bytes);
        return Convert.ToHexString(bytes); // PhysicalAddress.ToString()'s form: twelve hex digits
    }

    /// <summary>The project's reader and PacketDotNet read the same field.</summary>
    private static void Agree<T>(List<string> problems, string what, T own, T theirs)
    {
        if (!EqualityComparer<T>.Default.Equals(own, theirs))
            problems.Add($"{what}: the project reads {own}, PacketDotNet {theirs}");
    }

    private static void Expect<T>(List<string> problems, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            problems.Add($"{what}: {actual}, expected {expected}");
    }
}

/// <summary>A frame the independent check refused.</summary>
public sealed class FrameCheckException(string message) : Exception(message);
