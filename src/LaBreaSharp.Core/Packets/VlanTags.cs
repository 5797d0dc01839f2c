namespace LaBreaSharp.Core.Packets;

/// <summary>Up to two 802.1Q/802.1ad tags, outermost first, each the TPID and the 16-bit TCI
/// (priority, DEI, VLAN id). A reply carries the request's tags back unchanged.</summary>
public readonly record struct VlanTags(byte Count, ushort OuterTpid, ushort OuterTci, ushort InnerTpid, ushort InnerTci)
{
    public const int TagLength = 4;
    public const int MaxTags = 2;

    public static VlanTags None => default;

    public static VlanTags Single(ushort vlanId, ushort tpid = EtherType.Vlan) => new(1, tpid, vlanId, 0, 0);

    public static VlanTags Double(ushort outerVlanId, ushort innerVlanId) =>
        new(2, EtherType.QinQ, outerVlanId, EtherType.Vlan, innerVlanId);

    public int Length => Count * TagLength;

    public ushort OuterVlanId => (ushort)(OuterTci & 0x0FFF);
    public ushort InnerVlanId => (ushort)(InnerTci & 0x0FFF);
}
