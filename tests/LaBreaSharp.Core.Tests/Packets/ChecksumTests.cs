using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tests.Packets;

public class ChecksumTests
{
    [Fact]
    public void Rfc1071_worked_example()
    {
        // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2; the checksum is its complement.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal(0x220d, Checksum.Compute(data)); // ~0xddf2
    }

    [Fact]
    public void Odd_length_pads_the_last_byte_on_the_right()
    {
        byte[] odd = [0x12, 0x34, 0x56];
        byte[] padded = [0x12, 0x34, 0x56, 0x00];
        Assert.Equal(Checksum.Compute(padded), Checksum.Compute(odd));
        Assert.Equal(0x97cb, Checksum.Compute(odd)); // ~(0x1234 + 0x5600)
    }

    [Fact]
    public void Carries_fold_back_into_the_sum()
    {
        byte[] data = [0xff, 0xff, 0xff, 0xff, 0x00, 0x01];
        // 0xffff + 0xffff + 0x0001 = 0x1ffff → 0xffff + 1 = 0x10000 → 0x0001; complement 0xfffe.
        Assert.Equal(0xfffe, Checksum.Compute(data));
    }

    [Fact]
    public void Kernel_ip_header_checksum_of_a_recorded_syn_is_reproduced()
    {
        var header = Vectors.CurlSyn.AsSpan(14, 20).ToArray();
        Assert.True(Checksum.IsValid(header));
        header[10] = header[11] = 0;
        Assert.Equal(0x2882, Checksum.Compute(header));
    }

    [Fact]
    public void Kernel_tcp_checksum_of_a_recorded_syn_is_reproduced_with_the_pseudo_header()
    {
        var segment = Vectors.CurlSyn.AsSpan(34).ToArray();
        var source = Ipv4Address.Parse("192.0.2.2");
        var destination = Ipv4Address.Parse("192.0.2.100");
        Assert.Equal(0, Checksum.ComputeTransport(source, destination, Ipv4Packet.ProtocolTcp, segment));
        segment[16] = segment[17] = 0;
        Assert.Equal(0x8d38, Checksum.ComputeTransport(source, destination, Ipv4Packet.ProtocolTcp, segment));
    }

    [Fact]
    public void Summing_in_pieces_equals_summing_at_once_when_pieces_are_even()
    {
        var data = Vectors.ServerSynAck;
        ulong pieces = Checksum.Add(Checksum.Add(0, data.AsSpan(0, 22)), data.AsSpan(22));
        Assert.Equal(Checksum.Compute(data), Checksum.Finish(pieces));
    }

    [Fact]
    public void A_flipped_bit_is_detected()
    {
        var header = Vectors.CurlSyn.AsSpan(14, 20).ToArray();
        header[15] ^= 0x01;
        Assert.False(Checksum.IsValid(header));
    }

    /// <summary>RFC 1071 word by word, as the RFC writes it: the reference the fast sum must equal.</summary>
    private static ushort Reference(byte[] data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    [Fact]
    public void The_eight_byte_native_order_sum_equals_the_rfc_word_by_word_sum_for_every_length_and_split()
    {
        var random = new Random(21);
        for (int round = 0; round < 20_000; round++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            if (round % 7 == 0)
                Array.Fill(data, (byte)0xFF); // carries on every addition
            Assert.Equal(Reference(data), Checksum.Compute(data));
            int split = random.Next(0, data.Length / 2 + 1) * 2; // chunks start at even offsets
            Assert.Equal(Reference(data), Checksum.Finish(Checksum.Add(Checksum.Add(0, data.AsSpan(0, split)), data.AsSpan(split))));
        }
    }
}
