using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

public class LimitsAndTableTests
{
    private static byte[] SynFrom(int i, ushort port = 80) =>
        Frames.Tcp(new Ipv4Address(Ipv4Address.Parse("198.51.100.0").Value + (uint)(i % 250) + 1), (ushort)(1024 + i / 250), Unused, port, TcpFlags.Syn, (uint)i);

    private static EngineHarness Claimed(TarpitConfiguration configuration)
    {
        var h = new EngineHarness(configuration);
        h.Claim(Unused);
        h.Sent.Clear();
        return h;
    }

    [Fact]
    public void Packet_rate_cap_drops_and_counts_the_excess_then_refills()
    {
        var h = Claimed(DefaultConfiguration with { MaxPacketsPerSecond = 5 });
        h.Wait(1); // the claim's ARP reply used one token; let the bucket fill again
        for (int i = 0; i < 20; i++)
            h.Feed(SynFrom(i));
        Assert.Equal(5, h.Sent.Count);
        Assert.Equal(15, h.Engine.Counters.LimitDrops);
        h.Wait(1);
        h.Engine.Advance(h.Now);
        var drops = h.EventsOf(TarpitEventKind.LimitDrop).ToList();
        Assert.Equal(15, drops.Sum(e => e.Count));
        Assert.All(drops, e => Assert.Equal(TarpitEventReason.PacketRate, e.Reason));
        Assert.True(drops.Count <= 2); // aggregated, not one per packet
        Assert.Single(h.Feed(SynFrom(100)));
    }

    [Fact]
    public void Bandwidth_cap_counts_bytes()
    {
        // 1 kbit/s = 125 bytes/s: two 54-byte SYN-ACKs fit, the third does not.
        var h = Claimed(DefaultConfiguration with { MaxRateKbits = 1 });
        h.Wait(1);
        for (int i = 0; i < 3; i++)
            h.Feed(SynFrom(i));
        Assert.Equal(2, h.Sent.Count);
        Assert.Equal(1, h.Engine.Counters.LimitDrops);
    }

    [Fact]
    public void Per_source_cap_limits_one_source_and_not_the_others()
    {
        var h = Claimed(DefaultConfiguration with { MaxPacketsPerSecondPerSource = 2 });
        h.Wait(1); // the claim's ARP reply went to the same source
        var other = Ipv4Address.Parse("192.0.2.3");
        for (int i = 0; i < 5; i++)
            h.Feed(Frames.Tcp(Attacker, (ushort)(40000 + i), Unused, 80, TcpFlags.Syn, 1));
        Assert.Equal(2, h.Sent.Count);
        Assert.Single(h.Feed(Frames.Tcp(other, 40000, Unused, 80, TcpFlags.Syn, 1, from: MacAddress.Parse("02:00:00:00:00:03"))));
    }

    [Fact]
    public void A_full_table_still_answers_new_syns_and_old_probes_and_counts_evictions()
    {
        var h = Claimed(DefaultConfiguration with { TableSize = 4 });
        uint cookie = 0;
        {
            // one trapped flow first
            var synAck = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, 50000, Unused, 80, TcpFlags.Syn, 10)));
            cookie = synAck.Sequence;
            h.FeedExpectingOne(Frames.Tcp(Attacker, 50000, Unused, 80, TcpFlags.Ack, 11, cookie + 1, payloadLength: 5));
        }
        h.Wait(10);
        for (int i = 0; i < 10; i++)
            Assert.Single(h.Feed(SynFrom(i)));
        Assert.Equal(4, h.Engine.Flows.Count);
        Assert.Equal(7, h.Engine.Counters.TableEvictions);
        Assert.Equal(-1, h.Engine.Flows.Find(new FlowKey(Attacker, Unused, 50000, 80))); // the oldest went first
        var probe = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, 50000, Unused, 80, TcpFlags.Ack, 15, cookie + 1)));
        Assert.Equal(16u, probe.Acknowledgment);
        Assert.Equal(0, probe.Window);
    }

    [Fact]
    public void Idle_flows_expire()
    {
        var h = Claimed(DefaultConfiguration with { FlowIdle = 3600 * Second });
        for (int i = 0; i < 50; i++)
            h.Feed(SynFrom(i));
        Assert.Equal(50, h.Engine.Flows.Count);
        for (int minute = 0; minute < 58; minute++)
        {
            h.Wait(60);
            h.Engine.Advance(h.Now);
        }
        Assert.Equal(50, h.Engine.Flows.Count); // 58 minutes: not idle long enough
        for (int minute = 0; minute < 5; minute++)
        {
            h.Wait(60);
            h.Engine.Advance(h.Now);
        }
        Assert.Equal(0, h.Engine.Flows.Count);
        Assert.Equal(50, h.Engine.Counters.TableExpired);
    }

    [Fact]
    public void Stats_events_come_at_the_interval()
    {
        var h = new EngineHarness(DefaultConfiguration with { StatsInterval = 60 * Second });
        h.Wait(59);
        h.Engine.Advance(h.Now);
        Assert.Empty(h.EventsOf(TarpitEventKind.Stats));
        h.Wait(1);
        h.Engine.Advance(h.Now);
        var stats = Assert.Single(h.EventsOf(TarpitEventKind.Stats));
        Assert.NotNull(stats.Counters);
    }

    [Fact]
    public void Probe_events_are_not_built_when_the_sink_does_not_want_them()
    {
        var h = new EngineHarness(probesEnabled: false);
        h.Claim(Unused);
        var synAck = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Syn, 1)));
        h.FeedExpectingOne(Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Ack, 2, synAck.Sequence + 1, payloadLength: 3));
        h.FeedExpectingOne(Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Ack, 4, synAck.Sequence + 1));
        Assert.Empty(h.EventsOf(TarpitEventKind.Probe));
        Assert.Equal(1, h.Engine.Counters.ProbesAnswered);
    }

    [Fact]
    public void The_steady_path_allocates_nothing()
    {
        var h = new EngineHarness(DefaultConfiguration with { TableSize = 1 << 16 }, probesEnabled: false);
        h.Claim(Unused);
        var engine = h.Engine;
        var sink = new CountingSink();
        var quiet = new TarpitEngine(h.Configuration with { HardCapture = [Cidr.Parse("192.0.2.64/26")], Networks = [] }, sink, NullEventSink.Instance, new RandomSource(1));
        var syns = Enumerable.Range(0, 2000).Select(i => SynFrom(i)).ToArray();
        var probe = Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Ack, 4, 1);
        var arp = Frames.ArpRequest(AttackerMac, Attacker, Unused);
        var malformed = syns[0][..20];
        long now = h.Now;
        void Round()
        {
            now += Second;
            foreach (var frame in syns) quiet.Process(frame, now);
            quiet.Process(probe, now);
            quiet.Process(arp, now);
            quiet.Process(malformed, now);
        }
        // Warm up every path, the clock's included: first inserts, JIT, static initialisation.
        Round();
        Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 5; round++)
            Round();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(sink.Count >= 10_000);
    }

    private sealed class CountingSink : IFrameSink
    {
        public int Count;
        public void Send(ReadOnlySpan<byte> frame, long time) => Count++;
    }
}
