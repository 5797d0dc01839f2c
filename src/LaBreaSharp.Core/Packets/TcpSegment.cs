using System.Buffers.Binary;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>A TCP segment (RFC 9293 §3.1), read in place from an IPv4 payload.</summary>
public readonly ref struct TcpSegment
{
    public const int MinHeaderLength = 20;
    public const int MaxHeaderLength = 60;

    private const int SourcePortOffset = 0;
    private const int DestinationPortOffset = 2;
    private const int SequenceOffset = 4;
    private const int AcknowledgmentOffset = 8;
    private const int DataOffsetOffset = 12;
    private const int FlagsOffset = 13;
    private const int WindowOffset = 14;
    private const int ChecksumOffset = 16;
    private const int UrgentOffset = 18;

    private readonly ReadOnlySpan<byte> _segment;

    private TcpSegment(ReadOnlySpan<byte> segment, int headerLength)
    {
        _segment = segment;
        HeaderLength = headerLength;
    }

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_segment.Slice(SourcePortOffset));
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_segment.Slice(DestinationPortOffset));
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_segment.Slice(SequenceOffset));
    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_segment.Slice(AcknowledgmentOffset));
    public int HeaderLength { get; }
    public TcpFlags Flags => (TcpFlags)_segment[FlagsOffset];
    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_segment.Slice(WindowOffset));
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_segment.Slice(ChecksumOffset));
    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_segment.Slice(UrgentOffset));
    public ReadOnlySpan<byte> OptionsArea => _segment.Slice(MinHeaderLength, HeaderLength - MinHeaderLength);
    public ReadOnlySpan<byte> Payload => _segment.Slice(HeaderLength);
    public int Length => _segment.Length;

    public bool Has(TcpFlags flags) => (Flags & flags) == flags;

    public bool TryGetOptions(out TcpOptions options) => TcpOptions.TryParse(OptionsArea, out options);

    public bool IsChecksumValid(Ipv4Address source, Ipv4Address destination) =>
        Packets.Checksum.ComputeTransport(source, destination, Ipv4Packet.ProtocolTcp, _segment) == 0;

    /// <summary>Does the checksum field hold only the pseudo-header's sum, as a frame from a local
    /// sender with checksum offload does (<see cref="Packets.Checksum.PartialTransport"/>)?</summary>
    public bool HasPartialChecksum(Ipv4Address source, Ipv4Address destination) =>
        Checksum == Packets.Checksum.PartialTransport(source, destination, Ipv4Packet.ProtocolTcp, _segment.Length);

    public static bool TryRead(ReadOnlySpan<byte> segment, out TcpSegment tcp) => Read(segment, out tcp) == PacketError.None;

    public static PacketError Read(ReadOnlySpan<byte> segment, out TcpSegment tcp)
    {
        tcp = default;
        if (segment.Length < MinHeaderLength)
            return PacketError.Truncated;
        int headerLength = (segment[DataOffsetOffset] >> 4) * 4;
        if (headerLength < MinHeaderLength || headerLength > segment.Length)
            return PacketError.BadHeaderLength;
        tcp = new TcpSegment(segment, headerLength);
        return PacketError.None;
    }

    /// <summary>Writes a segment, checksum included, and returns its length. <paramref name="options"/>
    /// must already be padded to a multiple of 4 bytes (at most 40).</summary>
    public static int Write(Span<byte> destination, Ipv4Address source, Ipv4Address target,
        ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment,
        TcpFlags flags, ushort window, ReadOnlySpan<byte> options = default, ReadOnlySpan<byte> payload = default)
    {
        if (options.Length % 4 != 0 || options.Length > MaxHeaderLength - MinHeaderLength)
            throw new ArgumentException("TCP options must be padded to a multiple of 4 bytes, 40 at most", nameof(options));
        int headerLength = MinHeaderLength + options.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(SourcePortOffset), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(DestinationPortOffset), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(SequenceOffset), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(AcknowledgmentOffset), acknowledgment);
        destination[DataOffsetOffset] = (byte)((headerLength / 4) << 4);
        destination[FlagsOffset] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(WindowOffset), window);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(UrgentOffset), 0);
        options.CopyTo(destination.Slice(MinHeaderLength));
        payload.CopyTo(destination.Slice(headerLength));
        int length = headerLength + payload.Length;
        // The fixed header's words from the values in hand (no read-back); options and payload
        // from memory. Options are whole words, so the payload starts at an even offset.
        ulong sum = Packets.Checksum.PseudoHeader(source, target, Ipv4Packet.ProtocolTcp, length)
            + sourcePort + destinationPort + (ulong)sequence + acknowledgment
            + ((uint)(headerLength / 4) << 12 | (byte)flags) + window;
        sum = Packets.Checksum.Add(Packets.Checksum.Add(sum, options), payload);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(ChecksumOffset), Packets.Checksum.Finish(sum));
        return length;
    }
}
