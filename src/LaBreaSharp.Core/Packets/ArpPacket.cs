using System.Buffers.Binary;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Packets;

/// <summary>An ARP packet for Ethernet hardware and IPv4 protocol addresses (RFC 826), read in place.
/// Other hardware or protocol types are <see cref="PacketError.Unsupported"/>.</summary>
public readonly ref struct ArpPacket
{
    public const int Length = 28;
    public const ushort OperationRequest = 1;
    public const ushort OperationReply = 2;

    private const int HardwareTypeOffset = 0;
    private const int ProtocolTypeOffset = 2;
    private const int HardwareLengthOffset = 4;
    private const int ProtocolLengthOffset = 5;
    private const int OperationOffset = 6;
    private const int SenderMacOffset = 8;
    private const int SenderIpOffset = 14;
    private const int TargetMacOffset = 18;
    private const int TargetIpOffset = 24;
    private const ushort HardwareEthernet = 1;

    private readonly ReadOnlySpan<byte> _packet;

    private ArpPacket(ReadOnlySpan<byte> packet) => _packet = packet;

    public ushort Operation => BinaryPrimitives.ReadUInt16BigEndian(_packet.Slice(OperationOffset));
    public MacAddress SenderMac => MacAddress.Read(_packet.Slice(SenderMacOffset));
    public Ipv4Address SenderIp => Ipv4Address.Read(_packet.Slice(SenderIpOffset));
    public MacAddress TargetMac => MacAddress.Read(_packet.Slice(TargetMacOffset));
    public Ipv4Address TargetIp => Ipv4Address.Read(_packet.Slice(TargetIpOffset));

    public bool IsRequest => Operation == OperationRequest;
    public bool IsReply => Operation == OperationReply;
    /// <summary>A host announcing its own address: sender and target IP the same (RFC 5227 §3).</summary>
    public bool IsGratuitous => SenderIp == TargetIp;
    /// <summary>An RFC 5227 probe: "who has X" from 0.0.0.0, asked before taking X.</summary>
    public bool IsProbe => IsRequest && SenderIp.Value == 0;

    public static bool TryRead(ReadOnlySpan<byte> packet, out ArpPacket arp) => Read(packet, out arp) == PacketError.None;

    public static PacketError Read(ReadOnlySpan<byte> packet, out ArpPacket arp)
    {
        arp = default;
        if (packet.Length < Length)
            return PacketError.Truncated;
        if (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(HardwareTypeOffset)) != HardwareEthernet ||
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(ProtocolTypeOffset)) != EtherType.Ipv4 ||
            packet[HardwareLengthOffset] != MacAddress.Length ||
            packet[ProtocolLengthOffset] != Ipv4Address.Length)
            return PacketError.Unsupported;
        arp = new ArpPacket(packet.Slice(0, Length));
        return PacketError.None;
    }

    public static int Write(Span<byte> destination, ushort operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(HardwareTypeOffset), HardwareEthernet);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(ProtocolTypeOffset), EtherType.Ipv4);
        destination[HardwareLengthOffset] = MacAddress.Length;
        destination[ProtocolLengthOffset] = Ipv4Address.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(OperationOffset), operation);
        senderMac.Write(destination.Slice(SenderMacOffset));
        senderIp.Write(destination.Slice(SenderIpOffset));
        targetMac.Write(destination.Slice(TargetMacOffset));
        targetIp.Write(destination.Slice(TargetIpOffset));
        return Length;
    }
}
