using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>LaBrea's takeover rule on a virtual clock: a request asked twice by the same host,
/// at least --arp-timeout apart and within a minute, that nobody answered; then the tarpit's own
/// probe for the address, and the claim at the next request if that went unanswered.</summary>
public class ArpTakeoverTests
{
    private static void AssertArpReply(byte[] frame, Ipv4Address claimed, MacAddress to, Ipv4Address toIp)
    {
        Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
        Assert.Equal(to, ethernet.Destination);
        Assert.Equal(TarpitMac, ethernet.Source);
        Assert.True(ArpPacket.TryRead(ethernet.Payload, out var arp));
        Assert.True(arp.IsReply);
        Assert.Equal(TarpitMac, arp.SenderMac);
        Assert.Equal(claimed, arp.SenderIp);
        Assert.Equal(to, arp.TargetMac);
        Assert.Equal(toIp, arp.TargetIp);
    }

    [Fact]
    public void Asked_again_on_time_the_address_is_claimed_and_answered()
    {
        var h = new EngineHarness();
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(3);
        AssertProbe(h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused)), Unused);
        Assert.Empty(h.EventsOf(TarpitEventKind.Capture));
        h.Wait(0.5);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused)); // the probe may still be answered
        h.Wait(0.5);
        var reply = h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        AssertArpReply(reply, Unused, AttackerMac, Attacker);
        var capture = Assert.Single(h.EventsOf(TarpitEventKind.Capture));
        Assert.Equal(Unused, capture.Destination);
        Assert.Equal(Attacker, capture.Source);
        Assert.Equal((1, 1), (h.Engine.Counters.Claims, h.Engine.Counters.ArpProbes));
    }

    [Fact]
    public void Asked_again_too_early_nothing_is_claimed()
    {
        var h = new EngineHarness();
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(1);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(1.9);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(0.2); // 3.1 s after the first request: early requests did not restart the wait
        AssertProbe(h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused)), Unused);
    }

    [Fact]
    public void Once_claimed_every_request_is_answered_at_once_whoever_asks()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        var other = Ipv4Address.Parse("192.0.2.3");
        var otherMac = MacAddress.Parse("02:00:00:00:00:03");
        AssertArpReply(h.FeedExpectingOne(Frames.ArpRequest(otherMac, other, Unused)), Unused, otherMac, other);
        Assert.Single(h.EventsOf(TarpitEventKind.Capture));
    }

    [Fact]
    public void A_different_requester_starts_the_wait_over()
    {
        var h = new EngineHarness();
        var other = Ipv4Address.Parse("192.0.2.3");
        var otherMac = MacAddress.Parse("02:00:00:00:00:03");
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(3);
        h.FeedExpectingNone(Frames.ArpRequest(otherMac, other, Unused));
        h.Wait(2);
        h.FeedExpectingNone(Frames.ArpRequest(otherMac, other, Unused));
        h.Wait(1);
        AssertProbe(h.FeedExpectingOne(Frames.ArpRequest(otherMac, other, Unused)), Unused);
    }

    [Fact]
    public void A_first_request_older_than_a_minute_starts_the_wait_over()
    {
        var h = new EngineHarness();
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(61);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(3);
        AssertProbe(h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused)), Unused);
    }

    [Fact]
    public void Arp_timeout_is_configurable()
    {
        var h = new EngineHarness(DefaultConfiguration with { ArpTimeout = 10 * Second });
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(9);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(1);
        AssertProbe(h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused)), Unused);
    }

    [Fact]
    public void A_live_host_that_answers_its_arp_is_never_claimed()
    {
        var h = new EngineHarness();
        var live = Ipv4Address.Parse("192.0.2.50");
        var liveMac = MacAddress.Parse("02:00:00:00:00:50");
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, live));
        h.FeedExpectingNone(Frames.ArpReply(liveMac, live, AttackerMac, Attacker));
        h.Wait(3);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, live));
        h.Wait(3);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, live));
        Assert.Empty(h.EventsOf(TarpitEventKind.Capture));
    }

    [Fact]
    public void A_gratuitous_arp_gives_a_claimed_address_back_at_once_for_the_alive_hold()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        var newcomer = MacAddress.Parse("02:00:00:00:00:77");
        h.FeedExpectingNone(Frames.ArpRequest(newcomer, Unused, Unused)); // gratuitous: sender = target
        var release = Assert.Single(h.EventsOf(TarpitEventKind.Release));
        Assert.Equal(Unused, release.Destination);
        Assert.Equal(newcomer, release.Mac);
        Assert.Equal(TarpitEventReason.Conflict, release.Reason);
        Assert.False(h.Engine.Claims.IsClaimed(Unused));

        // Not claimed again while the hold lasts, even by the full rule...
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        h.Wait(3);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));
        // ...and claimable again once ten minutes pass without a word from it.
        h.Wait(600);
        h.Claim(Unused);
    }

    [Fact]
    public void Ip_traffic_from_a_claimed_address_with_another_mac_releases_it()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        var owner = MacAddress.Parse("02:00:00:00:00:77");
        h.FeedExpectingNone(Frames.Tcp(Unused, 40000, Attacker, 22, TcpFlags.Syn, 1, to: AttackerMac, from: owner));
        Assert.Single(h.EventsOf(TarpitEventKind.Release));
        h.FeedExpectingNone(Frames.Tcp(Attacker, 40001, Unused, 80, TcpFlags.Syn, 1)); // no longer ours
    }

    [Fact]
    public void An_rfc5227_probe_for_a_claimed_address_releases_it()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        h.FeedExpectingNone(Frames.ArpRequest(MacAddress.Parse("02:00:00:00:00:77"), Ipv4Address.Any, Unused));
        Assert.Single(h.EventsOf(TarpitEventKind.Release));
    }

    [Theory]
    [InlineData("192.0.2.1")]   // the host's own address
    [InlineData("192.0.2.0")]   // the network address
    [InlineData("192.0.2.255")] // the broadcast address
    [InlineData("192.0.2.20")]  // excluded
    [InlineData("198.51.100.9")] // outside every -n network
    public void Some_addresses_are_never_claimed(string address)
    {
        var h = new EngineHarness(DefaultConfiguration with { Excluded = AddressSet.Of(Cidr.Parse("192.0.2.16/28")) });
        var target = Ipv4Address.Parse(address);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, target));
        h.Wait(3);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, target));
        Assert.Empty(h.EventsOf(TarpitEventKind.Capture));
    }

    [Fact]
    public void Hard_capture_answers_at_once_and_still_yields_to_a_live_host_with_a_warning()
    {
        var config = DefaultConfiguration with { Networks = [], HardCapture = [Cidr.Parse("192.0.2.64/26")] };
        var h = new EngineHarness(config);
        AssertArpReply(h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused)), Unused, AttackerMac, Attacker);

        var owner = MacAddress.Parse("02:00:00:00:00:77");
        h.FeedExpectingNone(Frames.ArpReply(owner, Unused, AttackerMac, Attacker));
        var release = Assert.Single(h.EventsOf(TarpitEventKind.Release));
        Assert.Equal(TarpitEventReason.HardCaptureConflict, release.Reason);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));

        h.Wait(601);
        h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused));
    }

    [Fact]
    public void Arp_replies_carry_the_requests_vlan_tags()
    {
        var h = new EngineHarness();
        var tags = VlanTags.Double(300, 200);
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused, tags));
        h.Wait(3);
        var probe = h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused, tags));
        h.Wait(1);
        var reply = h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused, tags));
        foreach (var frame in new[] { probe, reply })
        {
            Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
            Assert.Equal(tags, ethernet.Tags);
        }
    }

    [Fact]
    public void The_tarpits_own_frames_are_never_taken_for_a_live_host()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        h.FeedExpectingNone(Frames.ArpReply(TarpitMac, Unused, AttackerMac, Attacker));
        Assert.Empty(h.EventsOf(TarpitEventKind.Release));
        Assert.True(h.Engine.Claims.IsClaimed(Unused));
    }

    /// <summary>Issue 9: a flood of spoofed sources inside -n space marked each one alive, and the
    /// claim rule's memory grew with every distinct source.</summary>
    [Fact]
    public void Spoofed_sources_inside_takeover_space_fill_the_claim_table_but_never_grow_it_or_evict_a_claim()
    {
        var h = new EngineHarness(DefaultConfiguration with { Networks = [Cidr.Parse("10.0.0.0/8"), Cidr.Parse("192.0.2.0/24")], ClaimTableSize = 4096 });
        h.Claim(Unused);
        var claims = h.Engine.Claims;
        for (uint i = 0; i < 100_000; i++)
        {
            var spoofed = new Ipv4Address(0x0A00_0000u + 1 + i * 97);
            h.Feed(Frames.Tcp(spoofed, 40000, Unused, 80, TcpFlags.Syn, i));
        }
        Assert.True(claims.Table.Count <= claims.Table.Capacity);
        Assert.Equal(4096, claims.Table.Capacity);
        Assert.True(claims.Table.Evictions >= 100_000 - 4096);
        Assert.Equal(0, claims.Table.ClaimsEvicted);
        Assert.True(claims.IsClaimed(Unused));
        Assert.Equal(TcpFlags.SynAck, Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, 40001, Unused, 80, TcpFlags.Syn, 1))).Flags);
    }

    [Fact]
    public void Waits_and_alive_marks_that_ran_out_are_forgotten_as_time_passes()
    {
        var h = new EngineHarness();
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused));                  // a wait
        h.FeedExpectingNone(Frames.ArpReply(MacAddress.Parse("02:00:00:00:00:50"), Ipv4Address.Parse("192.0.2.50"), AttackerMac, Attacker));
        Assert.Equal((1, 2), (h.Engine.Claims.PendingCount, h.Engine.Claims.AliveCount)); // .50 and the attacker spoke
        for (int s = 0; s < 620; s += 5)
        {
            h.Wait(5);
            h.Engine.Advance(h.Now);
        }
        Assert.Equal((0, 0, 0), (h.Engine.Claims.PendingCount, h.Engine.Claims.AliveCount, h.Engine.Claims.Table.Count));
    }
}
