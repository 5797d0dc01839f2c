using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tests.Packets;

/// <summary>The writers rebuild recorded frames byte for byte from their fields, so every
/// checksum they compute matches the one Linux or scapy put on the wire.</summary>
public class WriterRoundTripTests
{
    private static readonly MacAddress Client = MacAddress.Parse("02:00:00:00:02:02");
    private static readonly MacAddress Server = MacAddress.Parse("02:00:00:00:02:64");

    [Fact]
    public void Tcp_syn_with_options_is_rebuilt_exactly()
    {
        var frame = new byte[128];
        int length = FrameWriter.WriteTcp(frame, new LinkAddressing(Server, Client, VlanTags.None),
            Ipv4Address.Parse("192.0.2.2"), Ipv4Address.Parse("192.0.2.100"), identification: 0x8dd3, timeToLive: 64,
            sourcePort: 38178, destinationPort: 80, sequence: 3944510770, acknowledgment: 0, TcpFlags.Syn, window: 64240,
            options: Vectors.CurlSynOptions, dontFragment: true);
        Assert.Equal(Vectors.CurlSyn, frame.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Tcp_synack_is_rebuilt_exactly()
    {
        var frame = new byte[128];
        int length = FrameWriter.WriteTcp(frame, new LinkAddressing(Client, Server, VlanTags.None),
            Ipv4Address.Parse("192.0.2.100"), Ipv4Address.Parse("192.0.2.2"), 0, 64,
            80, 38178, 2345020815, 3944510771, TcpFlags.SynAck, 65160,
            options: Vectors.ServerSynAck.AsSpan(54, 20), dontFragment: true);
        Assert.Equal(Vectors.ServerSynAck, frame.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Tcp_in_qinq_is_rebuilt_exactly()
    {
        var frame = new byte[128];
        var tags = new VlanTags(2, EtherType.QinQ, 300, EtherType.Vlan, 200);
        int length = FrameWriter.WriteTcp(frame, new LinkAddressing(Server, Client, tags),
            Ipv4Address.Parse("192.0.2.194"), Ipv4Address.Parse("192.0.2.200"), 4343, 64,
            40000, 80, 1, 0, TcpFlags.Syn, 64240, options: Vectors.QinQSyn.AsSpan(62, 20));
        Assert.Equal(Vectors.QinQSyn, frame.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Arp_request_and_reply_are_rebuilt_exactly()
    {
        var frame = new byte[64];
        int length = FrameWriter.WriteArp(frame, new LinkAddressing(MacAddress.Broadcast, Client, VlanTags.None),
            ArpPacket.OperationRequest, Client, Ipv4Address.Parse("192.0.2.2"), MacAddress.Zero, Ipv4Address.Parse("192.0.2.100"));
        Assert.Equal(Vectors.ArpRequest, frame.AsSpan(0, length).ToArray());

        length = FrameWriter.WriteArp(frame, new LinkAddressing(Client, Server, VlanTags.None),
            ArpPacket.OperationReply, Server, Ipv4Address.Parse("192.0.2.100"), Client, Ipv4Address.Parse("192.0.2.2"));
        Assert.Equal(Vectors.ArpReply, frame.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Tagged_arp_is_rebuilt_exactly()
    {
        var frame = new byte[64];
        int length = FrameWriter.WriteArp(frame, new LinkAddressing(MacAddress.Broadcast, Client, VlanTags.Single(100)),
            ArpPacket.OperationRequest, Client, Ipv4Address.Parse("192.0.2.130"), MacAddress.Zero, Ipv4Address.Parse("192.0.2.140"));
        Assert.Equal(Vectors.VlanArpRequest, frame.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Icmp_echo_in_802_1Q_is_rebuilt_exactly()
    {
        var frame = new byte[128];
        int length = FrameWriter.WriteIcmpEcho(frame, new LinkAddressing(Server, Client, new VlanTags(1, EtherType.Vlan, 0x6064, 0, 0)),
            Ipv4Address.Parse("192.0.2.130"), Ipv4Address.Parse("192.0.2.140"), 4242, 64,
            IcmpMessage.TypeEchoRequest, 7, 1, Vectors.VlanEchoRequest.AsSpan(46));
        Assert.Equal(Vectors.VlanEchoRequest, frame.AsSpan(0, length).ToArray());
    }

    [Theory]
    [InlineData(TcpFlags.SynAck, 10, 0u, 0u)]
    [InlineData(TcpFlags.Ack, 0, 123456789u, 987654321u)]
    [InlineData(TcpFlags.RstAck, 0, uint.MaxValue, 1u)]
    public void Whatever_is_written_reads_back(TcpFlags flags, ushort window, uint sequence, uint acknowledgment)
    {
        var frame = new byte[128];
        var tags = VlanTags.Single(42);
        var link = new LinkAddressing(Client, Server, tags);
        var payload = "probe"u8;
        int length = FrameWriter.WriteTcp(frame, link, Ipv4Address.Parse("203.0.113.9"), Ipv4Address.Parse("198.51.100.7"),
            0xbeef, 64, 8080, 61000, sequence, acknowledgment, flags, window, payload: payload);

        Assert.True(EthernetFrame.TryRead(frame.AsSpan(0, length), out var ethernet));
        Assert.Equal(link, new LinkAddressing(ethernet.Destination, ethernet.Source, ethernet.Tags));
        Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
        Assert.True(ip.IsHeaderChecksumValid);
        Assert.Equal(0xbeef, ip.Identification);
        Assert.False(ip.DontFragment);
        Assert.True(TcpSegment.TryRead(ip.Payload, out var tcp));
        Assert.True(tcp.IsChecksumValid(ip.Source, ip.Destination));
        Assert.Equal((8080, 61000), (tcp.SourcePort, tcp.DestinationPort));
        Assert.Equal((sequence, acknowledgment, flags, window), (tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.Flags, tcp.Window));
        Assert.Equal(payload.ToArray(), tcp.Payload.ToArray());
    }

    [Fact]
    public void An_ipv4_payload_that_cannot_fit_the_total_length_field_is_refused()
    {
        var header = new byte[20];
        Assert.Equal(20, Ipv4Packet.Write(header, Ipv4Address.Any, Ipv4Address.Any, Ipv4Packet.ProtocolTcp, 65_515, 1, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4Packet.Write(header, Ipv4Address.Any, Ipv4Address.Any, Ipv4Packet.ProtocolTcp, 65_516, 1, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4Packet.Write(header, Ipv4Address.Any, Ipv4Address.Any, Ipv4Packet.ProtocolTcp, -1, 1, 64));
    }

    [Fact]
    public void Unpadded_tcp_options_are_refused()
    {
        var frame = new byte[128];
        Assert.Throws<ArgumentException>(() => TcpSegment.Write(frame, Ipv4Address.Any, Ipv4Address.Any, 1, 2, 3, 4,
            TcpFlags.Syn, 5, options: new byte[] { 0x02, 0x04, 0x05 }));
    }

    [Fact]
    public void Checksums_computed_from_the_fields_verify_for_random_headers_options_and_payloads()
    {
        // The writers sum the header words they write instead of reading them back; the readers
        // sum the bytes. Any field the arithmetic got wrong (a carry, a shift, a flag) fails here.
        var random = new Random(44);
        var frame = new byte[256];
        for (int round = 0; round < 20_000; round++)
        {
            var options = new byte[random.Next(0, 11) * 4];
            random.NextBytes(options);
            var payload = new byte[random.Next(0, 60)];
            random.NextBytes(payload);
            var source = new Ipv4Address((uint)random.NextInt64(0, 1L << 32));
            var target = new Ipv4Address((uint)random.NextInt64(0, 1L << 32));
            int length = FrameWriter.WriteTcp(frame, new LinkAddressing(Client, Server, default), source, target,
                (ushort)random.Next(65536), (byte)random.Next(256), (ushort)random.Next(65536), (ushort)random.Next(65536),
                (uint)random.NextInt64(0, 1L << 32), (uint)random.NextInt64(0, 1L << 32), (TcpFlags)random.Next(256),
                (ushort)random.Next(65536), options, payload, dontFragment: random.Next(2) == 0);
            Assert.True(EthernetFrame.TryRead(frame.AsSpan(0, length), out var ethernet));
            Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
            Assert.True(ip.IsHeaderChecksumValid, $"IPv4 header checksum, round {round}");
            Assert.True(TcpSegment.TryRead(ip.Payload, out var tcp));
            Assert.True(tcp.IsChecksumValid(source, target), $"TCP checksum, round {round}");
        }
    }
}
