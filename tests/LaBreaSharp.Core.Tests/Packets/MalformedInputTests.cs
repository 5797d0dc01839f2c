using System.Buffers.Binary;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tests.Packets;

/// <summary>Readers never throw on wire data; every lie a header can tell makes them return false.</summary>
public class MalformedInputTests
{
    /// <summary>Parses a frame down to its last layer as the tarpit would; the first error, or None.</summary>
    internal static PacketError ParseAll(ReadOnlySpan<byte> frame)
    {
        var error = EthernetFrame.Read(frame, out var ethernet);
        if (error != PacketError.None)
            return error;
        if (ethernet.EtherType == EtherType.Arp)
            return ArpPacket.Read(ethernet.Payload, out _);
        if (ethernet.EtherType != EtherType.Ipv4)
            return PacketError.None;
        error = Ipv4Packet.Read(ethernet.Payload, out var ip);
        if (error != PacketError.None)
            return error;
        switch (ip.Protocol)
        {
            case Ipv4Packet.ProtocolTcp:
                error = TcpSegment.Read(ip.Payload, out var tcp);
                if (error != PacketError.None)
                    return error;
                return tcp.TryGetOptions(out _) ? PacketError.None : PacketError.BadOptions;
            case Ipv4Packet.ProtocolUdp:
                return UdpDatagram.Read(ip.Payload, out _);
            case Ipv4Packet.ProtocolIcmp:
                return IcmpMessage.Read(ip.Payload, out _);
            default:
                return PacketError.None;
        }
    }

    public static IEnumerable<object[]> Frames() => Vectors.AllFrames();

    [Theory]
    [MemberData(nameof(Frames))]
    public void The_whole_frame_parses(string name, byte[] frame)
    {
        Assert.True(ParseAll(frame) == PacketError.None, name);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Every_truncation_is_refused(string name, byte[] frame)
    {
        for (int length = 0; length < frame.Length; length++)
        {
            var error = ParseAll(frame.AsSpan(0, length));
            Assert.True(error != PacketError.None, $"{name} cut to {length} bytes parsed as whole");
        }
    }

    // Offsets into Vectors.CurlSyn: IPv4 starts at 14, TCP at 34.
    public static IEnumerable<object[]> LyingFields()
    {
        for (int ihl = 0; ihl < 5; ihl++)
            yield return ["IHL " + ihl, 14, (byte)(0x40 | ihl), PacketError.BadHeaderLength];
        yield return ["IHL 15 swallows the TCP header", 14, (byte)0x4f, PacketError.Truncated];
        yield return ["IHL 14 leaves 4 bytes of TCP", 14, (byte)0x4e, PacketError.Truncated];
        yield return ["IP version 6", 14, (byte)0x65, PacketError.Unsupported];
        yield return ["IP version 0", 14, (byte)0x05, PacketError.Unsupported];
        for (int offset = 0; offset < 5; offset++)
            yield return ["TCP data offset " + offset, 46, (byte)(offset << 4), PacketError.BadHeaderLength];
        yield return ["TCP data offset 11 (44 bytes of 40)", 46, (byte)0xb0, PacketError.BadHeaderLength];
        yield return ["TCP data offset 15", 46, (byte)0xf0, PacketError.BadHeaderLength];
        yield return ["MSS option length 0", 55, (byte)0, PacketError.BadOptions];
        yield return ["MSS option length 1", 55, (byte)1, PacketError.BadOptions];
        yield return ["MSS option length 3", 55, (byte)3, PacketError.BadOptions];
        yield return ["MSS option length past the area", 55, (byte)40, PacketError.BadOptions];
        yield return ["SACK-permitted length 3", 59, (byte)3, PacketError.BadOptions];
        yield return ["timestamps length 9", 61, (byte)9, PacketError.BadOptions];
        yield return ["window scale length 4", 72, (byte)4, PacketError.BadOptions];
    }

    [Theory]
    [MemberData(nameof(LyingFields))]
    public void A_lying_byte_is_refused(string what, int offset, byte value, PacketError expected)
    {
        var frame = (byte[])Vectors.CurlSyn.Clone();
        frame[offset] = value;
        Assert.True(expected == ParseAll(frame), what);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(61)]
    [InlineData(65535)]
    public void An_ip_total_length_below_the_header_or_beyond_the_capture_is_refused(int totalLength)
    {
        var frame = (byte[])Vectors.CurlSyn.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)totalLength);
        Assert.Equal(PacketError.BadTotalLength, ParseAll(frame));
    }

    [Fact]
    public void A_last_option_without_its_length_byte_is_refused()
    {
        byte[] area = [0x01, 0x01, 0x01, 0x02]; // NOP NOP NOP, then MSS's kind with no room for its length
        Assert.False(TcpOptions.TryParse(area, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(13)]
    public void A_udp_length_below_8_or_beyond_the_data_is_refused(int length)
    {
        byte[] datagram = [0x00, 0x35, 0x00, 0x35, 0x00, (byte)length, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64];
        Assert.Equal(PacketError.BadTotalLength, UdpDatagram.Read(datagram, out _));
    }

    [Fact]
    public void An_arp_with_the_wrong_address_lengths_is_refused()
    {
        var frame = (byte[])Vectors.ArpRequest.Clone();
        frame[18] = 8; // hardware length 8
        Assert.Equal(PacketError.Unsupported, ParseAll(frame));
    }

    [Fact]
    public void An_802_3_length_field_is_not_ethernet_ii()
    {
        var frame = (byte[])Vectors.ArpRequest.Clone();
        frame[12] = 0x00; frame[13] = 0x26; // LLC frame of 38 bytes
        Assert.Equal(PacketError.Unsupported, ParseAll(frame));
    }

    [Fact]
    public void Random_bytes_and_random_mutations_never_throw()
    {
        var random = new Random(20261121);
        var buffer = new byte[128];
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            ParseAll(buffer.AsSpan(0, length));
        }
        foreach (var frameAndName in Vectors.AllFrames())
        {
            var original = (byte[])frameAndName[1];
            for (int i = 0; i < 5_000; i++)
            {
                var frame = (byte[])original.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                    frame[random.Next(frame.Length)] = (byte)random.Next(256);
                ParseAll(frame.AsSpan(0, random.Next(frame.Length + 1)));
            }
        }
    }
}
