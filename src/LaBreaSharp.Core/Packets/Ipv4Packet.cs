using System.Buffers.Binary;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>An IPv4 packet (RFC 791), read in place. <see cref="Payload"/> ends where the total
/// length says, so Ethernet padding never leaks into TCP.</summary>
public readonly ref struct Ipv4Packet
{
    public const int MinHeaderLength = 20;
    public const byte ProtocolIcmp = 1;
    public const byte ProtocolTcp = 6;
    public const byte ProtocolUdp = 17;

    private const int VersionIhlOffset = 0;
    private const int TosOffset = 1;
    private const int TotalLengthOffset = 2;
    private const int IdentificationOffset = 4;
    private const int FlagsFragmentOffset = 6;
    private const int TtlOffset = 8;
    private const int ProtocolOffset = 9;
    private const int ChecksumOffset = 10;
    private const int SourceOffset = 12;
    private const int DestinationOffset = 16;
    private const ushort DontFragmentBit = 0x4000;
    private const ushort MoreFragmentsBit = 0x2000;
    private const ushort FragmentOffsetMask = 0x1FFF;

    private readonly ReadOnlySpan<byte> _packet; // exactly TotalLength bytes

    private Ipv4Packet(ReadOnlySpan<byte> packet, int headerLength)
    {
        _packet = packet;
        HeaderLength = headerLength;
    }

    public int HeaderLength { get; }
    public int TotalLength => _packet.Length;
    public bool HasOptions => HeaderLength > MinHeaderLength;
    public byte TypeOfService => _packet[TosOffset];
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_packet.Slice(IdentificationOffset));
    private ushort FlagsAndOffset => BinaryPrimitives.ReadUInt16BigEndian(_packet.Slice(FlagsFragmentOffset));
    public bool DontFragment => (FlagsAndOffset & DontFragmentBit) != 0;
    public bool MoreFragments => (FlagsAndOffset & MoreFragmentsBit) != 0;
    /// <summary>In bytes (the field counts 8-byte units).</summary>
    public int FragmentOffset => (FlagsAndOffset & FragmentOffsetMask) * 8;
    /// <summary>Any piece of a fragmented datagram, the first one included.</summary>
    public bool IsFragment => MoreFragments || FragmentOffset != 0;
    public byte TimeToLive => _packet[TtlOffset];
    public byte Protocol => _packet[ProtocolOffset];
    public ushort HeaderChecksum => BinaryPrimitives.ReadUInt16BigEndian(_packet.Slice(ChecksumOffset));
    public Ipv4Address Source => Ipv4Address.Read(_packet.Slice(SourceOffset));
    public Ipv4Address Destination => Ipv4Address.Read(_packet.Slice(DestinationOffset));
    public ReadOnlySpan<byte> Header => _packet.Slice(0, HeaderLength);
    public ReadOnlySpan<byte> Options => _packet.Slice(MinHeaderLength, HeaderLength - MinHeaderLength);
    public ReadOnlySpan<byte> Payload => _packet.Slice(HeaderLength);
    public bool IsHeaderChecksumValid => Checksum.IsValid(Header);

    public static bool TryRead(ReadOnlySpan<byte> data, out Ipv4Packet packet) => Read(data, out packet) == PacketError.None;

    public static PacketError Read(ReadOnlySpan<byte> data, out Ipv4Packet packet)
    {
        packet = default;
        if (data.Length < MinHeaderLength)
            return PacketError.Truncated;
        byte versionIhl = data[VersionIhlOffset];
        if (versionIhl >> 4 != 4)
            return PacketError.Unsupported;
        int headerLength = (versionIhl & 0x0F) * 4;
        if (headerLength < MinHeaderLength || headerLength > data.Length)
            return PacketError.BadHeaderLength;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(TotalLengthOffset));
        if (totalLength < headerLength || totalLength > data.Length)
            return PacketError.BadTotalLength;
        packet = new Ipv4Packet(data.Slice(0, totalLength), headerLength);
        return PacketError.None;
    }

    /// <summary>Writes a 20-byte header without options, checksum included, and returns its length.</summary>
    public static int Write(Span<byte> destination, Ipv4Address source, Ipv4Address target, byte protocol,
        int payloadLength, ushort identification, byte timeToLive, bool dontFragment = false)
    {
        if ((uint)payloadLength > ushort.MaxValue - MinHeaderLength)
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "an IPv4 packet holds at most 65,515 bytes of payload");
        destination[VersionIhlOffset] = 0x45;
        destination[TosOffset] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(TotalLengthOffset), (ushort)(MinHeaderLength + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(IdentificationOffset), identification);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(FlagsFragmentOffset), dontFragment ? DontFragmentBit : (ushort)0);
        destination[TtlOffset] = timeToLive;
        destination[ProtocolOffset] = protocol;
        source.Write(destination.Slice(SourceOffset));
        target.Write(destination.Slice(DestinationOffset));
        // The checksum from the values just written, without reading the header back. A 32-bit
        // value adds as its two 16-bit words would, once folded (2^16 ≡ 1 mod 2^16−1).
        ulong sum = 0x4500u + (uint)(MinHeaderLength + payloadLength) + identification
            + (dontFragment ? DontFragmentBit : 0u) + ((uint)timeToLive << 8 | protocol)
            + (ulong)source.Value + target.Value;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(ChecksumOffset), Checksum.Finish(sum));
        return MinHeaderLength;
    }
}
