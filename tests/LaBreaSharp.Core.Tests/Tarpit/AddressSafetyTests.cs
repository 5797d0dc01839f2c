using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>Issue 11's address safety: the tarpit asks before it claims, never claims what the
/// host knows is in use, and never answers (ARP or IP) a source that cannot be answered.</summary>
public class AddressSafetyTests
{
    private static readonly Ipv4Address Live = Ipv4Address.Parse("192.0.2.50");
    private static readonly MacAddress LiveMac = MacAddress.Parse("02:00:00:00:00:50");

    private sealed class FakeHost(ClaimRefusal answer, params string[] addresses) : IClaimCheck
    {
        public List<Ipv4Address> Asked { get; } = [];

        public ClaimRefusal Check(Ipv4Address address)
        {
            Asked.Add(address);
            return addresses.Contains(address.ToString()) ? answer : ClaimRefusal.None;
        }
    }

    /// <summary>The case adversarial testing found: a live host, silent for ten minutes and so
    /// forgotten, is asked for twice by a requester (even a spoofed one) whose answers it cannot
    /// see on a switch. The rule says claim; the live host answers the tarpit's own probe; no claim.</summary>
    [Fact]
    public void A_silent_live_host_answers_the_probe_and_is_not_claimed()
    {
        var h = new EngineHarness();
        var spoofed = Ipv4Address.Parse("192.0.2.99");
        var spoofedMac = MacAddress.Parse("02:00:00:00:00:99");
        h.FeedExpectingNone(Frames.ArpRequest(spoofedMac, spoofed, Live));
        h.Wait(3.5);
        AssertProbe(h.FeedExpectingOne(Frames.ArpRequest(spoofedMac, spoofed, Live)), Live);
        // Linux answers an RFC 5227 probe to the prober's MAC, with target IP 0.0.0.0.
        h.FeedExpectingNone(Frames.ArpReply(LiveMac, Live, TarpitMac, Ipv4Address.Any));
        h.Wait(1);
        h.FeedExpectingNone(Frames.ArpRequest(spoofedMac, spoofed, Live));
        h.Wait(3);
        h.FeedExpectingNone(Frames.ArpRequest(spoofedMac, spoofed, Live));
        Assert.Empty(h.EventsOf(TarpitEventKind.Capture));
        Assert.False(h.Engine.Claims.IsClaimed(Live));
        var refused = Assert.Single(h.EventsOf(TarpitEventKind.ClaimRefused));
        Assert.Equal((Live, LiveMac, TarpitEventReason.Answered), (refused.Destination, refused.Mac, refused.Reason));
        Assert.Equal(1, h.Engine.Counters.ClaimsRefused);
    }

    [Fact]
    public void Ip_traffic_from_the_address_while_the_probe_is_out_also_calls_the_claim_off()
    {
        var h = new EngineHarness();
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Live));
        h.Wait(3);
        h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Live));
        h.FeedExpectingNone(Frames.Tcp(Live, 22, Attacker, 40000, TcpFlags.Ack, 1, 1, to: AttackerMac, from: LiveMac));
        h.Wait(1);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Live));
        Assert.False(h.Engine.Claims.IsClaimed(Live));
    }

    [Theory]
    [InlineData(ClaimRefusal.Gateway, TarpitEventReason.Gateway)]
    [InlineData(ClaimRefusal.Neighbour, TarpitEventReason.Neighbour)]
    public void What_the_host_knows_in_use_is_never_probed_or_claimed(ClaimRefusal refusal, TarpitEventReason reason)
    {
        var host = new FakeHost(refusal, "192.0.2.50");
        var h = new EngineHarness(DefaultConfiguration with { ClaimCheck = host });
        for (int i = 0; i < 4; i++)
        {
            h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Live));
            h.Wait(3);
        }
        Assert.False(h.Engine.Claims.IsClaimed(Live));
        Assert.Equal([Live], host.Asked); // asked once, then held as alive
        var refused = Assert.Single(h.EventsOf(TarpitEventKind.ClaimRefused));
        Assert.Equal((Live, reason), (refused.Destination, refused.Reason));
        Assert.Equal(0, h.Engine.Counters.ArpProbes);
        // Another address is still claimed, after the host was asked about it too.
        h.Claim(Unused);
        Assert.Equal([Live, Unused], host.Asked);
    }

    [Fact]
    public void A_probe_wait_of_zero_claims_on_labreas_rule_alone()
    {
        var h = new EngineHarness(DefaultConfiguration with { ProbeWait = 0 });
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(3);
        var reply = h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        Assert.True(ArpPacket.TryRead(reply.AsSpan(EthernetFrame.HeaderLength), out var arp) && arp.IsReply);
        Assert.True(h.Engine.Claims.IsClaimed(Unused));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("192.0.2.0")]   // the subnet's network address
    [InlineData("192.0.2.255")] // its broadcast address
    [InlineData("0.1.2.3")]
    [InlineData("192.0.2.1")]   // the host's own address, from another MAC
    [InlineData("203.0.113.9")] // routed space
    public void Arp_requests_from_senders_no_packet_would_be_answered_for_are_not_answered(string sender)
    {
        var h = new EngineHarness(DefaultConfiguration with { Routed = [Cidr.Parse("203.0.113.0/24")] });
        h.Claim(Unused);
        long before = h.Engine.Counters.IgnoredSource;
        h.FeedExpectingNone(Frames.ArpRequest(MacAddress.Parse("02:00:00:00:00:33"), Ipv4Address.Parse(sender), Unused));
        Assert.Equal(before + 1, h.Engine.Counters.IgnoredSource);
        Assert.True(h.Engine.Claims.IsClaimed(Unused));
    }

    [Fact]
    public void An_arp_reply_never_goes_to_a_group_mac()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        var request = Frames.ArpRequest(AttackerMac, Attacker, Unused);
        MacAddress.Parse("01:00:5e:00:00:01").Write(request.AsSpan(EthernetFrame.HeaderLength + 8)); // the ARP sender MAC only
        h.FeedExpectingNone(request);
    }

    [Theory]
    [InlineData("192.0.2.0")]   // the interface subnet's network address
    [InlineData("192.0.2.128")] // the hard-captured prefix's network address
    [InlineData("192.0.2.255")] // both broadcasts
    public void A_network_address_as_source_gets_neither_synack_nor_echo_reply(string source)
    {
        var config = DefaultConfiguration with { Networks = [], HardCapture = [Cidr.Parse("192.0.2.128/25")], HostSubnet = Cidr.Parse("192.0.2.0/24") };
        var h = new EngineHarness(config);
        var target = Ipv4Address.Parse("192.0.2.210");
        var from = Ipv4Address.Parse(source);
        h.FeedExpectingNone(Frames.Tcp(from, 40000, target, 80, TcpFlags.Syn, 1));
        h.FeedExpectingNone(Frames.Echo(from, target, 7, 1, [1, 2, 3]));
        Assert.Equal(2, h.Engine.Counters.IgnoredSource);
        // The same probe from an ordinary address is answered.
        h.FeedExpectingOne(Frames.Tcp(Attacker, 40000, target, 80, TcpFlags.Syn, 1));
    }

    /// <summary>A local sender with checksum offload (veth, tap, a VM's virtio) hands over segments
    /// whose checksum field holds the pseudo-header's folded sum; they are whole and are answered.</summary>
    [Fact]
    public void A_segment_with_a_partial_checksum_is_answered_and_a_wrong_one_is_not()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        var syn = Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Syn, 1);
        int checksumAt = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + 16;
        int segmentLength = syn.Length - EthernetFrame.HeaderLength - Ipv4Packet.MinHeaderLength;
        ushort partial = Checksum.PartialTransport(Attacker, Unused, Ipv4Packet.ProtocolTcp, segmentLength);
        syn[checksumAt] = (byte)(partial >> 8);
        syn[checksumAt + 1] = (byte)partial;
        var reply = Reply.Read(h.FeedExpectingOne(syn));
        Assert.Equal(TcpFlags.SynAck, reply.Flags);
        Assert.True(reply.ChecksumsValid); // ours are always complete
        Assert.Equal((1, 0), (h.Engine.Counters.PartialChecksums, h.Engine.Counters.BadChecksums));

        syn[checksumAt + 1] ^= 0x01;
        h.FeedExpectingNone(syn);
        Assert.Equal((1, 1), (h.Engine.Counters.PartialChecksums, h.Engine.Counters.BadChecksums));
    }
}
