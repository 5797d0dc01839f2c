using System.Buffers.Binary;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tests.Tarpit.Stealth;

/// <summary>The engine under --profile stealth: personalities that stay put, their SYN-ACKs and
/// RSTs, their open and closed ports and odd-flag answers, and the trap itself (a window that
/// closes as a full buffer's, timestamps on every segment, probes answered exactly).</summary>
public class StealthEngineTests
{
    private static readonly TcpFlags Ack = TcpFlags.Ack, Syn = TcpFlags.Syn;

    private static EngineHarness Stealth(ulong seed = 42) =>
        new(EngineHarness.DefaultConfiguration with { Profile = TarpitProfile.Stealth }, seed);

    private static Ipv4Address Address(int last) => Ipv4Address.Parse($"192.0.2.{last}");

    /// <summary>The first address of the /24 (from .10) with this family, claimed.</summary>
    private static (Ipv4Address Address, Personality Face) Claimed(EngineHarness harness, OsFamily family)
    {
        for (int last = 10; last < 250; last++)
        {
            var face = harness.Engine.Personalities!.Of(Address(last));
            if (face.Stack.Family == family)
            {
                harness.Claim(Address(last));
                return (Address(last), face);
            }
        }
        throw new InvalidOperationException($"no {family} address in 192.0.2.10-249");
    }

    /// <summary>What Linux's connect() offers: MSS, SACK-permitted, timestamps, NOP, window scale 7.</summary>
    private static byte[] LinuxSynOptions(uint tsval)
    {
        var options = new byte[20];
        options[0] = 2; options[1] = 4; BinaryPrimitives.WriteUInt16BigEndian(options.AsSpan(2), 1460);
        options[4] = 4; options[5] = 2;
        options[6] = 8; options[7] = 10; BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(8), tsval);
        options[16] = 1; options[17] = 3; options[18] = 3; options[19] = 7;
        return options;
    }

    private static byte[] TimestampOption(uint tsval, uint echo)
    {
        var options = new byte[12];
        options[0] = 1; options[1] = 1; options[2] = 8; options[3] = 10;
        BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(4), tsval);
        BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(8), echo);
        return options;
    }

    private sealed record Seen(byte Ttl, bool Df, ushort Id, TcpFlags Flags, uint Seq, uint Ack, ushort Window,
        string OptionsHex, int OptionsLength, uint? TsVal, uint? TsEcr);

    private static Seen Read(byte[] frame)
    {
        Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
        Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
        Assert.True(TcpSegment.TryRead(ip.Payload, out var tcp));
        Assert.True(tcp.TryGetOptions(out var options));
        return new Seen(ip.TimeToLive, ip.DontFragment, ip.Identification, tcp.Flags, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.Window,
            Convert.ToHexString(tcp.OptionsArea), tcp.OptionsArea.Length, options.TimestampValue, options.TimestampEcho);
    }

    [Fact]
    public void Personalities_are_stable_per_address_and_seed_and_differ_between_seeds()
    {
        var first = Stealth(7).Engine.Personalities!;
        var again = Stealth(7).Engine.Personalities!;
        var other = Stealth(8).Engine.Personalities!;
        int differ = 0;
        var families = new HashSet<OsFamily>();
        for (int last = 2; last < 255; last++)
        {
            var a = first.Of(Address(last));
            Assert.Equal(a, again.Of(Address(last)));
            Assert.Equal(a.OpenPorts(), again.Of(Address(last)).OpenPorts());
            families.Add(a.Stack.Family);
            if (a != other.Of(Address(last)))
                differ++;
        }
        Assert.Equal(Enum.GetValues<OsFamily>().ToHashSet(), families); // a /24 has every kind of host
        Assert.True(differ > 200, $"only {differ} of 253 addresses changed with the seed");
        Assert.Equal(OsFamily.Linux, first.Of(EngineHarness.HostIp).Stack.Family); // the host is what it is
    }

    [Fact]
    public void No_address_has_more_than_its_stacks_few_ports_open_and_no_high_random_ones()
    {
        var faces = Stealth().Engine.Personalities!;
        for (int last = 2; last < 255; last++)
        {
            var face = faces.Of(Address(last));
            var open = face.OpenPorts().ToList();
            Assert.NotEmpty(open);
            Assert.True(open.Count <= face.Stack.Ports.Length);
            Assert.All(face.Stack.Ports.Where(p => p.Chance >= 256), p => Assert.Contains(p.Port, open));
            for (int port = 10_000; port < 65_536; port += 7)
                Assert.False(face.IsOpen((ushort)port)); // tarpit.nse's random high ports: all closed
        }
    }

    [Theory]
    [InlineData(OsFamily.Linux)]
    [InlineData(OsFamily.Windows)]
    [InlineData(OsFamily.Printer)]
    [InlineData(OsFamily.Router)]
    public void A_syn_to_an_open_port_gets_the_stacks_syn_ack_and_a_closed_port_its_rst(OsFamily family)
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, family);
        var stack = face.Stack;
        ushort open = face.OpenPorts().First();
        var synAck = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, open, Syn, 1000, options: LinuxSynOptions(555))));
        Assert.Equal(TcpFlags.SynAck, synAck.Flags);
        Assert.Equal(1001u, synAck.Ack);
        Assert.Equal(stack.TimeToLive, synAck.Ttl);
        Assert.Equal(stack.DontFragment, synAck.Df);
        Assert.Equal(stack.WindowFor(new OfferedOptions(1460, true, true, 555)), synAck.Window);
        var expected = new byte[40];
        int length = stack.WriteSynAckOptions(expected, new OfferedOptions(1460, true, true, 555), synAck.TsVal!.Value);
        Assert.Equal(Convert.ToHexString(expected, 0, length), synAck.OptionsHex);
        Assert.Equal(555u, synAck.TsEcr);
        if (stack.ConnectionIds == IpIdKind.Zero)
            Assert.Equal(0, synAck.Id);

        ushort closed = 10_000;
        var reset = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40001, address, closed, Syn, 2000)));
        Assert.Equal(TcpFlags.RstAck, reset.Flags);
        Assert.Equal(2001u, reset.Ack);
        Assert.Equal(stack.TimeToLive, reset.Ttl);
        Assert.Equal(stack.ResetDontFragment, reset.Df);
        Assert.Equal(0, reset.OptionsLength);
    }

    [Theory]
    [InlineData(OsFamily.Linux, true)]
    [InlineData(OsFamily.Windows, false)]
    public void A_syn_asking_for_ecn_gets_ece_from_a_stack_that_accepts_it(OsFamily family, bool ece)
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, family);
        var synAck = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, face.OpenPorts().First(),
            Syn | TcpFlags.Ece | TcpFlags.Cwr, 1000)));
        Assert.Equal(ece ? TcpFlags.SynAck | TcpFlags.Ece : TcpFlags.SynAck, synAck.Flags);
    }

    [Fact]
    public void The_timestamp_clock_ticks_at_the_stacks_rate()
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, OsFamily.Linux);
        ushort port = face.OpenPorts().First();
        uint first = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, Syn, 1000, options: LinuxSynOptions(1)))).TsVal!.Value;
        harness.Wait(2.5);
        // (The first SYN-ACK's retransmissions leave on the way, at 1 and 3 s: the new flow's is the last.)
        uint later = Read(harness.Feed(Frames.Tcp(EngineHarness.Attacker, 40002, address, port, Syn, 5000, options: LinuxSynOptions(1))).Last()).TsVal!.Value;
        Assert.Equal(2500u, later - first); // 1000 Hz, one clock for one peer
    }

    [Fact]
    public void An_unsolicited_ack_gets_a_listeners_rst_not_a_zero_window()
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, OsFamily.Linux);
        var reset = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, face.OpenPorts().First(), Ack, 77, 123_456_789, payloadLength: 1)));
        Assert.Equal(TcpFlags.Rst, reset.Flags);
        Assert.Equal(123_456_789u, reset.Seq); // RFC 9293: <SEQ=SEG.ACK><CTL=RST>
        Assert.Equal(0, harness.Engine.Counters.PersistTrapped);
    }

    [Fact]
    public void A_banner_port_resets_an_unsolicited_ack_too()
    {
        var ports = LaBreaSharp.Core.Tarpit.Behaviours.PortMap.Build(new(LaBreaSharp.Core.Tarpit.Behaviours.TcpBehaviour.ClosedPort),
            [(PortSet.Parse("22"), new(LaBreaSharp.Core.Tarpit.Behaviours.TcpBehaviour.Banner, LaBreaSharp.Core.Tarpit.Behaviours.BannerKind.Ssh))]);
        var harness = new EngineHarness(EngineHarness.DefaultConfiguration with { Profile = TarpitProfile.Stealth, Ports = ports });
        harness.Claim(Address(20));
        var reset = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, Address(20), 22, Ack, 77, 555, payloadLength: 1)));
        Assert.Equal(TcpFlags.Rst, reset.Flags);
        Assert.Equal(555u, reset.Seq);

        // Its SYN-ACK has the stack's options for a SYN without timestamps or scaling (the drip carries neither).
        var stack = harness.Engine.Personalities!.Of(Address(20)).Stack;
        var synAck = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40001, Address(20), 22, Syn, 9, options: LinuxSynOptions(5))));
        var expected = new byte[40];
        int length = stack.WriteSynAckOptions(expected, new OfferedOptions(1460, false, true, null), 0);
        Assert.Equal(Convert.ToHexString(expected, 0, length), synAck.OptionsHex);
        Assert.Equal(stack.TimeToLive, synAck.Ttl);
        Assert.Null(synAck.TsVal);
    }

    [Fact]
    public void Classic_still_ignores_an_unsolicited_ack()
    {
        var harness = new EngineHarness();
        harness.Claim(EngineHarness.Unused);
        harness.FeedExpectingNone(Frames.Tcp(EngineHarness.Attacker, 40000, EngineHarness.Unused, 80, Ack, 77, 123_456_789, payloadLength: 1));
    }

    [Theory]
    [InlineData(OsFamily.Linux, TcpFlags.None, false)]
    [InlineData(OsFamily.Linux, TcpFlags.Fin | TcpFlags.Psh | TcpFlags.Urg, false)]
    [InlineData(OsFamily.Linux, TcpFlags.Syn | TcpFlags.Fin, false)]
    [InlineData(OsFamily.Windows, TcpFlags.None, true)]
    [InlineData(OsFamily.Windows, TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Psh | TcpFlags.Urg, true)]
    [InlineData(OsFamily.Router, TcpFlags.Fin, false)]
    public void Odd_flags_to_an_open_port_get_what_the_stack_gives_them(OsFamily family, TcpFlags flags, bool reset)
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, family);
        var sent = harness.Feed(Frames.Tcp(EngineHarness.Attacker, 40000, address, face.OpenPorts().First(), flags, 1000));
        if (!reset)
        {
            Assert.Empty(sent);
            return;
        }
        var answer = Read(Assert.Single(sent));
        Assert.Equal(TcpFlags.RstAck, answer.Flags);
    }

    [Fact]
    public void The_printer_takes_a_syn_fin_for_a_syn()
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, OsFamily.Printer);
        var answer = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, face.OpenPorts().First(), Syn | TcpFlags.Fin, 1000)));
        Assert.Equal(TcpFlags.SynAck, answer.Flags);
    }

    [Fact]
    public void The_window_closes_as_the_buffer_fills_every_ack_has_a_timestamp_and_probes_are_answered_exactly()
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, OsFamily.Linux);
        ushort port = face.OpenPorts().First();
        var synAck = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, Syn, 1000, options: LinuxSynOptions(100))));
        uint isn = synAck.Seq, ourClock = synAck.TsVal!.Value;
        int buffer = synAck.Window, shift = face.Stack.WindowScale!.Value;
        harness.FeedExpectingNone(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, Ack, 1001, isn + 1, options: TimestampOption(101, ourClock)));

        uint next = 1001, peerClock = 102;
        var windows = new List<int>();
        while (true)
        {
            harness.Wait(0.01);
            var ack = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, Ack | TcpFlags.Psh, next, isn + 1,
                payloadLength: 1448, options: TimestampOption(peerClock, ourClock))));
            Assert.Equal(peerClock, ack.TsEcr); // RFC 7323: every segment carries one
            Assert.True(ack.TsVal >= ourClock);
            ourClock = ack.TsVal!.Value;
            next += (uint)Math.Min(1448, buffer - (next - 1001));
            Assert.Equal(next, ack.Ack);
            windows.Add(ack.Window << shift);
            peerClock++;
            if (ack.Window == 0)
                break;
            Assert.True(windows.Count < 100);
        }
        // Closed a segment at a time (not 10 to 0 at the first byte), the right edge never moving left.
        Assert.True(windows.Count > 40, $"closed after {windows.Count} segments");
        Assert.True(windows.Zip(windows.Skip(1)).All(w => w.Second <= w.First));
        Assert.Equal(buffer, (int)(next - 1001));
        Assert.Equal(1, harness.Engine.Counters.PersistTrapped);

        // A Linux window probe (no data, at snd_una - 1) and another stack's (one byte at snd_una):
        // both answered with ack = snd_una, window 0, and a timestamp.
        foreach (var (sequence, length) in new[] { (next - 1, 0), (next, 1) })
        {
            harness.Wait(60);
            var probeAck = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, Ack, sequence, isn + 1,
                payloadLength: length, options: TimestampOption(peerClock, ourClock))));
            Assert.Equal(next, probeAck.Ack);
            Assert.Equal(0, probeAck.Window);
            Assert.Equal(peerClock, probeAck.TsEcr);
            peerClock++;
        }
        Assert.Equal(2, harness.Engine.Counters.ProbesAnswered);
        var flow = harness.Engine.Trapped(1).Longest.Single();
        Assert.Equal(2, flow.Probes);
    }

    [Fact]
    public void Without_timestamps_or_scaling_the_acks_carry_no_options_and_an_unscaled_window()
    {
        var harness = Stealth();
        var (address, face) = Claimed(harness, OsFamily.Linux);
        ushort port = face.OpenPorts().First();
        var synAck = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, Syn, 1000)));
        Assert.Equal(64_240, synAck.Window); // Linux without timestamps: 44 x 1460
        Assert.Equal(4, synAck.OptionsLength); // MSS only: the SYN offered nothing else
        uint isn = synAck.Seq;
        var ack = Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, Ack, 1001, isn + 1, payloadLength: 1000)));
        Assert.Equal(64_240 - 1000, ack.Window);
        Assert.Equal(0, ack.OptionsLength);
    }

    [Fact]
    public void A_port_a_rule_names_is_open_on_every_address()
    {
        var ports = LaBreaSharp.Core.Tarpit.Behaviours.PortMap.Build(new(LaBreaSharp.Core.Tarpit.Behaviours.TcpBehaviour.ClosedPort),
            [(PortSet.Parse("8081"), new(LaBreaSharp.Core.Tarpit.Behaviours.TcpBehaviour.Persist))]);
        var harness = new EngineHarness(EngineHarness.DefaultConfiguration with { Profile = TarpitProfile.Stealth, Ports = ports });
        var (address, face) = Claimed(harness, OsFamily.Windows);
        Assert.False(face.IsOpen(8081));
        Assert.Equal(TcpFlags.SynAck, Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, 8081, Syn, 1))).Flags);
        Assert.Equal(TcpFlags.RstAck, Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, face.OpenPorts().First(), Syn, 1))).Flags);
    }
}

/// <summary>Stealth SYN-ACK retransmission: on the stack's schedule, with the same sequence number
/// and a fresh timestamp, stopped by the handshake's ACK or a RST, and never more than a backlog.</summary>
public class SynAckRetransmitTests
{
    private static Ipv4Address Linux(EngineHarness harness)
    {
        for (int last = 10; last < 250; last++)
        {
            var address = Ipv4Address.Parse($"192.0.2.{last}");
            if (harness.Engine.Personalities!.Of(address).Stack.Family == OsFamily.Linux)
            {
                harness.Claim(address);
                return address;
            }
        }
        throw new InvalidOperationException("no Linux address");
    }

    private static EngineHarness Stealth() => new(EngineHarness.DefaultConfiguration with { Profile = TarpitProfile.Stealth });

    /// <summary>Advances the clock in 100 ms steps for <paramref name="seconds"/>, and returns when each reply left (seconds from the start).</summary>
    private static List<double> RunFor(EngineHarness harness, double seconds)
    {
        var times = new List<double>();
        for (int step = 1; step <= seconds * 10; step++)
        {
            harness.Wait(0.1);
            int before = harness.Sent.Count;
            harness.Engine.Advance(harness.Now);
            for (int i = before; i < harness.Sent.Count; i++)
                times.Add(step / 10.0);
        }
        return times;
    }

    [Fact]
    public void A_stalled_handshake_gets_linuxs_five_retransmissions_with_the_same_isn()
    {
        var harness = Stealth();
        var address = Linux(harness);
        ushort port = harness.Engine.Personalities!.Of(address).OpenPorts().First();
        var first = Reply.Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, TcpFlags.Syn, 1000)));
        int sentBefore = harness.Sent.Count;
        var times = RunFor(harness, 40);
        Assert.Equal(new[] { 1.0, 3.0, 7.0, 15.0, 31.0 }, times.ToArray());
        foreach (var frame in harness.Sent.Skip(sentBefore))
        {
            var again = Reply.Read(frame);
            Assert.Equal(TcpFlags.SynAck, again.Flags);
            Assert.Equal(first.Sequence, again.Sequence);
            Assert.Equal(1001u, again.Acknowledgment);
        }
        Assert.Equal(5, harness.Engine.Counters.SynAckRetransmits);
    }

    [Theory]
    [InlineData(TcpFlags.Ack)]
    [InlineData(TcpFlags.Rst)]
    public void The_handshakes_ack_or_a_rst_stops_them(TcpFlags flags)
    {
        var harness = Stealth();
        var address = Linux(harness);
        ushort port = harness.Engine.Personalities!.Of(address).OpenPorts().First();
        var synAck = Reply.Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, TcpFlags.Syn, 1000)));
        Assert.Single(RunFor(harness, 2)); // the first, at 1 s
        harness.Feed(Frames.Tcp(EngineHarness.Attacker, 40000, address, port, flags, 1001, flags == TcpFlags.Ack ? synAck.Sequence + 1 : 0));
        Assert.Empty(RunFor(harness, 40));
    }

    [Fact]
    public void Past_a_backlog_of_pending_syn_acks_a_flood_gets_one_each()
    {
        var harness = Stealth();
        var address = Linux(harness);
        ushort port = harness.Engine.Personalities!.Of(address).OpenPorts().First();
        harness.CheckFrames = false;
        int flood = 4096 + 100;
        for (int i = 0; i < flood; i++)
            harness.Feed(Frames.Tcp(Ipv4Address.Parse($"198.51.100.{i % 250 + 1}"), (ushort)(10_000 + i), address, port, TcpFlags.Syn, (uint)i));
        Assert.Equal(100, harness.Engine.Counters.SynAckRetransmitsSkipped);
        harness.Wait(1.5);
        int before = harness.Sent.Count;
        harness.Engine.Advance(harness.Now);
        Assert.InRange(harness.Sent.Count - before, 1, 4096); // table size 1024 in the harness: evicted flows are not repeated
    }
}

/// <summary>Stealth MACs: each address answers ARP from a MAC of its stack's vendors, frames to that
/// MAC are ours and answered from it, and our own faces' frames seen again are nobody's sign of life.</summary>
public class StealthMacTests
{
    private static EngineHarness Stealth() => new(EngineHarness.DefaultConfiguration with { Profile = TarpitProfile.Stealth });

    private static (MacAddress From, MacAddress SenderMac) ArpAnswer(byte[] frame)
    {
        Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
        Assert.True(ArpPacket.TryRead(ethernet.Payload, out var arp));
        return (ethernet.Source, arp.SenderMac);
    }

    [Fact]
    public void Addresses_answer_arp_with_vendor_macs_of_their_stack_and_differ_from_one_another()
    {
        var harness = Stealth();
        var macs = new HashSet<MacAddress>();
        for (int last = 10; last < 30; last++)
        {
            var address = Ipv4Address.Parse($"192.0.2.{last}");
            harness.Claim(address);
            var face = harness.Engine.Personalities!.Of(address);
            var (from, sender) = ArpAnswer(harness.FeedExpectingOne(Frames.ArpRequest(EngineHarness.AttackerMac, EngineHarness.Attacker, address)));
            Assert.Equal(face.Mac, from);
            Assert.Equal(face.Mac, sender);
            Assert.False(sender.IsGroup || sender.IsLocallyAdministered);
            Assert.Contains((uint)(sender.Value >> 24), face.Stack.Ouis);
            macs.Add(sender);
            var capture = harness.EventsOf(TarpitEventKind.Capture).Last();
            Assert.Equal((address, face.Mac, face.Stack.Name), (capture.Destination, capture.Mac, capture.System)); // the log says who it plays
        }
        Assert.Equal(20, macs.Count);
    }

    [Fact]
    public void A_frame_to_the_face_mac_is_answered_from_it_and_another_mac_is_not_ours()
    {
        var harness = Stealth();
        var address = Ipv4Address.Parse("192.0.2.40");
        harness.Claim(address);
        var face = harness.Engine.Personalities!.Of(address);
        var reply = Reply.Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, address, 9, TcpFlags.Syn, 1, to: face.Mac)));
        Assert.Equal(face.Mac, reply.From);
        Assert.Equal(TcpFlags.RstAck, reply.Flags); // port 9 is no stack's
        var other = Ipv4Address.Parse("192.0.2.41");
        harness.Claim(other);
        harness.FeedExpectingNone(Frames.Tcp(EngineHarness.Attacker, 40000, other, 9, TcpFlags.Syn, 1, to: face.Mac)); // .40's MAC is not .41's
    }

    [Fact]
    public void Our_own_faces_frames_seen_again_do_not_release_the_claim()
    {
        var harness = Stealth();
        var address = Ipv4Address.Parse("192.0.2.50");
        harness.Claim(address);
        var mac = harness.Engine.Personalities!.Of(address).Mac;
        harness.FeedExpectingNone(Frames.ArpReply(mac, address, EngineHarness.AttackerMac, EngineHarness.Attacker));
        harness.FeedExpectingNone(Frames.Tcp(address, 80, EngineHarness.Attacker, 40000, TcpFlags.SynAck, 1, 2, from: mac, to: EngineHarness.AttackerMac));
        Assert.True(harness.Engine.Claims.IsClaimed(address));
        // Another MAC speaking for it is a live host: the claim is given back.
        harness.Feed(Frames.ArpReply(MacAddress.Parse("00:11:22:33:44:55"), address, EngineHarness.AttackerMac, EngineHarness.Attacker));
        Assert.False(harness.Engine.Claims.IsClaimed(address));
    }
}

/// <summary>Routed space sits behind this gateway: its stealth hosts answer one hop further.</summary>
public class StealthRoutedTests
{
    [Fact]
    public void Routed_space_answers_with_one_less_than_the_stacks_ttl()
    {
        var harness = new EngineHarness(EngineHarness.DefaultConfiguration with
        {
            Profile = TarpitProfile.Stealth, Networks = [], Routed = [Cidr.Parse("198.51.100.0/24")],
        });
        var target = Ipv4Address.Parse("198.51.100.9");
        var stack = harness.Engine.Personalities!.Of(target).Stack;
        var reply = Reply.Read(harness.FeedExpectingOne(Frames.Tcp(EngineHarness.Attacker, 40000, target, 9, TcpFlags.Syn, 1, to: EngineHarness.HostMac)));
        Assert.Equal(EngineHarness.HostMac, reply.From);
        Assert.Equal(stack.TimeToLive - 1, reply.TimeToLive);
    }
}
