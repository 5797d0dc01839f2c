using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>A flow the tarpit chose to forget stays forgotten: its entry is kept in state Silenced,
/// which every responder checks before the cookie would open anything (ARCHITECTURE.md, "Forgotten flows").</summary>
public class SilencedFlowTests
{
    private const uint ClientIsn = 5_000;
    private static readonly FlowKey Key = new(Attacker, Unused, 40000, 80);

    private static byte[] Segment(TcpFlags flags, uint sequence, uint acknowledgment = 0, int payload = 0) =>
        Frames.Tcp(Attacker, 40000, Unused, 80, flags, sequence, acknowledgment, payload);

    private static (EngineHarness Harness, uint Cookie) TrappedThenSilenced(TcpBehaviour behaviour)
    {
        var h = new EngineHarness(DefaultConfiguration with { Ports = PortMap.Uniform(behaviour) });
        h.Claim(Unused);
        uint cookie = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn))).Sequence;
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 1, cookie + 1));
        if (behaviour == TcpBehaviour.Persist)
            h.FeedExpectingOne(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, cookie + 1, 10));
        ref var entry = ref h.Engine.Flows[h.Engine.Flows.Find(Key)];
        entry.State = FlowState.Silenced;
        return (h, cookie);
    }

    [Fact]
    public void Its_probes_data_and_fin_get_nothing_and_keep_it_forgotten()
    {
        var (h, cookie) = TrappedThenSilenced(TcpBehaviour.Persist);
        long ignored = h.Engine.Counters.Ignored;
        h.Wait(60);
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 10, cookie + 1));                     // a Linux probe
        h.FeedExpectingNone(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 11, cookie + 1, 1));  // a one-byte probe
        h.FeedExpectingNone(Segment(TcpFlags.Ack | TcpFlags.Fin, ClientIsn + 11, cookie + 1));
        Assert.Equal(ignored + 3, h.Engine.Counters.Ignored);
        var entry = h.Engine.Flows[h.Engine.Flows.Find(Key)];
        Assert.Equal(FlowState.Silenced, entry.State);
        Assert.Equal(64u, entry.LastSeen); // the claim's 4 s (rule and probe) and the 60 s waited: kept while it comes back
        Assert.Empty(h.EventsOf(TarpitEventKind.Probe));
        Assert.Empty(h.EventsOf(TarpitEventKind.CloseIgnored));
    }

    [Fact]
    public void Silenced_before_its_handshake_its_retransmitted_syn_gets_nothing()
    {
        var h = new EngineHarness();
        h.Claim(Unused);
        h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn));
        h.Engine.Flows[h.Engine.Flows.Find(Key)].State = FlowState.Silenced;
        h.FeedExpectingNone(Segment(TcpFlags.Syn, ClientIsn));
        Assert.Single(h.EventsOf(TarpitEventKind.Connect));
    }

    [Fact]
    public void In_tarpit_mode_too_nothing_is_recorded_for_it()
    {
        var (h, cookie) = TrappedThenSilenced(TcpBehaviour.Tarpit);
        h.FeedExpectingNone(Segment(TcpFlags.Ack | TcpFlags.Fin, ClientIsn + 1, cookie + 1));
        Assert.Empty(h.EventsOf(TarpitEventKind.CloseIgnored));
        Assert.Equal(FlowState.Silenced, h.Engine.Flows[h.Engine.Flows.Find(Key)].State);
    }

    [Fact]
    public void A_new_connection_on_the_same_four_tuple_is_a_new_flow()
    {
        var (h, _) = TrappedThenSilenced(TcpBehaviour.Persist);
        var synAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn + 1_000_000)));
        Assert.Equal(TcpFlags.SynAck, synAck.Flags);
        Assert.Equal(FlowState.SynAcked, h.Engine.Flows[h.Engine.Flows.Find(Key)].State);
        Assert.Equal(2, h.EventsOf(TarpitEventKind.Connect).Count());
    }
}
