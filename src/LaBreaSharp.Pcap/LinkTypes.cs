namespace LaBreaSharp.Pcap;

/// <summary>Names for the link types a capture is likely to have, so a message says "raw IP packets"
/// rather than "link type 12". The numbers are what libpcap reports (its DLT values, as on Linux): a
/// file's LINKTYPE_RAW (101) is DLT_RAW (12) by the time it is read.</summary>
public static class LinkTypes
{
    public const int Ethernet = 1;

    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "BSD loopback packets (LINKTYPE_NULL)",
        [Ethernet] = "Ethernet frames (LINKTYPE_ETHERNET)",
        [9] = "PPP frames (LINKTYPE_PPP)",
        [12] = "raw IP packets (LINKTYPE_RAW)",
        [14] = "raw IP packets (LINKTYPE_RAW)",
        [101] = "raw IP packets (LINKTYPE_RAW)",
        [105] = "IEEE 802.11 frames (LINKTYPE_IEEE802_11)",
        [108] = "OpenBSD loopback packets (LINKTYPE_LOOP)",
        [113] = "Linux cooked frames (LINKTYPE_LINUX_SLL, tcpdump -i any)",
        [127] = "IEEE 802.11 frames with radiotap headers (LINKTYPE_IEEE802_11_RADIOTAP)",
        [220] = "Linux USB packets (LINKTYPE_USB_LINUX_MMAPPED)",
        [228] = "raw IPv4 packets (LINKTYPE_IPV4)",
        [229] = "raw IPv6 packets (LINKTYPE_IPV6)",
        [253] = "Linux netlink messages (LINKTYPE_NETLINK)",
        [276] = "Linux cooked frames (LINKTYPE_LINUX_SLL2, tcpdump -i any)",
    };

    /// <summary>What a capture of <paramref name="linkType"/> holds, e.g. "raw IP packets (LINKTYPE_RAW)".</summary>
    public static string Describe(int linkType) =>
        Names.TryGetValue(linkType, out var name) ? name : $"frames of link type {linkType}, which this program has no name for";
}
