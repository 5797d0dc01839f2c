using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tests.Packets;

/// <summary>Each reader against the recorded vectors: every field where tcpdump says it is.</summary>
public class ReaderTests
{
    [Fact]
    public void Ethernet_untagged()
    {
        Assert.True(EthernetFrame.TryRead(Vectors.CurlSyn, out var ethernet));
        Assert.Equal(MacAddress.Parse("02:00:00:00:02:64"), ethernet.Destination);
        Assert.Equal(MacAddress.Parse("02:00:00:00:02:02"), ethernet.Source);
        Assert.Equal(0, ethernet.Tags.Count);
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);
        Assert.Equal(14, ethernet.PayloadOffset);
    }

    [Fact]
    public void Ethernet_one_802_1Q_tag_with_priority()
    {
        Assert.True(EthernetFrame.TryRead(Vectors.VlanEchoRequest, out var ethernet));
        Assert.Equal(1, ethernet.Tags.Count);
        Assert.Equal(EtherType.Vlan, ethernet.Tags.OuterTpid);
        Assert.Equal(0x6064, ethernet.Tags.OuterTci);
        Assert.Equal(100, ethernet.Tags.OuterVlanId);
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);
        Assert.Equal(18, ethernet.PayloadOffset);
    }

    [Fact]
    public void Ethernet_802_1ad_over_802_1Q()
    {
        Assert.True(EthernetFrame.TryRead(Vectors.QinQSyn, out var ethernet));
        Assert.Equal(2, ethernet.Tags.Count);
        Assert.Equal(EtherType.QinQ, ethernet.Tags.OuterTpid);
        Assert.Equal(300, ethernet.Tags.OuterVlanId);
        Assert.Equal(EtherType.Vlan, ethernet.Tags.InnerTpid);
        Assert.Equal(200, ethernet.Tags.InnerVlanId);
        Assert.Equal(22, ethernet.PayloadOffset);
    }

    [Fact]
    public void Ethernet_three_tags_are_not_read()
    {
        byte[] frame = [.. Vectors.QinQSyn.AsSpan(0, 12), 0x81, 0x00, 0x00, 0x01, .. Vectors.QinQSyn.AsSpan(12)];
        Assert.Equal(PacketError.Unsupported, EthernetFrame.Read(frame, out _));
    }

    [Fact]
    public void Arp_request_and_reply()
    {
        Assert.True(EthernetFrame.TryRead(Vectors.ArpRequest, out var ethernet));
        Assert.Equal(EtherType.Arp, ethernet.EtherType);
        Assert.True(ArpPacket.TryRead(ethernet.Payload, out var request));
        Assert.True(request.IsRequest);
        Assert.False(request.IsGratuitous);
        Assert.Equal(MacAddress.Parse("02:00:00:00:02:02"), request.SenderMac);
        Assert.Equal(Ipv4Address.Parse("192.0.2.2"), request.SenderIp);
        Assert.Equal(MacAddress.Zero, request.TargetMac);
        Assert.Equal(Ipv4Address.Parse("192.0.2.100"), request.TargetIp);

        Assert.True(EthernetFrame.TryRead(Vectors.ArpReply, out ethernet));
        Assert.True(ArpPacket.TryRead(ethernet.Payload, out var reply));
        Assert.True(reply.IsReply);
        Assert.Equal(MacAddress.Parse("02:00:00:00:02:64"), reply.SenderMac);
        Assert.Equal(Ipv4Address.Parse("192.0.2.100"), reply.SenderIp);
    }

    [Fact]
    public void Arp_for_other_protocols_is_unsupported()
    {
        var arp = Vectors.ArpRequest.AsSpan(14).ToArray();
        arp[3] = 0xdd; // protocol type 0x08dd
        Assert.Equal(PacketError.Unsupported, ArpPacket.Read(arp, out _));
    }

    [Fact]
    public void Ipv4_header_fields()
    {
        Assert.True(Ipv4Packet.TryRead(Vectors.CurlSyn.AsSpan(14), out var ip));
        Assert.Equal(20, ip.HeaderLength);
        Assert.Equal(60, ip.TotalLength);
        Assert.False(ip.HasOptions);
        Assert.Equal(0x8dd3, ip.Identification);
        Assert.True(ip.DontFragment);
        Assert.False(ip.MoreFragments);
        Assert.False(ip.IsFragment);
        Assert.Equal(0, ip.FragmentOffset);
        Assert.Equal(64, ip.TimeToLive);
        Assert.Equal(Ipv4Packet.ProtocolTcp, ip.Protocol);
        Assert.Equal(0x2882, ip.HeaderChecksum);
        Assert.True(ip.IsHeaderChecksumValid);
        Assert.Equal(Ipv4Address.Parse("192.0.2.2"), ip.Source);
        Assert.Equal(Ipv4Address.Parse("192.0.2.100"), ip.Destination);
        Assert.Equal(40, ip.Payload.Length);
    }

    [Fact]
    public void Ipv4_payload_stops_at_total_length_not_at_ethernet_padding()
    {
        // A 54-byte ACK padded to Ethernet's 60-byte minimum: the 6 pad bytes are not TCP data.
        Span<byte> frame = stackalloc byte[60];
        int length = FrameWriter.WriteTcp(frame, new LinkAddressing(MacAddress.Broadcast, MacAddress.Zero, VlanTags.None),
            Ipv4Address.Parse("192.0.2.2"), Ipv4Address.Parse("192.0.2.100"), 1, 64, 1000, 80, 5, 6, TcpFlags.Ack, 100);
        Assert.Equal(54, length);
        frame.Slice(54).Fill(0xAA);
        Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
        Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
        Assert.Equal(20, ip.Payload.Length);
        Assert.True(TcpSegment.TryRead(ip.Payload, out var tcp));
        Assert.Equal(0, tcp.Payload.Length);
        Assert.True(tcp.IsChecksumValid(ip.Source, ip.Destination));
    }

    [Fact]
    public void Ipv4_fragments_and_options()
    {
        var packet = Vectors.CurlSyn.AsSpan(14).ToArray();
        packet[6] = 0x20; packet[7] = 0xb9;   // MF, offset 0xb9 × 8 = 1480
        Assert.True(Ipv4Packet.TryRead(packet, out var fragment));
        Assert.True(fragment.MoreFragments);
        Assert.True(fragment.IsFragment);
        Assert.Equal(1480, fragment.FragmentOffset);
        Assert.False(fragment.DontFragment);

        // IHL 6: one 4-byte option (NOP NOP NOP EOL), total length grows by 4.
        byte[] withOptions = [0x46, .. packet.AsSpan(1, 19), 0x01, 0x01, 0x01, 0x00, .. packet.AsSpan(20)];
        withOptions[3] = 64;
        Assert.True(Ipv4Packet.TryRead(withOptions, out var optioned));
        Assert.True(optioned.HasOptions);
        Assert.Equal(24, optioned.HeaderLength);
        Assert.Equal(4, optioned.Options.Length);
        Assert.Equal(40, optioned.Payload.Length);
    }

    [Fact]
    public void Tcp_header_fields_and_options()
    {
        Assert.True(TcpSegment.TryRead(Vectors.CurlSyn.AsSpan(34), out var tcp));
        Assert.Equal(38178, tcp.SourcePort);
        Assert.Equal(80, tcp.DestinationPort);
        Assert.Equal(3944510770u, tcp.SequenceNumber);
        Assert.Equal(0u, tcp.AcknowledgmentNumber);
        Assert.Equal(40, tcp.HeaderLength);
        Assert.Equal(TcpFlags.Syn, tcp.Flags);
        Assert.Equal(64240, tcp.Window);
        Assert.Equal(0x8d38, tcp.Checksum);
        Assert.Equal(0, tcp.Payload.Length);
        Assert.True(tcp.IsChecksumValid(Ipv4Address.Parse("192.0.2.2"), Ipv4Address.Parse("192.0.2.100")));
        Assert.False(tcp.IsChecksumValid(Ipv4Address.Parse("192.0.2.3"), Ipv4Address.Parse("192.0.2.100")));

        Assert.True(tcp.TryGetOptions(out var options));
        Assert.Equal((ushort)1460, options.MaximumSegmentSize);
        Assert.True(options.SackPermitted);
        Assert.Equal(440478570u, options.TimestampValue);
        Assert.Equal(0u, options.TimestampEcho);
        Assert.Equal((byte)10, options.WindowScale);
        Assert.Equal(0, options.UnknownCount);
    }

    [Fact]
    public void Tcp_synack_flags()
    {
        Assert.True(TcpSegment.TryRead(Vectors.ServerSynAck.AsSpan(34), out var tcp));
        Assert.Equal(TcpFlags.SynAck, tcp.Flags);
        Assert.True(tcp.Has(TcpFlags.Syn));
        Assert.True(tcp.Has(TcpFlags.Ack));
        Assert.False(tcp.Has(TcpFlags.Rst));
        Assert.Equal(3944510771u, tcp.AcknowledgmentNumber);
    }

    [Fact]
    public void Tcp_unknown_options_are_skipped_by_length()
    {
        byte[] area =
        [
            0x1e, 0x06, 0xaa, 0xbb, 0xcc, 0xdd,             // kind 30 (MPTCP), length 6: unknown here
            0x02, 0x04, 0x02, 0x18,                         // MSS 536
            0x01, 0x00,                                     // NOP, end of list
        ];
        Assert.True(TcpOptions.TryParse(area, out var options));
        Assert.Equal((ushort)536, options.MaximumSegmentSize);
        Assert.Equal(1, options.UnknownCount);
    }

    [Fact]
    public void Tcp_options_stop_at_end_of_list()
    {
        byte[] area = [0x00, 0xff, 0xff, 0xff]; // garbage after EOL is padding, not options
        Assert.True(TcpOptions.TryParse(area, out var options));
        Assert.Equal(default, options);
    }

    [Fact]
    public void Tcp_sack_blocks_are_counted()
    {
        byte[] area = [0x01, 0x01, 0x05, 0x12, .. new byte[16]]; // NOP NOP, SACK with two blocks
        Assert.True(TcpOptions.TryParse(area, out var options));
        Assert.Equal(2, options.SackBlocks);
    }

    [Fact]
    public void Icmp_echo_request()
    {
        Assert.True(EthernetFrame.TryRead(Vectors.VlanEchoRequest, out var ethernet));
        Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
        Assert.Equal(Ipv4Packet.ProtocolIcmp, ip.Protocol);
        Assert.True(IcmpMessage.TryRead(ip.Payload, out var icmp));
        Assert.True(icmp.IsEchoRequest);
        Assert.Equal(7, icmp.Identifier);
        Assert.Equal(1, icmp.SequenceNumber);
        Assert.Equal(0xe4e4, icmp.Checksum);
        Assert.True(icmp.IsChecksumValid);
        Assert.Equal(44, icmp.Payload.Length);
    }

    [Fact]
    public void Udp_header_and_zero_checksum()
    {
        byte[] datagram =
        [
            0x14, 0xe9,                                     // source port 5353
            0x14, 0xe9,                                     // destination port 5353
            0x00, 0x0b,                                     // length 11
            0x00, 0x00,                                     // checksum 0: not computed
            0x61, 0x62, 0x63,                               // "abc"
            0xee,                                           // a trailing byte beyond the length
        ];
        Assert.True(UdpDatagram.TryRead(datagram, out var udp));
        Assert.Equal(5353, udp.SourcePort);
        Assert.Equal(11, udp.Length);
        Assert.Equal(3, udp.Payload.Length);
        Assert.True(udp.IsChecksumValid(Ipv4Address.Any, Ipv4Address.Any));
    }
}
