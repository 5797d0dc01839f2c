using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>--ack-delay, --noise, --drop-after and --ban, on persist flows and on banners.</summary>
public class ModifierTests
{
    private const uint ClientIsn = 9_000;
    private const ushort ClientPort = 42000;

    private static TarpitConfiguration Persist(Modifiers modifiers) => DefaultConfiguration with
    {
        Ports = PortMap.Build(new PortPolicy(TcpBehaviour.Persist) { Modifiers = modifiers }, []),
    };

    private static byte[] Segment(TcpFlags flags, uint sequence, uint acknowledgment = 0, int payload = 0, ushort sourcePort = ClientPort) =>
        Frames.Tcp(Attacker, sourcePort, Unused, 80, flags, sequence, acknowledgment, payload);

    /// <summary>A persist trap with 10 bytes taken; the cookie.</summary>
    private static uint Trap(EngineHarness h, ushort sourcePort = ClientPort)
    {
        uint cookie = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn, sourcePort: sourcePort))).Sequence;
        h.Feed(Segment(TcpFlags.Ack, ClientIsn + 1, cookie + 1, sourcePort: sourcePort));
        for (int attempt = 0; attempt < 4 && h.EventsOf(TarpitEventKind.Persist).Count(e => e.SourcePort == sourcePort) == 0; attempt++)
        {
            h.Feed(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, cookie + 1, 10, sourcePort));
            h.Wait(0.5);
            h.Engine.Advance(h.Now);
        }
        return cookie;
    }

    [Fact]
    public void Ack_delay_sends_probe_answers_late_within_the_range()
    {
        var h = new EngineHarness(Persist(new Modifiers { AckDelayMinMilliseconds = 200, AckDelayMaxMilliseconds = 400 }));
        h.Claim(Unused);
        uint cookie = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn))).Sequence; // SYN-ACKs are never delayed
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 1, cookie + 1));
        h.FeedExpectingNone(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, cookie + 1, 10)); // held back
        h.Wait(1);
        h.Engine.Advance(h.Now);
        Assert.Equal(ClientIsn + 11, Reply.Read(h.Sent[^1]).Acknowledgment); // and sent
        var delays = new List<double>();
        for (int probe = 0; probe < 40; probe++)
        {
            int before = h.Sent.Count;
            long sentAt = h.Now;
            h.Feed(Segment(TcpFlags.Ack, ClientIsn + 10, cookie + 1));
            for (int ms = 0; ms <= 500 && h.Sent.Count == before; ms += 10)
            {
                h.Wait(0.010);
                h.Engine.Advance(h.Now);
            }
            Assert.Equal(before + 1, h.Sent.Count);
            Assert.Equal(ClientIsn + 11, Reply.Read(h.Sent[^1]).Acknowledgment);
            delays.Add((h.Now - sentAt) / 1e6);
            h.Wait(5);
            h.Engine.Advance(h.Now);
        }
        Assert.All(delays, d => Assert.InRange(d, 200, 411)); // the range, to the timer's millisecond and the loop's 10 ms
        Assert.True(delays.Max() - delays.Min() > 50, "jitter");
        Assert.Equal(41, h.Engine.Counters.AcksDelayed);
    }

    [Fact]
    public void Noise_leaves_about_its_share_unanswered_and_never_twice_in_a_row()
    {
        var h = new EngineHarness(Persist(new Modifiers { NoisePer65536 = 65_536 / 5 }), seed: 11); // 20%
        h.Claim(Unused);
        uint cookie = Trap(h);
        int unanswered = 0, inARow = 0, worstRun = 0;
        const int Probes = 2_000;
        for (int i = 0; i < Probes; i++)
        {
            h.Wait(1);
            bool answered = h.Feed(Segment(TcpFlags.Ack, ClientIsn + 10, cookie + 1)).Count == 1;
            unanswered += answered ? 0 : 1;
            inARow = answered ? 0 : inARow + 1;
            worstRun = Math.Max(worstRun, inARow);
        }
        Assert.Equal(1, worstRun);                             // a retransmission is always answered
        Assert.InRange(unanswered, Probes * 0.12, Probes * 0.20); // 20% of first tries, of which some are retries
        Assert.True(h.Engine.Counters.NoiseApplied >= unanswered);
    }

    [Fact]
    public void Without_modifiers_nothing_is_drawn_from_the_random_source()
    {
        // The seeded replay's byte-identity rests on this: the same frames in, the same IP IDs out.
        static List<byte[]> Run(TarpitConfiguration configuration)
        {
            var h = new EngineHarness(configuration, seed: 5);
            h.Claim(Unused);
            Trap(h);
            return h.Sent;
        }
        Assert.Equal(Run(DefaultConfiguration), Run(Persist(new Modifiers())));
    }

    [Fact]
    public void Drop_after_forgets_a_persist_flow_and_its_cookie_revives_nothing()
    {
        var h = new EngineHarness(Persist(new Modifiers { DropAfterSeconds = 30 }));
        h.Claim(Unused);
        uint cookie = Trap(h);
        h.Wait(20);
        h.FeedExpectingOne(Segment(TcpFlags.Ack, ClientIsn + 10, cookie + 1));
        h.Wait(11);
        for (int i = 0; i < 20; i++)
        {
            h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 10, cookie + 1)); // Linux's probe
            h.FeedExpectingNone(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 11, cookie + 1, 1));
            h.Wait(60);
        }
        var drop = Assert.Single(h.EventsOf(TarpitEventKind.Drop));
        Assert.InRange(drop.Seconds, 30, 32);
        Assert.Equal(FlowState.Silenced, h.Engine.Flows[h.Engine.Flows.Find(new FlowKey(Attacker, Unused, ClientPort, 80))].State);
        Assert.Empty(h.EventsOf(TarpitEventKind.Ban)); // no --ban: other flows of the source still answered
        Assert.Single(h.Feed(Segment(TcpFlags.Syn, 1, sourcePort: 42001)));
    }

    [Fact]
    public void A_banned_source_gets_nothing_at_all_until_the_ban_ends()
    {
        var h = new EngineHarness(Persist(new Modifiers { DropAfterSeconds = 30, BanSeconds = 600 }) with { StatsInterval = 0 });
        h.Claim(Unused);
        uint cookie = Trap(h);
        h.Wait(31);
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 10, cookie + 1)); // dropped, and the source banned
        var ban = Assert.Single(h.EventsOf(TarpitEventKind.Ban));
        Assert.Equal((Attacker, 600L), (ban.Source, ban.Seconds));
        Assert.Equal(1, h.Engine.Counters.BansActive);
        h.FeedExpectingNone(Segment(TcpFlags.Syn, 1, sourcePort: 42001));               // a new SYN: nothing
        h.FeedExpectingNone(Frames.Echo(Attacker, Unused, 1, 1, [1, 2, 3]));            // nor a ping
        Assert.Single(h.Feed(Frames.Tcp(Ipv4Address.Parse("192.0.2.3"), 5000, Unused, 80, TcpFlags.Syn, 1))); // others are answered
        h.Wait(600);
        h.Engine.Advance(h.Now);
        Assert.Single(h.Feed(Segment(TcpFlags.Syn, 1, sourcePort: 42002)));             // the ban ran out
        Assert.Equal(0, h.Engine.Counters.BansActive);
        Assert.True(h.Engine.Counters.Banned >= 2);
    }

    [Fact]
    public void Drop_after_ends_a_banner_in_silence()
    {
        var h = new EngineHarness(BannerTests.Banner(BannerKind.Ssh, modifiers: new Modifiers { DropAfterSeconds = 30, BannerDelayMilliseconds = 2_000 }));
        h.Claim(Unused);
        var client = new BannerTests.Client(h);
        client.Connect();
        double lastSent = 0;
        for (double t = 0.5; t <= 120; t += 0.5)
        {
            if (client.Wait(0.5).Count > 0)
                lastSent = t;
            client.Ack();
        }
        Assert.InRange(lastSent, 25, 30.5);                   // nothing after 30 s
        var end = Assert.Single(h.EventsOf(TarpitEventKind.BannerEnd));
        Assert.Equal(TarpitEventReason.Dropped, end.Reason);
        Assert.Single(h.EventsOf(TarpitEventKind.Drop));
        h.FeedExpectingNone(client.Segment(TcpFlags.Ack, 7_000_001, client.Cookie + 1 + client.Received)); // the cookie opens nothing
    }

    [Fact]
    public void Noise_on_a_banner_splits_reorders_or_resends_lines_and_the_stream_still_arrives_whole()
    {
        var h = new EngineHarness(BannerTests.Banner(BannerKind.Ssh, modifiers: new Modifiers { NoisePer65536 = 65_536 / 2, BannerDelayMilliseconds = 1_000 }), seed: 3);
        h.Claim(Unused);
        var client = new BannerTests.Client(h);
        client.Connect();
        for (int i = 0; i < 600; i++)
        {
            client.Wait(0.25);
            client.Ack();
        }
        Assert.True(h.Engine.Counters.NoiseApplied > 20);
        Assert.True(h.Engine.Counters.LinesSent > 50);
        var withData = client.Replies.Where(r => r.PayloadLength > 0).ToList();
        Assert.True(withData.Count > h.Engine.Counters.LinesSent, "split lines take two segments");
        Assert.True(client.OutOfOrder > 5, "some halves arrive out of order");
        Assert.Empty(h.EventsOf(TarpitEventKind.BannerEnd));
    }

    [Fact]
    public void Ack_delay_holds_back_a_banner_clients_acks_too_but_not_its_lines()
    {
        var h = new EngineHarness(BannerTests.Banner(BannerKind.Ssh, modifiers: new Modifiers { AckDelayMinMilliseconds = 300, AckDelayMaxMilliseconds = 300 }));
        h.Claim(Unused);
        var client = new BannerTests.Client(h);
        client.Connect();
        Assert.Empty(client.SendData(32));                    // the version line's ACK is held back...
        Assert.Empty(client.Wait(0.299));
        var ack = Assert.Single(client.Wait(0.002));          // ...300 ms
        Assert.Equal(7_000_001u + 32, ack.Acknowledgment);
        Assert.Single(client.Wait(12.5), r => r.PayloadLength > 0); // lines keep their own time
    }

    [Fact]
    public void Noise_leaves_a_banner_clients_data_unacknowledged_the_first_time()
    {
        var h = new EngineHarness(BannerTests.Banner(BannerKind.Ssh, modifiers: new Modifiers { NoisePer65536 = 65_536 * 3 / 10 }), seed: 8);
        h.Claim(Unused);
        var client = new BannerTests.Client(h);
        client.Connect();
        int withheld = 0, inARow = 0, worst = 0;
        for (int i = 0; i < 1_000; i++)
        {
            bool acked = client.SendData(20).Any(r => r.PayloadLength == 0 && r.Acknowledgment == 7_000_001 + client.Sent);
            if (!acked)
                client.Sent -= 20; // as if lost: the next try sends the same bytes again
            withheld += acked ? 0 : 1;
            inARow = acked ? 0 : inARow + 1;
            worst = Math.Max(worst, inARow);
        }
        Assert.Equal(1, worst);
        Assert.InRange(withheld, 180, 290); // 0.3 of first tries: about 230 of 1,000
    }

    [Fact]
    public void The_steady_banner_path_allocates_nothing()
    {
        // No stats event: its snapshot of the counters is the one allocation a minute the engine makes.
        var h = new EngineHarness(BannerTests.Banner(BannerKind.Http, modifiers: new Modifiers { BannerDelayMilliseconds = 1_000, AckDelayMaxMilliseconds = 50 })
            with { StatsInterval = 0 });
        h.Claim(Unused);
        var client = new BannerTests.Client(h);
        client.Connect();
        var frame = client.Segment(TcpFlags.Ack | TcpFlags.Psh, 7_000_001, client.Cookie + 1, 40);
        var sink = new List<byte[]>();
        void Round()
        {
            for (int i = 0; i < 200; i++)
            {
                h.Wait(0.3);
                h.Engine.Process(frame, h.Now);
                h.Engine.Advance(h.Now + 1);
            }
        }
        Round();
        Round();
        Round();
        h.Sent.Clear();
        h.Sent.Capacity = 10_000;
        h.Events.Capacity = h.Events.Count + 10_000;
        h.CheckFrames = false;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Round();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        h.CheckFrames = true;
        foreach (var sent in h.Sent)
            IndependentFrameCheck.Check(sent);
        // The harness copies each reply into an array; the engine itself allocates nothing.
        long copies = h.Sent.Sum(f => ((f.Length + 7L) & ~7L) + 24);
        Assert.InRange(allocated, 0, copies);
    }
}
