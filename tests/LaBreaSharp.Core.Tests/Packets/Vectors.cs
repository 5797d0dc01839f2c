namespace LaBreaSharp.Core.Tests.Packets;

/// <summary>Frames recorded with tcpdump between two network namespaces (pcaps/curl-http.pcap and
/// pcaps/vlan-tagged.pcap, see pcaps/README.md), written out field by field. Their checksums were
/// computed by the Linux kernel (offload off) or by scapy, not by this project.</summary>
internal static class Vectors
{
    /// <summary>curl's SYN: 192.0.2.2:38178 → 192.0.2.100:80.</summary>
    public static readonly byte[] CurlSyn =
    [
        0x02, 0x00, 0x00, 0x00, 0x02, 0x64,             // Ethernet destination 02:00:00:00:02:64
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // Ethernet source 02:00:00:00:02:02
        0x08, 0x00,                                     // EtherType IPv4
        0x45,                                           // version 4, IHL 5 (20 bytes)
        0x00,                                           // TOS
        0x00, 0x3c,                                     // total length 60
        0x8d, 0xd3,                                     // identification 0x8dd3
        0x40, 0x00,                                     // flags DF, fragment offset 0
        0x40,                                           // TTL 64
        0x06,                                           // protocol TCP
        0x28, 0x82,                                     // header checksum 0x2882
        0xc0, 0x00, 0x02, 0x02,                         // source 192.0.2.2
        0xc0, 0x00, 0x02, 0x64,                         // destination 192.0.2.100
        0x95, 0x22,                                     // source port 38178
        0x00, 0x50,                                     // destination port 80
        0xeb, 0x1c, 0x75, 0x32,                         // sequence 3944510770
        0x00, 0x00, 0x00, 0x00,                         // acknowledgment 0
        0xa0,                                           // data offset 10 (40 bytes)
        0x02,                                           // flags SYN
        0xfa, 0xf0,                                     // window 64240
        0x8d, 0x38,                                     // checksum 0x8d38
        0x00, 0x00,                                     // urgent pointer
        0x02, 0x04, 0x05, 0xb4,                         // MSS 1460
        0x04, 0x02,                                     // SACK permitted
        0x08, 0x0a, 0x1a, 0x41, 0x2b, 0x6a,             // timestamps: value 440478570
        0x00, 0x00, 0x00, 0x00,                         //   echo 0
        0x01,                                           // NOP
        0x03, 0x03, 0x0a,                               // window scale 10
    ];

    /// <summary>The server's SYN-ACK to <see cref="CurlSyn"/>.</summary>
    public static readonly byte[] ServerSynAck =
    [
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // Ethernet destination 02:00:00:00:02:02
        0x02, 0x00, 0x00, 0x00, 0x02, 0x64,             // Ethernet source 02:00:00:00:02:64
        0x08, 0x00,                                     // EtherType IPv4
        0x45, 0x00, 0x00, 0x3c,                         // version 4, IHL 5, TOS 0, total length 60
        0x00, 0x00, 0x40, 0x00,                         // identification 0, DF
        0x40, 0x06, 0xb6, 0x55,                         // TTL 64, TCP, header checksum 0xb655
        0xc0, 0x00, 0x02, 0x64,                         // source 192.0.2.100
        0xc0, 0x00, 0x02, 0x02,                         // destination 192.0.2.2
        0x00, 0x50, 0x95, 0x22,                         // ports 80 → 38178
        0x8b, 0xc6, 0x2d, 0x8f,                         // sequence 2345020815
        0xeb, 0x1c, 0x75, 0x33,                         // acknowledgment 3944510771
        0xa0, 0x12,                                     // data offset 10, flags SYN|ACK
        0xfe, 0x88,                                     // window 65160
        0xac, 0x81,                                     // checksum 0xac81
        0x00, 0x00,                                     // urgent pointer
        0x02, 0x04, 0x05, 0xb4,                         // MSS 1460
        0x04, 0x02,                                     // SACK permitted
        0x08, 0x0a, 0xa4, 0x5f, 0x7f, 0x58,             // timestamps: value 2757721944
        0x1a, 0x41, 0x2b, 0x6a,                         //   echo 440478570
        0x01,                                           // NOP
        0x03, 0x03, 0x0a,                               // window scale 10
    ];

    /// <summary>"Who has 192.0.2.100? Tell 192.0.2.2", broadcast.</summary>
    public static readonly byte[] ArpRequest =
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff,             // Ethernet destination broadcast
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // Ethernet source
        0x08, 0x06,                                     // EtherType ARP
        0x00, 0x01,                                     // hardware type Ethernet
        0x08, 0x00,                                     // protocol type IPv4
        0x06, 0x04,                                     // hardware length 6, protocol length 4
        0x00, 0x01,                                     // operation request
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // sender MAC
        0xc0, 0x00, 0x02, 0x02,                         // sender IP 192.0.2.2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             // target MAC (unknown)
        0xc0, 0x00, 0x02, 0x64,                         // target IP 192.0.2.100
    ];

    /// <summary>"192.0.2.100 is at 02:00:00:00:02:64", unicast back to the asker.</summary>
    public static readonly byte[] ArpReply =
    [
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // Ethernet destination
        0x02, 0x00, 0x00, 0x00, 0x02, 0x64,             // Ethernet source
        0x08, 0x06,                                     // EtherType ARP
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04,             // Ethernet/IPv4, lengths 6 and 4
        0x00, 0x02,                                     // operation reply
        0x02, 0x00, 0x00, 0x00, 0x02, 0x64,             // sender MAC
        0xc0, 0x00, 0x02, 0x64,                         // sender IP 192.0.2.100
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // target MAC
        0xc0, 0x00, 0x02, 0x02,                         // target IP 192.0.2.2
    ];

    /// <summary>An ARP request under 802.1Q tag 100 (crafted with scapy, recorded by tcpdump).</summary>
    public static readonly byte[] VlanArpRequest =
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff,             // Ethernet destination broadcast
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // Ethernet source
        0x81, 0x00,                                     // TPID 802.1Q
        0x00, 0x64,                                     // TCI: priority 0, VLAN 100
        0x08, 0x06,                                     // EtherType ARP
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04,             // Ethernet/IPv4, lengths 6 and 4
        0x00, 0x01,                                     // operation request
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // sender MAC
        0xc0, 0x00, 0x02, 0x82,                         // sender IP 192.0.2.130
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             // target MAC
        0xc0, 0x00, 0x02, 0x8c,                         // target IP 192.0.2.140
    ];

    /// <summary>An ICMP echo request under 802.1Q tag 100, priority 3.</summary>
    public static readonly byte[] VlanEchoRequest =
    [
        0x02, 0x00, 0x00, 0x00, 0x02, 0x64,             // Ethernet destination
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // Ethernet source
        0x81, 0x00,                                     // TPID 802.1Q
        0x60, 0x64,                                     // TCI: priority 3, VLAN 100
        0x08, 0x00,                                     // EtherType IPv4
        0x45, 0x00, 0x00, 0x48,                         // version 4, IHL 5, TOS 0, total length 72
        0x10, 0x92, 0x00, 0x00,                         // identification 4242, no flags
        0x40, 0x01, 0xe5, 0x14,                         // TTL 64, ICMP, header checksum 0xe514
        0xc0, 0x00, 0x02, 0x82,                         // source 192.0.2.130
        0xc0, 0x00, 0x02, 0x8c,                         // destination 192.0.2.140
        0x08, 0x00,                                     // type 8 echo request, code 0
        0xe4, 0xe4,                                     // checksum 0xe4e4
        0x00, 0x07, 0x00, 0x01,                         // identifier 7, sequence 1
        .."labreasharp"u8, .."labreasharp"u8,           // payload: "labreasharp" four times
        .."labreasharp"u8, .."labreasharp"u8,
    ];

    /// <summary>A SYN under an 802.1ad service tag 300 carrying an 802.1Q tag 200.</summary>
    public static readonly byte[] QinQSyn =
    [
        0x02, 0x00, 0x00, 0x00, 0x02, 0x64,             // Ethernet destination
        0x02, 0x00, 0x00, 0x00, 0x02, 0x02,             // Ethernet source
        0x88, 0xa8, 0x01, 0x2c,                         // TPID 802.1ad, VLAN 300
        0x81, 0x00, 0x00, 0xc8,                         // TPID 802.1Q, VLAN 200
        0x08, 0x00,                                     // EtherType IPv4
        0x45, 0x00, 0x00, 0x3c,                         // version 4, IHL 5, TOS 0, total length 60
        0x10, 0xf7, 0x00, 0x00,                         // identification 4343, no flags
        0x40, 0x06, 0xe4, 0x3a,                         // TTL 64, TCP, header checksum 0xe43a
        0xc0, 0x00, 0x02, 0xc2,                         // source 192.0.2.194
        0xc0, 0x00, 0x02, 0xc8,                         // destination 192.0.2.200
        0x9c, 0x40, 0x00, 0x50,                         // ports 40000 → 80
        0x00, 0x00, 0x00, 0x01,                         // sequence 1
        0x00, 0x00, 0x00, 0x00,                         // acknowledgment 0
        0xa0, 0x02,                                     // data offset 10, SYN
        0xfa, 0xf0,                                     // window 64240
        0x2a, 0xf2,                                     // checksum 0x2af2
        0x00, 0x00,                                     // urgent pointer
        0x02, 0x04, 0x05, 0xb4,                         // MSS 1460
        0x04, 0x02,                                     // SACK permitted
        0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,             // timestamps: value 1
        0x00, 0x00, 0x00, 0x00,                         //   echo 0
        0x01,                                           // NOP
        0x03, 0x03, 0x07,                               // window scale 7
    ];

    /// <summary>The options area of <see cref="CurlSyn"/> on its own.</summary>
    public static ReadOnlySpan<byte> CurlSynOptions => CurlSyn.AsSpan(54, 20);

    public static IEnumerable<object[]> AllFrames() =>
    [
        [nameof(CurlSyn), CurlSyn], [nameof(ServerSynAck), ServerSynAck], [nameof(ArpRequest), ArpRequest],
        [nameof(ArpReply), ArpReply], [nameof(VlanArpRequest), VlanArpRequest], [nameof(VlanEchoRequest), VlanEchoRequest],
        [nameof(QinQSyn), QinQSyn],
    ];
}
