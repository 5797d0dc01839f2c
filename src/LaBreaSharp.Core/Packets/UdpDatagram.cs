using System.Buffers.Binary;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>A UDP datagram (RFC 768), read in place. The tarpit never answers UDP; it is read so
/// that ordinary traffic is recognised as such rather than counted as malformed.</summary>
public readonly ref struct UdpDatagram
{
    public const int HeaderLength = 8;

    private readonly ReadOnlySpan<byte> _datagram; // exactly Length bytes

    private UdpDatagram(ReadOnlySpan<byte> datagram) => _datagram = datagram;

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_datagram);
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_datagram.Slice(2));
    public int Length => _datagram.Length;
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_datagram.Slice(6));
    public ReadOnlySpan<byte> Payload => _datagram.Slice(HeaderLength);

    /// <summary>A zero checksum means the sender did not compute one (RFC 768).</summary>
    public bool IsChecksumValid(Ipv4Address source, Ipv4Address destination) =>
        Checksum == 0 || Packets.Checksum.ComputeTransport(source, destination, Ipv4Packet.ProtocolUdp, _datagram) == 0;

    public static bool TryRead(ReadOnlySpan<byte> data, out UdpDatagram udp) => Read(data, out udp) == PacketError.None;

    public static PacketError Read(ReadOnlySpan<byte> data, out UdpDatagram udp)
    {
        udp = default;
        if (data.Length < HeaderLength)
            return PacketError.Truncated;
        int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(4));
        if (length < HeaderLength || length > data.Length)
            return PacketError.BadTotalLength;
        udp = new UdpDatagram(data.Slice(0, length));
        return PacketError.None;
    }
}
