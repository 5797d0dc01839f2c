using System.Buffers.Binary;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of
/// the data taken as 16-bit big-endian words. Summing 32-bit words into a 64-bit accumulator and
/// folding at the end gives the same result (RFC 1071 §2(C), since 2^16 ≡ 1 mod 2^16−1) at a
/// quarter of the additions.</summary>
public static class Checksum
{
    /// <summary>Adds <paramref name="data"/> to a running, unfolded sum. An odd final byte is
    /// padded with a zero byte on the right, as the RFC says; so only the last chunk of a
    /// multi-part sum may have odd length.</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
            sum += BinaryPrimitives.ReadUInt32BigEndian(data.Slice(i));
        if (i + 2 <= data.Length)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i));
            i += 2;
        }
        if (i < data.Length)
            sum += (uint)data[i] << 8;
        return sum;
    }

    /// <summary>The sum of the IPv4 pseudo-header that TCP, UDP (RFC 793 §3.1, RFC 768) prepend.</summary>
    public static ulong PseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, int length) =>
        (ulong)source.Value + destination.Value + protocol + (uint)length;

    /// <summary>Folds a running sum to 16 bits and complements it: the value to put in a header.</summary>
    public static ushort Finish(ulong sum)
    {
        while ((sum >> 16) != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The checksum of one buffer.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>A header or segment that carries its own correct checksum sums to 0xFFFF, so this is 0.</summary>
    public static bool IsValid(ReadOnlySpan<byte> data) => Compute(data) == 0;

    /// <summary>The checksum of a TCP or UDP segment with its pseudo-header; 0 over a segment that
    /// already carries a correct checksum.</summary>
    public static ushort ComputeTransport(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> segment) =>
        Finish(Add(PseudoHeader(source, destination, protocol, segment.Length), segment));
}
