using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of
/// the data taken as 16-bit big-endian words. Summing 32-bit words into a 64-bit accumulator and
/// folding at the end gives the same result (RFC 1071 §2(C), since 2^16 ≡ 1 mod 2^16−1) with far
/// fewer additions.</summary>
public static class Checksum
{
    /// <summary>Adds <paramref name="data"/> to a running, unfolded sum. An odd final byte is
    /// padded with a zero byte on the right, as the RFC says; so only the last chunk of a
    /// multi-part sum may have odd length.
    ///
    /// The data is summed eight bytes at a time in the machine's own byte order and the folded
    /// result swapped once at the end: the sum is independent of byte order up to that one swap
    /// (RFC 1071 §2(B)). Chunks start at even offsets, so each byte keeps its half of a word.</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        ulong native = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            native += (uint)word;
            native += word >> 32;
        }
        if (i + 4 <= length)
        {
            native += Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i));
            i += 4;
        }
        if (i + 2 <= length)
        {
            native += Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, i));
            i += 2;
        }
        if (i < length)
        {
            // The pad byte is the word's low-order half in network order: where the byte sits in memory.
            byte last = Unsafe.Add(ref start, i);
            native += BitConverter.IsLittleEndian ? last : (ulong)last << 8;
        }
        ushort folded = Fold(native);
        return sum + (BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(folded) : folded);
    }

    /// <summary>The sum of the IPv4 pseudo-header that TCP, UDP (RFC 793 §3.1, RFC 768) prepend.</summary>
    public static ulong PseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, int length) =>
        (ulong)source.Value + destination.Value + protocol + (uint)length;

    /// <summary>What a sender that leaves the checksum to its NIC (CHECKSUM_PARTIAL: veth, tap, virtio,
    /// a bridge beside VMs) puts in a TCP or UDP checksum field: the pseudo-header's sum, folded and
    /// not complemented, for the NIC to add the segment to. Captured before any NIC, it stays so.</summary>
    public static ushort PartialTransport(Ipv4Address source, Ipv4Address destination, byte protocol, int length) =>
        Fold(PseudoHeader(source, destination, protocol, length));

    /// <summary>Folds a running sum to 16 bits and complements it: the value to put in a header.</summary>
    public static ushort Finish(ulong sum) => (ushort)~Fold(sum);

    /// <summary>Folds a sum to 16 bits with end-around carries (RFC 1071 §4.1).</summary>
    private static ushort Fold(ulong sum)
    {
        while ((sum >> 16) != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
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
