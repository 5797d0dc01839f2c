using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>What <c>labreasharp status</c> and the metrics read: the engine's view of the flows it
/// holds, and how long the ones that ended were held.</summary>
public class TrappedViewTests
{
    private const uint ClientIsn = 5_000;

    private static byte[] Segment(ushort clientPort, ushort port, TcpFlags flags, uint sequence, uint acknowledgment = 0, int payload = 0) =>
        Frames.Tcp(Attacker, clientPort, Unused, port, flags, sequence, acknowledgment, payload);

    /// <summary>Handshake and ten bytes of data: the flow is in persist. Returns the cookie.</summary>
    private static uint Trap(EngineHarness h, ushort clientPort, ushort port = 80)
    {
        uint cookie = Reply.Read(h.FeedExpectingOne(Segment(clientPort, port, TcpFlags.Syn, ClientIsn))).Sequence;
        h.FeedExpectingNone(Segment(clientPort, port, TcpFlags.Ack, ClientIsn + 1, cookie + 1));
        h.FeedExpectingOne(Segment(clientPort, port, TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, cookie + 1, 10));
        return cookie;
    }

    private static void Probe(EngineHarness h, ushort clientPort, uint cookie, ushort port = 80) =>
        h.FeedExpectingOne(Segment(clientPort, port, TcpFlags.Ack, ClientIsn + 10, cookie + 1));

    [Fact]
    public void Flows_are_counted_by_state_behaviour_and_port_and_the_longest_held_come_first()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        long first = h.Now;
        uint oldest = Trap(h, 40001);
        h.Wait(10);
        h.FeedExpectingOne(Segment(40002, 81, TcpFlags.Syn, ClientIsn)); // SYN-ACKed, no more
        h.Wait(5);
        Trap(h, 40003);
        h.Wait(20);
        for (int i = 0; i < 3; i++)
            Probe(h, 40001, oldest);

        var view = h.Engine.Trapped(2);
        Assert.Equal(3, view.Total);
        Assert.Equal(2, view.ByState[("persist", "persist")]);
        Assert.Equal(1, view.ByState[("syn-acked", "persist")]);
        Assert.Equal(2, view.ByPort[80]);
        Assert.Equal(1, view.ByPort[81]);

        Assert.Equal(2, view.Longest.Count);
        var longest = view.Longest[0];
        Assert.Equal((Attacker, (ushort)40001, Unused, (ushort)80), (longest.Key.Source, longest.Key.SourcePort, longest.Key.Destination, longest.Key.DestinationPort));
        Assert.Equal("persist", longest.State);
        Assert.Equal(3, longest.Probes);
        Assert.Equal(first / Second, longest.Since / Second);         // entries keep whole seconds
        Assert.Equal(h.Now / Second, longest.LastSeen / Second);
        Assert.Equal((ushort)40002, view.Longest[1].Key.SourcePort); // then the SYN-only one, ten seconds younger
        Assert.Equal("syn-acked", view.Longest[1].State);
        Assert.Equal(h.Now, view.Now);

        Assert.Empty(h.Engine.Trapped(0).Longest);
        Assert.Equal(3, h.Engine.Trapped(100).Longest.Count);
    }

    [Fact]
    public void The_view_is_a_copy_the_engine_does_not_change_afterwards()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        uint cookie = Trap(h, 40001);
        var view = h.Engine.Trapped(5);
        long probesBefore = view.Counters.ProbesAnswered;
        Probe(h, 40001, cookie);
        Trap(h, 40002);
        Assert.Equal(probesBefore, view.Counters.ProbesAnswered);
        Assert.Equal(1, view.Total);
        Assert.Equal(0, view.Longest[0].Probes);
    }

    [Fact]
    public void A_banner_conversation_shows_as_talking_with_the_lines_it_was_sent()
    {
        var h = new EngineHarness(BannerTests.Banner(BannerKind.Ssh));
        h.Claim(Unused);
        var client = new BannerTests.Client(h);
        client.Connect();
        for (int i = 0; i < 6; i++)
        {
            client.Wait(15);
            client.Ack();
        }
        var view = h.Engine.Trapped(10);
        var talking = Assert.Single(view.Longest);
        Assert.Equal(("talking", "ssh"), (talking.State, talking.Behaviour));
        Assert.Equal(h.Engine.Counters.LinesSent, talking.Lines);
        Assert.True(talking.Lines >= 3, $"{talking.Lines} lines");
        Assert.Equal(1, view.ByState[("talking", "ssh")]);
    }

    [Fact]
    public void A_flow_that_expires_reports_how_long_it_was_held()
    {
        var h = new EngineHarness(DefaultConfiguration with { FlowIdle = 60 * Second });
        h.Claim(Unused);
        uint cookie = Trap(h, 40001);
        for (int i = 0; i < 5; i++)
        {
            h.Wait(40);
            Probe(h, 40001, cookie); // held 200 seconds, first segment to last
        }
        Assert.Equal(0, h.Engine.Ended.TotalCount);
        h.Wait(70);
        h.Engine.Advance(h.Now);
        h.Wait(70);
        h.Engine.Advance(h.Now);
        Assert.Equal(0, h.Engine.Flows.Count);
        Assert.Equal(1, h.Engine.Ended.TotalCount);
        Assert.Equal(200, h.Engine.Ended.TotalSeconds);
        Assert.Equal(1, h.Engine.Ended.Count(Array.IndexOf(HeldTimes.Bounds, 300u)));
        Assert.Equal(1, h.Engine.Trapped(0).Ended.TotalCount);
    }
}

public class HeldTimesTests
{
    [Theory]
    [InlineData(0u, 0)]
    [InlineData(1u, 0)]
    [InlineData(2u, 1)]
    [InlineData(900u, 4)]
    [InlineData(901u, 5)]
    [InlineData(86_400u, 9)]
    [InlineData(86_401u, 10)]
    [InlineData(uint.MaxValue, 10)]
    public void A_held_time_lands_in_the_bucket_whose_bound_is_the_first_at_or_above_it(uint seconds, int bucket)
    {
        var held = new HeldTimes();
        held.Record(seconds);
        Assert.Equal(1, held.Count(bucket));
        Assert.Equal(seconds, held.Sum(bucket));
        Assert.Equal(1, held.TotalCount);
    }

    [Fact]
    public void A_snapshot_does_not_follow_later_records()
    {
        var held = new HeldTimes();
        held.Record(30);
        var snapshot = held.Snapshot();
        held.Record(30);
        Assert.Equal(1, snapshot.Count(2));
        Assert.Equal(2, held.Count(2));
        Assert.Equal(60, held.TotalSeconds);
    }

    [Fact]
    public void An_evicted_flow_reports_its_held_time_too()
    {
        var ended = new HeldTimes();
        var table = new FlowTable(1, 7, ended);
        var first = new FlowKey(new(1), new(2), 1, 2);
        int slot = table.FindOrAdd(first, FlowState.SynAcked, 100, out _);
        table[slot].LastSeen = 160;
        table.FindOrAdd(new FlowKey(new(3), new(4), 3, 4), FlowState.SynAcked, 200, out _);
        Assert.Equal(1, table.Evictions);
        Assert.Equal(1, ended.TotalCount);
        Assert.Equal(60, ended.TotalSeconds);
    }
}
