namespace LaBreaSharp.Core.Packets;

/// <summary>EtherType values this project reads or writes (IEEE 802 numbers).</summary>
public static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Vlan = 0x8100;      // IEEE 802.1Q customer tag
    public const ushort QinQ = 0x88A8;      // IEEE 802.1ad service tag
    public const ushort QinQLegacy = 0x9100; // pre-standard stacked tag, still seen on switches
    public const ushort Ipv6 = 0x86DD;

    public static bool IsTag(ushort type) => type is Vlan or QinQ or QinQLegacy;
}
