using System.Buffers.Binary;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>An Ethernet II frame with zero, one or two VLAN tags, read in place.</summary>
public readonly ref struct EthernetFrame
{
    public const int HeaderLength = 14;
    private const int DestinationOffset = 0;
    private const int SourceOffset = 6;
    private const int TypeOffset = 12;

    private readonly ReadOnlySpan<byte> _frame;

    private EthernetFrame(ReadOnlySpan<byte> frame, VlanTags tags, ushort etherType, int payloadOffset)
    {
        _frame = frame;
        Tags = tags;
        EtherType = etherType;
        PayloadOffset = payloadOffset;
    }

    public MacAddress Destination => MacAddress.Read(_frame.Slice(DestinationOffset));
    public MacAddress Source => MacAddress.Read(_frame.Slice(SourceOffset));
    public VlanTags Tags { get; }
    /// <summary>The EtherType after the tags: what the payload is.</summary>
    public ushort EtherType { get; }
    public int PayloadOffset { get; }
    /// <summary>Everything after the header, Ethernet padding included (the IPv4 total length says where the packet ends).</summary>
    public ReadOnlySpan<byte> Payload => _frame.Slice(PayloadOffset);

    public static bool TryRead(ReadOnlySpan<byte> frame, out EthernetFrame ethernet) => Read(frame, out ethernet) == PacketError.None;

    public static PacketError Read(ReadOnlySpan<byte> frame, out EthernetFrame ethernet)
    {
        ethernet = default;
        if (frame.Length < HeaderLength)
            return PacketError.Truncated;
        int offset = TypeOffset;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
        byte count = 0;
        ushort outerTpid = 0, outerTci = 0, innerTpid = 0, innerTci = 0;
        while (Packets.EtherType.IsTag(type))
        {
            if (count == VlanTags.MaxTags)
                return PacketError.Unsupported;
            if (frame.Length < offset + VlanTags.TagLength + 2)
                return PacketError.Truncated;
            ushort tci = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 2));
            if (count == 0) { outerTpid = type; outerTci = tci; }
            else { innerTpid = type; innerTci = tci; }
            count++;
            offset += VlanTags.TagLength;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
        }
        if (type < 0x0600)
            return PacketError.Unsupported; // an 802.3 length field, not Ethernet II
        ethernet = new EthernetFrame(frame, new VlanTags(count, outerTpid, outerTci, innerTpid, innerTci), type, offset + 2);
        return PacketError.None;
    }

    /// <summary>Writes the header (with <paramref name="tags"/>) and returns its length.</summary>
    public static int Write(Span<byte> destination, MacAddress to, MacAddress from, VlanTags tags, ushort etherType)
    {
        to.Write(destination.Slice(DestinationOffset));
        from.Write(destination.Slice(SourceOffset));
        int offset = TypeOffset;
        if (tags.Count > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset), tags.OuterTpid);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset + 2), tags.OuterTci);
            offset += VlanTags.TagLength;
        }
        if (tags.Count > 1)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset), tags.InnerTpid);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset + 2), tags.InnerTci);
            offset += VlanTags.TagLength;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset), etherType);
        return offset + 2;
    }
}
