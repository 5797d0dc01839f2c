using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>Replaying a capture recorded elsewhere: its frames went to the recorded host's MAC.
/// A stand-in answers hard-captured and routed space at that MAC; live, the MAC check stays.
/// And every frame left unanswered is counted under its reason.</summary>
public class StandInTests
{
    private static readonly Ipv4Address Recorded = Ipv4Address.Parse("198.51.100.7");
    private static readonly MacAddress RecordedMac = MacAddress.Parse("02:00:00:00:99:07");
    private static readonly Ipv4Address Scanner = Ipv4Address.Parse("203.0.113.5");

    private static TarpitConfiguration Config(bool standIn) => DefaultConfiguration with
    {
        Networks = [], HardCapture = [Cidr.Parse("198.51.100.7/32")], Routed = [Cidr.Parse("198.51.100.128/25")], StandIn = standIn,
    };

    [Fact]
    public void A_stand_in_answers_hard_captured_space_from_the_mac_its_frames_were_sent_to()
    {
        var h = new EngineHarness(Config(standIn: true));
        var reply = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Scanner, 40000, Recorded, 80, TcpFlags.Syn, 1, to: RecordedMac)));
        Assert.Equal((TcpFlags.SynAck, RecordedMac, AttackerMac), (reply.Flags, reply.From, reply.To));
        // The recorded host's own answer in the capture is the stand-in's, not another host's.
        h.FeedExpectingNone(Frames.Tcp(Recorded, 80, Scanner, 40000, TcpFlags.SynAck, 5, 2, to: AttackerMac, from: RecordedMac));
        Assert.Empty(h.EventsOf(TarpitEventKind.Release));
        var routed = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Scanner, 40001, Ipv4Address.Parse("198.51.100.200"), 22, TcpFlags.Syn, 1, to: RecordedMac)));
        Assert.Equal(RecordedMac, routed.From);
        // Group destinations and space that is not ours stay unanswered.
        h.FeedExpectingNone(Frames.Tcp(Scanner, 40002, Recorded, 80, TcpFlags.Syn, 1, to: MacAddress.Broadcast));
        h.FeedExpectingNone(Frames.Tcp(Scanner, 40003, Ipv4Address.Parse("198.51.100.8"), 80, TcpFlags.Syn, 1, to: RecordedMac));
    }

    [Fact]
    public void Live_the_mac_check_stays_and_says_why()
    {
        var h = new EngineHarness(Config(standIn: false));
        h.FeedExpectingNone(Frames.Tcp(Scanner, 40000, Recorded, 80, TcpFlags.Syn, 1, to: RecordedMac));
        Assert.Equal((1, 1), (h.Engine.Counters.IgnoredNotForUs, h.Engine.Counters.Ignored));
    }

    [Fact]
    public void Each_unanswered_frame_is_counted_under_its_reason_and_ignored_is_their_sum()
    {
        var h = new EngineHarness(DefaultConfiguration with { Ports = Core.Tarpit.Behaviours.PortMap.Classic(Core.Tarpit.Behaviours.TcpBehaviour.Persist, PortSet.Parse("80"), PortSet.None, firewall: true) });
        h.Claim(Unused);
        var c = h.Engine.Counters;
        long arpBefore = c.IgnoredArp;
        h.FeedExpectingNone(Frames.Tcp(Attacker, 1, Unused, 80, TcpFlags.Syn, 1, to: MacAddress.Parse("02:00:00:00:00:44")));
        h.FeedExpectingNone(Frames.Tcp(Attacker, 1, Ipv4Address.Parse("192.0.2.78"), 80, TcpFlags.Syn, 1)); // our MAC, not our address
        h.FeedExpectingNone(Frames.Tcp(Ipv4Address.Parse("127.0.0.1"), 1, Unused, 80, TcpFlags.Syn, 1));
        h.FeedExpectingNone(Frames.Tcp(Attacker, 1, Unused, 81, TcpFlags.Syn, 1)); // a port not tarpitted, under -f
        h.FeedExpectingNone(Frames.Tcp(Attacker, 1, Unused, 80, TcpFlags.Ack, 99, 99)); // no connection of ours
        var fragment = Frames.Tcp(Attacker, 1, Unused, 80, TcpFlags.Syn, 1);
        fragment[EthernetFrame.HeaderLength + 6] |= 0x20; // more fragments
        h.Feed(fragment);
        h.FeedExpectingNone(Frames.ArpReply(AttackerMac, Attacker, TarpitMac, Unused));
        Assert.Equal((1, 1, 1, 1, 1, 1, arpBefore + 1),
            (c.IgnoredNotForUs, c.IgnoredNotTarpitSpace, c.IgnoredSource, c.IgnoredPort, c.IgnoredSegments, c.IgnoredFragments, c.IgnoredArp));
        Assert.Equal(c.IgnoredNotForUs + c.IgnoredNotTarpitSpace + c.IgnoredSource + c.IgnoredPort + c.IgnoredSegments + c.IgnoredFragments
            + c.IgnoredArp + c.IgnoredProtocol, c.Ignored);
    }
}
