using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

public class TcpBehaviourTests
{
    private const uint ClientIsn = 1_000_000;
    private const ushort ClientPort = 40000;

    private static EngineHarness Claimed(TarpitConfiguration? configuration = null, ulong seed = 42)
    {
        var h = new EngineHarness(configuration, seed);
        h.Claim(Unused);
        return h;
    }

    private static byte[] Segment(TcpFlags flags, uint sequence, uint acknowledgment = 0, int payload = 0, ushort port = 80) =>
        Frames.Tcp(Attacker, ClientPort, Unused, port, flags, sequence, acknowledgment, payload);

    /// <summary>Handshake plus <paramref name="data"/> bytes of first data; returns the cookie.</summary>
    private static uint Trap(EngineHarness h, int data = 10)
    {
        var synAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 1, synAck.Sequence + 1));
        var ack = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, synAck.Sequence + 1, data)));
        Assert.Equal(0, ack.Window);
        Assert.Equal(ClientIsn + 1 + (uint)data, ack.Acknowledgment);
        return synAck.Sequence;
    }

    [Fact]
    public void A_syn_gets_a_cookie_synack_with_a_tiny_window_and_no_options()
    {
        var h = Claimed();
        var reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        Assert.Equal(TcpFlags.SynAck, reply.Flags);
        Assert.Equal(ClientIsn + 1, reply.Acknowledgment);
        Assert.Equal(10, reply.Window);
        Assert.Equal(20, reply.HeaderLength);          // no TCP options
        Assert.Equal(64, reply.TimeToLive);
        Assert.True(reply.ChecksumsValid);
        Assert.Equal((AttackerMac, TarpitMac), (reply.To, reply.From));
        Assert.Equal((Unused, Attacker, (ushort)80, ClientPort), (reply.Source, reply.Destination, reply.SourcePort, reply.DestinationPort));
        Assert.Equal(h.Engine.Cookie.For(new FlowKey(Attacker, Unused, ClientPort, 80)), reply.Sequence);

        var connect = Assert.Single(h.EventsOf(TarpitEventKind.Connect));
        Assert.Equal((Attacker, ClientPort, Unused, (ushort)80), (connect.Source, connect.SourcePort, connect.Destination, connect.DestinationPort));
        Assert.Equal(FlowState.SynAcked, h.Engine.Flows[h.Engine.Flows.Find(new FlowKey(Attacker, Unused, ClientPort, 80))].State);
    }

    [Fact]
    public void The_cookie_is_a_keyed_hash_of_the_four_tuple()
    {
        uint Cookie(ulong seed, ushort port) => Reply.Read(Claimed(seed: seed).FeedExpectingOne(Frames.Tcp(Attacker, port, Unused, 80, TcpFlags.Syn, 7))).Sequence;
        Assert.Equal(Cookie(1, 40000), Cookie(1, 40000));
        Assert.NotEqual(Cookie(1, 40000), Cookie(1, 40001));
        Assert.NotEqual(Cookie(1, 40000), Cookie(2, 40000));
    }

    [Fact]
    public void A_retransmitted_syn_is_answered_again_but_is_one_connection()
    {
        var h = Claimed();
        var first = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        var again = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Single(h.EventsOf(TarpitEventKind.Connect));
    }

    [Fact]
    public void The_handshake_ack_gets_no_reply_and_marks_the_flow_established()
    {
        var h = Claimed();
        var synAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 1, synAck.Sequence + 1));
        Assert.Single(h.EventsOf(TarpitEventKind.Established));
    }

    [Fact]
    public void The_first_data_is_acknowledged_with_window_zero()
    {
        var h = Claimed();
        var synAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 1, synAck.Sequence + 1));
        var ack = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, synAck.Sequence + 1, 10)));
        Assert.Equal(TcpFlags.Ack, ack.Flags);
        Assert.Equal(0, ack.Window);
        Assert.Equal(synAck.Sequence + 1, ack.Sequence);
        Assert.Equal(ClientIsn + 11, ack.Acknowledgment);
        Assert.Equal(0, ack.PayloadLength);
        var persist = Assert.Single(h.EventsOf(TarpitEventKind.Persist));
        Assert.Equal(10, persist.Count);
        Assert.Equal(1, h.Engine.Counters.PersistTrapped);
    }

    [Fact]
    public void Linux_zero_length_probe_at_snd_una_minus_one_is_acked_at_snd_una()
    {
        var h = Claimed();
        uint cookie = Trap(h, data: 10);
        uint sndUna = ClientIsn + 11;
        for (int i = 0; i < 20; i++)
        {
            h.Wait(120);
            var reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack, sndUna - 1, cookie + 1)));
            Assert.Equal(sndUna, reply.Acknowledgment);   // exactly snd_una: Linux resets its probe counter
            Assert.Equal(0, reply.Window);
            Assert.Equal(cookie + 1, reply.Sequence);
            Assert.Equal(TcpFlags.Ack, reply.Flags);
        }
        Assert.Equal(20, h.Engine.Counters.ProbesAnswered);
        Assert.Equal(20, h.EventsOf(TarpitEventKind.Probe).Count());
    }

    [Fact]
    public void A_one_byte_probe_at_snd_una_is_acked_without_taking_the_byte()
    {
        var h = Claimed();
        uint cookie = Trap(h, data: 4);
        uint sndUna = ClientIsn + 5;
        var reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack, sndUna, cookie + 1, payload: 1)));
        Assert.Equal(sndUna, reply.Acknowledgment);
        Assert.Equal(0, reply.Window);
        reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack, sndUna, cookie + 1, payload: 1)));
        Assert.Equal(sndUna, reply.Acknowledgment);
    }

    [Fact]
    public void Data_still_in_flight_inside_the_offered_window_is_taken()
    {
        var h = Claimed();
        uint cookie = Trap(h, data: 4);
        var reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 5, cookie + 1, payload: 6)));
        Assert.Equal(ClientIsn + 11, reply.Acknowledgment);
        Assert.Equal(0, reply.Window);
    }

    [Fact]
    public void A_probe_is_held_even_when_the_flow_is_missing_from_the_table()
    {
        // The same seed gives the same cookie key: a tarpit restarted with --seed still holds its victims.
        var before = Claimed(seed: 7);
        uint cookie = Trap(before);
        var after = Claimed(seed: 7);
        Assert.Equal(0, after.Engine.Flows.Count); // a fresh table: nothing about this flow
        uint sndUna = ClientIsn + 11;
        var reply = Reply.Read(after.FeedExpectingOne(Segment(TcpFlags.Ack, sndUna - 1, cookie + 1)));
        Assert.Equal(sndUna, reply.Acknowledgment);
        Assert.Equal(0, reply.Window);
        // and from then on it is a known persist flow: a one-byte probe is not taken
        reply = Reply.Read(after.FeedExpectingOne(Segment(TcpFlags.Ack, sndUna, cookie + 1, payload: 1)));
        Assert.Equal(sndUna, reply.Acknowledgment);
    }

    [Fact]
    public void Segments_without_the_cookie_are_not_answered()
    {
        var h = Claimed();
        uint cookie = Trap(h);
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 10, cookie + 2));
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 10, 12345));
    }

    [Fact]
    public void Data_beyond_the_offered_window_is_not_acknowledged()
    {
        var h = Claimed();
        var synAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        h.FeedExpectingNone(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, synAck.Sequence + 1, 11));
        Assert.Empty(h.EventsOf(TarpitEventKind.Persist));
    }

    [Fact]
    public void Fin_and_rst_are_ignored_and_probes_after_a_fin_are_still_answered()
    {
        var h = Claimed();
        uint cookie = Trap(h);
        uint sndUna = ClientIsn + 11;
        h.FeedExpectingNone(Segment(TcpFlags.Fin | TcpFlags.Ack, sndUna, cookie + 1));
        Assert.Single(h.EventsOf(TarpitEventKind.CloseIgnored));
        // FIN-WAIT-1: the attacker's kernel keeps probing, and keeps being answered.
        var reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack, sndUna - 1, cookie + 1)));
        Assert.Equal(sndUna, reply.Acknowledgment);
        h.FeedExpectingNone(Segment(TcpFlags.Rst | TcpFlags.Ack, sndUna, cookie + 1));
        h.FeedExpectingNone(Segment(TcpFlags.Rst, sndUna));
        Assert.Single(h.EventsOf(TarpitEventKind.CloseIgnored)); // once per flow
    }

    [Fact]
    public void Tarpit_mode_answers_the_syn_and_nothing_after()
    {
        var h = Claimed(DefaultConfiguration with { Ports = PortMap.Uniform(TcpBehaviour.Tarpit) });
        var synAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn)));
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn + 1, synAck.Sequence + 1));
        h.FeedExpectingNone(Segment(TcpFlags.Ack | TcpFlags.Psh, ClientIsn + 1, synAck.Sequence + 1, 10));
        h.FeedExpectingNone(Segment(TcpFlags.Ack, ClientIsn, synAck.Sequence + 1));
        Assert.Single(h.EventsOf(TarpitEventKind.Established));
        Assert.Empty(h.EventsOf(TarpitEventKind.Persist));
    }

    [Fact]
    public void The_window_is_configurable()
    {
        var h = Claimed(DefaultConfiguration with { Window = 3 });
        Assert.Equal(3, Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn))).Window);
    }

    [Fact]
    public void An_unsolicited_synack_gets_a_rst_whose_sequence_is_its_ack()
    {
        var h = Claimed();
        var reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.SynAck, 555, 777_777)));
        Assert.Equal(TcpFlags.Rst, reply.Flags);
        Assert.Equal(777_777u, reply.Sequence);
        Assert.Single(h.EventsOf(TarpitEventKind.SynAckRst));

        var quiet = Claimed(DefaultConfiguration with { AnswerSynAckWithRst = false });
        quiet.FeedExpectingNone(Segment(TcpFlags.SynAck, 555, 777_777));
    }

    [Fact]
    public void Ports_outside_the_list_and_excluded_ports_answer_like_closed_ports()
    {
        var h = Claimed(DefaultConfiguration with
        {
            Ports = PortMap.Classic(TcpBehaviour.Persist, PortSet.Parse("80,443"), excluded: PortSet.Parse("443"), firewall: false),
        });
        Assert.Equal(TcpFlags.SynAck, Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn, port: 80))).Flags);
        foreach (ushort port in new ushort[] { 22, 443 })
        {
            var reply = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Syn, ClientIsn, port: port)));
            Assert.Equal(TcpFlags.RstAck, reply.Flags);
            Assert.Equal(0u, reply.Sequence);
            Assert.Equal(ClientIsn + 1, reply.Acknowledgment);
        }
        var toAck = Reply.Read(h.FeedExpectingOne(Segment(TcpFlags.Ack, ClientIsn, 99, port: 22)));
        Assert.Equal((TcpFlags.Rst, 99u), (toAck.Flags, toAck.Sequence));
        h.FeedExpectingNone(Segment(TcpFlags.Rst, ClientIsn, port: 22)); // never a RST for a RST
    }

    [Fact]
    public void Firewall_mode_drops_what_is_not_tarpitted()
    {
        var h = Claimed(DefaultConfiguration with
        {
            Ports = PortMap.Classic(TcpBehaviour.Persist, PortSet.All, excluded: PortSet.Parse("22"), firewall: true),
        });
        h.FeedExpectingNone(Segment(TcpFlags.Syn, ClientIsn, port: 22));
        Assert.Single(h.Feed(Segment(TcpFlags.Syn, ClientIsn, port: 80)));
    }

    [Theory]
    [InlineData("224.0.0.5")]       // multicast
    [InlineData("255.255.255.255")] // broadcast
    [InlineData("240.0.0.1")]       // class E
    [InlineData("0.0.0.9")]         // this network
    [InlineData("127.0.0.1")]       // loopback
    [InlineData("192.0.2.1")]       // the host itself
    [InlineData("192.0.2.255")]     // the network's broadcast
    [InlineData("203.0.113.5")]     // --ignore-source
    public void Sources_that_must_never_be_answered(string source)
    {
        var h = Claimed(DefaultConfiguration with { IgnoredSources = AddressSet.Of(Cidr.Parse("203.0.113.0/24")) });
        h.FeedExpectingNone(Frames.Tcp(Ipv4Address.Parse(source), ClientPort, Unused, 80, TcpFlags.Syn, ClientIsn, from: MacAddress.Parse("02:00:00:00:00:99")));
    }

    [Fact]
    public void Bad_checksums_fragments_and_ip_options_are_not_answered()
    {
        var h = Claimed();
        var badIp = Segment(TcpFlags.Syn, ClientIsn);
        badIp[24] ^= 0xff;
        h.FeedExpectingNone(badIp);
        var badTcp = Segment(TcpFlags.Syn, ClientIsn);
        badTcp[50] ^= 0xff;
        h.FeedExpectingNone(badTcp);
        Assert.Equal(2, h.Engine.Counters.BadChecksums);

        var fragment = Segment(TcpFlags.Syn, ClientIsn);
        fragment[20] = 0x20; // more fragments
        FixIpChecksum(fragment);
        h.FeedExpectingNone(fragment);
    }

    private static void FixIpChecksum(byte[] frame)
    {
        frame[24] = frame[25] = 0;
        ushort sum = Checksum.Compute(frame.AsSpan(14, 20));
        frame[24] = (byte)(sum >> 8);
        frame[25] = (byte)sum;
    }

    [Fact]
    public void An_address_that_is_not_claimed_is_not_answered()
    {
        var h = new EngineHarness();
        h.FeedExpectingNone(Segment(TcpFlags.Syn, ClientIsn));
    }

    [Fact]
    public void Synacks_carry_the_vlan_tags_back()
    {
        var h = Claimed();
        var tags = VlanTags.Double(300, 200);
        var reply = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, ClientPort, Unused, 80, TcpFlags.Syn, ClientIsn, tags: tags)));
        Assert.Equal(tags, reply.Tags);
    }

    [Fact]
    public void A_routed_subnet_is_answered_from_the_hosts_mac_without_arp()
    {
        var h = new EngineHarness(DefaultConfiguration with { Routed = [Cidr.Parse("198.51.100.0/24")] });
        var routed = Ipv4Address.Parse("198.51.100.7");
        var reply = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, ClientPort, routed, 80, TcpFlags.Syn, ClientIsn, to: HostMac)));
        Assert.Equal((TcpFlags.SynAck, HostMac, routed), (reply.Flags, reply.From, reply.Source));
        // the same frame sent to the tarpit MAC is not for routed space
        h.FeedExpectingNone(Frames.Tcp(Attacker, ClientPort, routed, 80, TcpFlags.Syn, ClientIsn));
    }

    [Fact]
    public void Host_ports_trap_only_the_listed_ports_of_the_host()
    {
        var h = new EngineHarness(DefaultConfiguration with { HostPorts = PortMap.ForHost(TcpBehaviour.Persist, PortSet.Parse("2222")) });
        var reply = Reply.Read(h.FeedExpectingOne(Frames.Tcp(Attacker, ClientPort, HostIp, 2222, TcpFlags.Syn, ClientIsn, to: HostMac)));
        Assert.Equal((TcpFlags.SynAck, HostMac, HostIp), (reply.Flags, reply.From, reply.Source));
        h.FeedExpectingNone(Frames.Tcp(Attacker, ClientPort, HostIp, 22, TcpFlags.Syn, ClientIsn, to: HostMac));
    }

    [Fact]
    public void Ping_to_a_claimed_address_is_answered_with_the_same_id_sequence_and_data()
    {
        var h = Claimed();
        var payload = "abcdefgh"u8.ToArray();
        var frame = h.FeedExpectingOne(Frames.Echo(Attacker, Unused, 77, 3, payload));
        Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
        Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
        Assert.Equal((Unused, Attacker), (ip.Source, ip.Destination));
        Assert.True(IcmpMessage.TryRead(ip.Payload, out var icmp));
        Assert.True(icmp.IsEchoReply);
        Assert.True(icmp.IsChecksumValid);
        Assert.Equal((77, 3), (icmp.Identifier, icmp.SequenceNumber));
        Assert.Equal(payload, icmp.Payload.ToArray());
        Assert.Single(h.EventsOf(TarpitEventKind.Ping));

        Claimed(DefaultConfiguration with { AnswerPing = false }).FeedExpectingNone(Frames.Echo(Attacker, Unused, 77, 3, payload));
    }

    [Fact]
    public void Malformed_frames_are_counted_and_never_thrown()
    {
        var h = Claimed();
        var syn = Segment(TcpFlags.Syn, ClientIsn);
        for (int length = 0; length < syn.Length; length++)
            h.FeedExpectingNone(syn[..length]);
        Assert.True(h.Engine.Counters.Malformed >= syn.Length - 14);
    }
}
