using System.Text;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>The banner behaviour and its slow TCP sender, on a virtual clock.</summary>
public class BannerTests
{
    private const uint ClientIsn = 7_000_000;
    private const ushort ClientPort = 41000;

    internal static TarpitConfiguration Banner(BannerKind kind, ushort port = 22, Modifiers modifiers = default)
    {
        var policy = new PortPolicy(TcpBehaviour.Banner, kind)
        {
            Modifiers = modifiers with { BannerDelayMilliseconds = modifiers.BannerDelayMilliseconds > 0 ? modifiers.BannerDelayMilliseconds : 10_000 },
        };
        return DefaultConfiguration with
        {
            Ports = PortMap.Build(new PortPolicy(TcpBehaviour.Persist), [(PortSet.Of(port), policy)]),
            ConversationTableSize = 64,
        };
    }

    /// <summary>A client of one banner port: what it sent, what it got, and its stream so far.</summary>
    internal sealed class Client(EngineHarness h, ushort port = 22)
    {
        public uint Cookie { get; private set; }
        public uint Received; // the next byte of the tarpit's stream we expect (relative to its ISN + 1)
        public uint Sent;     // bytes of our own data sent
        public List<Reply> Replies { get; } = [];
        /// <summary>Data segments that arrived ahead of what had arrived before them.</summary>
        public int OutOfOrder;
        private readonly List<(uint Offset, uint End)> _ahead = [];

        public byte[] Segment(TcpFlags flags, uint sequence, uint acknowledgment, int payload = 0, ushort window = 64240) =>
            Frames.Tcp(Attacker, ClientPort, Unused, port, flags, sequence, acknowledgment, payload, window);

        public Reply Connect(ushort window = 64240)
        {
            var synAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn, 0)));
            Cookie = synAck.Sequence;
            Collect(h.Feed(Segment(TcpFlags.Ack, ClientIsn + 1, Cookie + 1, window: window)));
            return synAck;
        }

        /// <summary>Acknowledges everything received so far, with <paramref name="window"/>.</summary>
        public List<Reply> Ack(ushort window = 64240) => Collect(h.Feed(Segment(TcpFlags.Ack, ClientIsn + 1 + Sent, Cookie + 1 + Received, window: window)));

        public List<Reply> SendData(int bytes)
        {
            var replies = Collect(h.Feed(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1 + Sent, Cookie + 1 + Received, bytes)));
            Sent += (uint)bytes;
            return replies;
        }

        /// <summary>Moves the clock on and runs the engine's timers; what they sent.</summary>
        public List<Reply> Wait(double seconds)
        {
            int before = h.Sent.Count;
            h.Wait(seconds);
            h.Engine.Advance(h.Now);
            return Collect(h.Sent.GetRange(before, h.Sent.Count - before));
        }

        private List<Reply> Collect(List<byte[]> frames)
        {
            var replies = frames.Select(Reply.Read).ToList();
            foreach (var reply in replies)
            {
                Replies.Add(reply);
                uint offset = reply.Sequence - (Cookie + 1);
                if (reply.PayloadLength == 0)
                    continue;
                if (offset > Received && offset < Received + 100_000)
                {
                    OutOfOrder++;
                    _ahead.Add((offset, offset + (uint)reply.PayloadLength)); // kept, as a receiver's queue keeps it
                }
                else if (offset + (uint)reply.PayloadLength > Received)
                {
                    Received = offset + (uint)reply.PayloadLength;
                }
                // What was ahead and now joins on.
                for (bool joined = true; joined;)
                {
                    joined = false;
                    foreach (var (start, end) in _ahead.Where(a => a.Offset <= Received).ToList())
                    {
                        Received = Math.Max(Received, end);
                        _ahead.Remove((start, end));
                        joined = true;
                    }
                }
            }
            return replies;
        }
    }

    private static (EngineHarness, Client) Connected(BannerKind kind, Modifiers modifiers = default, ushort port = 22)
    {
        var h = new EngineHarness(Banner(kind, port, modifiers));
        h.Claim(Unused);
        var client = new Client(h, port);
        client.Connect();
        return (h, client);
    }

    [Fact]
    public void A_banner_syn_gets_a_normal_looking_synack()
    {
        var h = new EngineHarness(Banner(BannerKind.Ssh));
        h.Claim(Unused);
        var synAck = new Client(h).Connect();
        Assert.Equal(TcpFlags.SynAck, synAck.Flags);
        Assert.Equal(64240, synAck.Window);     // room for the client's version line
        Assert.Equal(24, synAck.HeaderLength);  // MSS 1460
        Assert.Single(h.EventsOf(TarpitEventKind.BannerStart));
        Assert.Equal(0, h.Engine.Flows.Count);  // the flow moved to the conversation table
    }

    [Fact]
    public void An_unsolicited_synack_on_a_banner_port_gets_a_rst_as_on_a_trap_port()
    {
        var h = new EngineHarness(Banner(BannerKind.Ssh));
        h.Claim(Unused);
        var reply = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, 40000, Unused, 22, TcpFlags.SynAck, 555, 777_777)));
        Assert.Equal((TcpFlags.Rst, 777_777u), (reply.Flags, reply.Sequence));
        Assert.Single(h.EventsOf(TarpitEventKind.SynAckRst));
        Assert.Empty(h.EventsOf(TarpitEventKind.BannerStart));
    }

    [Fact]
    public void Ssh_lines_come_one_at_a_time_at_the_delay_with_jitter()
    {
        var (_, client) = Connected(BannerKind.Ssh);
        var times = new List<double>();
        double now = 0;
        while (times.Count < 60 && now < 2000)
        {
            var sent = client.Wait(0.25);
            now += 0.25;
            foreach (var line in sent.Where(r => r.PayloadLength > 0))
            {
                times.Add(now);
                Assert.Equal(TcpFlags.Ack | TcpFlags.Psh, line.Flags);
            }
            if (sent.Count > 0)
                Assert.Empty(client.Ack());
        }
        Assert.Equal(60, times.Count);
        Assert.InRange(times[0], 7.5, 12.75);  // the first line waits a delay, as Endlessh's does
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, 7.5, 12.75));
        Assert.True(gaps.Max() - gaps.Min() > 2, "jitter: the gaps are not all the same");
    }

    [Fact]
    public void An_unacknowledged_line_is_retransmitted_with_the_same_bytes_and_backoff_then_the_flow_ends_quietly()
    {
        var (h, client) = Connected(BannerKind.Ssh);
        var first = Assert.Single(client.Wait(12.5));
        var times = new List<double>();
        double now = 0;
        for (int i = 0; i < 400 && h.EventsOf(TarpitEventKind.BannerEnd).Count() == 0; i++)
        {
            now += 1;
            foreach (var again in client.Wait(1))
            {
                Assert.Equal((first.Sequence, first.PayloadLength), (again.Sequence, again.PayloadLength));
                times.Add(now);
            }
        }
        Assert.Equal(8, times.Count);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        Assert.Equal([2.0, 4, 8, 16, 32, 60, 60], gaps);    // doubling, capped at 60 s
        var end = Assert.Single(h.EventsOf(TarpitEventKind.BannerEnd));
        Assert.Equal(TarpitEventReason.Unanswered, end.Reason);
        Assert.Empty(client.Wait(600));                     // nothing after the quiet end
        Assert.Equal(8, h.Engine.Counters.Retransmissions);
    }

    [Fact]
    public void Retransmitted_bytes_are_the_same_bytes()
    {
        var (h, client) = Connected(BannerKind.Ssh);
        int before = h.Sent.Count;
        client.Wait(12.5);
        client.Wait(1.0);
        var frames = h.Sent.Skip(before).ToList();
        Assert.Equal(2, frames.Count);
        Assert.Equal(frames[0][^Reply.Read(frames[0]).PayloadLength..], frames[1][^Reply.Read(frames[1]).PayloadLength..]);
    }

    [Fact]
    public void The_clients_window_is_respected()
    {
        var h = new EngineHarness(Banner(BannerKind.Ssh));
        h.Claim(Unused);
        var client = new Client(h);
        client.Connect(window: 5);
        var first = Assert.Single(client.Wait(12.5));
        Assert.Equal(5, first.PayloadLength);               // no more than the client's window
        int segments = 1;
        while (true)
        {
            var next = client.Ack(window: 5);                // room for 5 more: the rest follows at once
            if (next.Count == 0)
                break;
            Assert.All(next, r => Assert.InRange(r.PayloadLength, 1, 5));
            segments += next.Count;
        }
        Assert.True(segments >= 2, "a line longer than the window went in pieces");
        Assert.Equal(1, h.Engine.Counters.LinesSent);        // one line, in pieces
        Assert.Single(client.Wait(12.5));                    // and the next line after the delay
    }

    [Fact]
    public void A_zero_window_is_probed_with_backoff_and_the_line_goes_when_it_opens()
    {
        var h = new EngineHarness(Banner(BannerKind.Ssh));
        h.Claim(Unused);
        var client = new Client(h);
        client.Connect(window: 0);
        var probes = new List<(double Time, Reply Probe)>();
        for (double t = 0.5; t <= 60; t += 0.5)
            probes.AddRange(client.Wait(0.5).Select(p => (t, p)));
        Assert.InRange(probes.Count, 4, 6);                  // at the line's time, then 1, 2, 4, 8, 16 s apart
        Assert.All(probes, p => Assert.Equal(0, p.Probe.PayloadLength));
        Assert.All(probes, p => Assert.Equal(client.Cookie, p.Probe.Sequence)); // snd_una − 1, as Linux probes
        var gaps = probes.Zip(probes.Skip(1), (a, b) => b.Time - a.Time).ToList();
        Assert.All(gaps.Zip(gaps.Skip(1)), g => Assert.True(g.Second > g.First, "the probes back off"));
        var resumed = client.Ack(window: 64240);
        Assert.Contains(resumed, r => r.PayloadLength > 0); // the window opened: the line goes at once
        Assert.Empty(h.EventsOf(TarpitEventKind.BannerEnd));
    }

    [Fact]
    public void Client_data_is_acknowledged_and_never_answered()
    {
        var (h, client) = Connected(BannerKind.Ssh);
        var ack = Assert.Single(client.SendData(32)); // "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n" is 32 bytes
        Assert.Equal((TcpFlags.Ack, 0), (ack.Flags, ack.PayloadLength));
        Assert.Equal(ClientIsn + 1 + 32, ack.Acknowledgment);
        Assert.Equal(client.Cookie + 1, ack.Sequence);
        var later = client.Wait(12.5);
        var line = Assert.Single(later);
        Assert.Equal(ClientIsn + 1 + 32, line.Acknowledgment); // lines carry the ACK of what it sent
        Assert.Single(h.EventsOf(TarpitEventKind.BannerStart));
    }

    [Fact]
    public void A_fin_is_acknowledged_and_ignored_and_a_reset_ends_the_conversation()
    {
        var (h, client) = Connected(BannerKind.Ssh);
        var finAck = Assert.Single(h.Feed(client.Segment(TcpFlags.Ack | TcpFlags.Fin, ClientIsn + 1, client.Cookie + 1)));
        Assert.Equal(ClientIsn + 2, Reply.Read(finAck).Acknowledgment);
        Assert.Single(client.Wait(12.5), r => r.PayloadLength > 0); // the drip goes on
        h.FeedExpectingNone(client.Segment(TcpFlags.Rst, ClientIsn + 2, 0));
        var end = Assert.Single(h.EventsOf(TarpitEventKind.BannerEnd));
        Assert.Equal(TarpitEventReason.Reset, end.Reason);
        Assert.Equal(BannerKind.Ssh, end.Banner);
        Assert.Equal(1, end.Lines);
        Assert.Empty(client.Wait(100));
    }

    [Fact]
    public void A_reset_outside_the_window_ends_nothing()
    {
        var (h, client) = Connected(BannerKind.Ssh);
        h.FeedExpectingNone(client.Segment(TcpFlags.Rst, ClientIsn + 1 + 1_000_000, 0));
        Assert.Empty(h.EventsOf(TarpitEventKind.BannerEnd));
        Assert.Single(client.Wait(12.5));
    }

    [Fact]
    public void Http_answers_the_request_with_a_status_line_then_headers_forever()
    {
        var (_, client) = Connected(BannerKind.Http, port: 22);
        Assert.DoesNotContain(client.Replies, r => r.PayloadLength > 0);
        var replies = client.SendData(78);
        Assert.Contains(replies, r => r.PayloadLength == "HTTP/1.1 200 OK\r\n".Length);
        for (int i = 0; i < 5; i++)
        {
            client.Ack();
            Assert.Single(client.Wait(12.5), r => r.PayloadLength > 0);
        }
    }

    [Fact]
    public void Smtp_and_telnet_speak_first()
    {
        foreach (var kind in new[] { BannerKind.Smtp, BannerKind.Telnet })
        {
            var (_, client) = Connected(kind);
            Assert.Single(client.Replies, r => r.PayloadLength > 0);
        }
    }

    [Fact]
    public void The_conversation_costs_48_bytes_and_its_timer_16_beyond_nothing_else()
    {
        Assert.Equal(48, System.Runtime.CompilerServices.Unsafe.SizeOf<Conversation>());
        var (h, client) = Connected(BannerKind.Ssh);
        Assert.Equal(1, h.Engine.Counters.ActiveConversations);
        Assert.Equal(1, h.Engine.Counters.ActiveFlows);
        Assert.Equal(0, h.Engine.Flows.Count);
        client.Wait(12.5);
        Assert.Equal(1, h.Engine.Counters.LinesSent);
    }
}
