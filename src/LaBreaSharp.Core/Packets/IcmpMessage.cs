using System.Buffers.Binary;

namespace LaBreaSharp.Core.Packets;

/// <summary>An ICMP message (RFC 792), read in place; identifier and sequence are meaningful for
/// echo request and echo reply.</summary>
public readonly ref struct IcmpMessage
{
    public const int HeaderLength = 8;
    public const byte TypeEchoReply = 0;
    public const byte TypeEchoRequest = 8;

    private readonly ReadOnlySpan<byte> _message;

    private IcmpMessage(ReadOnlySpan<byte> message) => _message = message;

    public byte Type => _message[0];
    public byte Code => _message[1];
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(2));
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(4));
    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(6));
    public ReadOnlySpan<byte> Payload => _message.Slice(HeaderLength);
    public int Length => _message.Length;
    public bool IsEchoRequest => Type == TypeEchoRequest && Code == 0;
    public bool IsEchoReply => Type == TypeEchoReply && Code == 0;
    public bool IsChecksumValid => Packets.Checksum.IsValid(_message);

    public static bool TryRead(ReadOnlySpan<byte> data, out IcmpMessage icmp) => Read(data, out icmp) == PacketError.None;

    public static PacketError Read(ReadOnlySpan<byte> data, out IcmpMessage icmp)
    {
        icmp = default;
        if (data.Length < HeaderLength)
            return PacketError.Truncated;
        icmp = new IcmpMessage(data);
        return PacketError.None;
    }

    /// <summary>Writes an echo request or reply, checksum included, and returns its length.</summary>
    public static int WriteEcho(Span<byte> destination, byte type, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        destination[0] = type;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(6), sequence);
        payload.CopyTo(destination.Slice(HeaderLength));
        int length = HeaderLength + payload.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), Packets.Checksum.Compute(destination.Slice(0, length)));
        return length;
    }
}
