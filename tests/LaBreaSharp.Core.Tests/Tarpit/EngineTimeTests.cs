using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>What the engine says about when it next needs the clock, so that a loop can sleep until then.</summary>
public class EngineTimeTests
{
    [Fact]
    public void Before_it_starts_it_needs_the_clock_at_once()
    {
        var engine = new TarpitEngine(DefaultConfiguration, new EngineHarness(), NullEventSink.Instance, new RandomSource(1));
        Assert.Equal(long.MinValue, engine.NextDeadline);
    }

    [Fact]
    public void An_idle_engine_wakes_only_for_its_stats()
    {
        var h = new EngineHarness(DefaultConfiguration with { StatsInterval = 60 * Second });
        Assert.Equal(h.Now + 60 * Second, h.Engine.NextDeadline);
        var quiet = new EngineHarness(DefaultConfiguration with { StatsInterval = 0 });
        Assert.Equal(long.MaxValue, quiet.Engine.NextDeadline);
    }

    [Fact]
    public void Advancing_to_the_deadline_does_what_was_due()
    {
        var h = new EngineHarness(DefaultConfiguration with { StatsInterval = 60 * Second });
        long deadline = h.Engine.NextDeadline;
        h.Engine.Advance(deadline - 1);
        Assert.Empty(h.EventsOf(TarpitEventKind.Stats));
        h.Engine.Advance(deadline);
        Assert.Single(h.EventsOf(TarpitEventKind.Stats));
        Assert.Equal(deadline + 60 * Second, h.Engine.NextDeadline);
    }

    [Fact]
    public void A_claim_wait_and_a_pending_limit_drop_report_bring_the_deadline_closer()
    {
        var h = new EngineHarness(DefaultConfiguration with { StatsInterval = 0, MaxPacketsPerSecond = 1, ProbeWait = 0 });
        h.FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, Unused)); // a wait, to forget in time
        Assert.True(h.Engine.NextDeadline <= h.Now + Second);
        h.Wait(3);
        h.FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, Unused)); // takes the one token
        h.Feed(Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Syn, 1));     // dropped, and reported at once
        h.Feed(Frames.Tcp(Attacker, 40001, Unused, 80, TcpFlags.Syn, 1));     // dropped; its report waits a second
        Assert.Single(h.EventsOf(TarpitEventKind.LimitDrop));
        Assert.Equal(h.Now + Second, h.Engine.NextDeadline);
        h.Engine.Advance(h.Engine.NextDeadline);
        Assert.Equal(2, h.EventsOf(TarpitEventKind.LimitDrop).Count());
    }

    [Fact]
    public void A_loop_that_sleeps_until_each_deadline_expires_idle_flows_and_claim_marks_on_time()
    {
        var h = new EngineHarness(DefaultConfiguration with { StatsInterval = 0, FlowIdle = 120 * Second });
        h.Claim(Unused); // the attacker's requests also mark it alive, for the 600 s alive hold
        h.Feed(Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Syn, 1));
        Assert.Equal(1, h.Engine.Flows.Count);
        long start = h.Now;
        long flowsGone = 0;
        int wakes = 0;
        while (h.Engine.NextDeadline != long.MaxValue && wakes < 10_000)
        {
            h.Engine.Advance(h.Engine.NextDeadline);
            wakes++;
            if (flowsGone == 0 && h.Engine.Flows.Count == 0)
                flowsGone = h.Engine.Now - start;
        }
        Assert.InRange(flowsGone, 120 * Second, 200 * Second);
        Assert.Equal((0, 0), (h.Engine.Claims.AliveCount, h.Engine.Claims.PendingCount));
        Assert.True(h.Engine.Claims.IsClaimed(Unused)); // claims stay until someone speaks for the address
        Assert.InRange(h.Engine.Now - start, 600 * Second, 620 * Second);
        Assert.True(wakes < 700, $"{wakes} wakes"); // about one a second, not one a millisecond
    }
}
