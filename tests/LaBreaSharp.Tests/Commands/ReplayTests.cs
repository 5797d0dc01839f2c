using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Tests.Commands;

/// <summary>The fixtures through <c>labreasharp replay</c>, asserting on the frames it writes (each of
/// them read through <see cref="IndependentFrameCheck"/> too).</summary>
public sealed class ReplayTests : IDisposable
{
    /// <summary>How scripts/record-fixtures.sh ran the live tarpit that made tarpit-session.pcap.</summary>
    private static readonly string[] SessionIdentity = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01"];
    private static readonly MacAddress SessionTarpitMac = MacAddress.Parse("06:00:00:00:02:01");

    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Temp(string name) => Path.Combine(_directory, name);

    private (List<CapturedPacket> Replies, string Log, string Summary) Replay(string fixture, params string[] options)
    {
        var output = Temp(Guid.NewGuid().ToString("N") + ".pcap");
        var (code, log, summary) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture(fixture), "-w", output, .. options]);
        Assert.True(code == 0, summary);
        return (CapturedPacket.ReadReplies(output), log, summary);
    }

    [Fact]
    public void Replaying_a_live_session_reproduces_every_frame_the_live_tarpit_sent()
    {
        var live = CapturedPacket.ReadAll(RepositoryPaths.Fixture("tarpit-session.pcap"))
            .Where(f => f.Source == SessionTarpitMac).ToList();
        var (replies, _, _) = Replay("tarpit-session.pcap", SessionIdentity);
        Assert.True(live.Count >= 15, $"the fixture holds {live.Count} tarpit frames");
        Assert.Equal(live.Count, replies.Count);
        for (int i = 0; i < live.Count; i++)
            Assert.Equal(live[i].Bytes, replies[i].Bytes);
    }

    [Fact]
    public void The_session_shows_synacks_with_window_10_and_a_persist_trap_answered_at_snd_una()
    {
        var (replies, log, summary) = Replay("tarpit-session.pcap", [.. SessionIdentity, "--log-format", "json"]);
        var tcp = CapturedPacket.Tcp(replies);

        var synAcks = tcp.Where(t => t.Flags == (TcpFlags.Syn | TcpFlags.Ack)).ToList();
        Assert.Equal(6, synAcks.Count); // curl, nmap -sS on 22/80/443, nmap -sT on 22/80
        Assert.All(synAcks, t => Assert.Equal(10, t.Window));

        var input = CapturedPacket.Tcp(CapturedPacket.ReadAll(RepositoryPaths.Fixture("tarpit-session.pcap")))
            .Where(t => t.DestinationPort == 80 && t.Source == Ipv4Address.Parse("192.0.2.2")).ToList();
        var curlSyn = input.First(t => t.Flags == TcpFlags.Syn && t.Payload == 0 && t.Sequence != input.Last(s => s.Flags == TcpFlags.Syn).Sequence);
        var curlSynAck = synAcks.First(t => t.DestinationPort == curlSyn.SourcePort);
        Assert.Equal(curlSyn.Sequence + 1, curlSynAck.Acknowledgment);

        // The first data (10 bytes: the window) is taken; every answer after it acknowledges exactly that point, window 0.
        var trap = tcp.Where(t => t.DestinationPort == curlSyn.SourcePort && t.Flags == TcpFlags.Ack).ToList();
        Assert.True(trap.Count >= 5, $"{trap.Count} window-0 ACKs");
        Assert.All(trap, t => Assert.Equal((curlSyn.Sequence + 11, (ushort)0, curlSynAck.Sequence + 1), (t.Acknowledgment, t.Window, t.Sequence)));
        // ...and each probe the client sent was at snd_una - 1 and got exactly one answer.
        var probes = input.Where(t => t.SourcePort == curlSyn.SourcePort && t.Flags == TcpFlags.Ack && t.Payload == 0 && t.Sequence == curlSyn.Sequence + 10).ToList();
        Assert.Equal(probes.Count, trap.Count - 1);

        var events = CliRunner.Lines(log).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
        Assert.Equal(1, events.Count(e => e == "capture"));
        Assert.Equal(6, events.Count(e => e == "connect"));
        Assert.Equal(1, events.Count(e => e == "persist"));
        Assert.Equal(3, events.Count(e => e == "ping"));
        Assert.Matches(@"persist-trapped:\s+1", summary);
    }

    [Fact]
    public void A_banner_port_answers_the_captured_request_with_a_status_line_and_the_same_seed_the_same_bytes()
    {
        string[] banner = [.. SessionIdentity, "--banner", "80=http", "--banner-delay", "1", "-q"];
        var (replies, _, summary) = Replay("tarpit-session.pcap", banner);
        var data = CapturedPacket.Tcp(replies).Where(t => t.SourcePort == 80 && t.Payload > 0).ToList();
        Assert.NotEmpty(data);
        Assert.Equal("HTTP/1.1 200 OK\r\n".Length, data[0].Payload);
        Assert.DoesNotContain(CapturedPacket.Tcp(replies), t => t.SourcePort == 80 && t.Window == 0); // no persist trap on 80 now
        Assert.Matches(@"banner flows:\s+[1-9]", summary);
        var (again, _, _) = Replay("tarpit-session.pcap", banner);
        Assert.Equal(replies.Select(r => r.Bytes), again.Select(r => r.Bytes));
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_output()
    {
        var first = Temp("first.pcap");
        var second = Temp("second.pcap");
        foreach (var path in new[] { first, second })
            Assert.Equal(0, CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", path, "-q", .. SessionIdentity]).ExitCode);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));

        var other = Temp("other.pcap");
        Assert.Equal(0, CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", other, "-q", "--seed", "2", .. SessionIdentity[2..]]).ExitCode);
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(other));
    }

    [Fact]
    public void Tarpit_mode_answers_only_syns_pings_and_arp()
    {
        var (replies, _, _) = Replay("tarpit-session.pcap", [.. SessionIdentity, "--mode", "Tarpit", "-q"]); // enum values in any case
        var tcp = CapturedPacket.Tcp(replies);
        Assert.Equal(6, tcp.Count);
        Assert.All(tcp, t => Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, t.Flags));
        Assert.Equal(3, replies.Count(r => r.IsEchoReply));  // the session's three pings
        Assert.Contains(replies, r => r.IsArpReply);          // the claim
        Assert.Single(replies, r => r.IsArpProbe);            // asked for once, before it
        Assert.Equal(replies.Count, tcp.Count + 3 + replies.Count(r => r.IsArpReply) + 1); // and nothing else
    }

    [Fact]
    public void A_routed_address_answers_an_nmap_syn_scan_with_one_synack_per_port()
    {
        // In nmap-syn-scan.pcap the frames go to 02:00:00:00:02:64: replayed as that host, with 192.0.2.100 routed to it.
        var (replies, _, _) = Replay("nmap-syn-scan.pcap", "--routed", "192.0.2.100/32", "--my-mac", "02:00:00:00:02:64", "--seed", "3", "-q");
        var tcp = CapturedPacket.Tcp(replies);
        Assert.Equal(5, tcp.Count);
        Assert.All(tcp, t => Assert.Equal((TcpFlags.Syn | TcpFlags.Ack, (ushort)10), (t.Flags, t.Window)));
        Assert.Equal(new ushort[] { 22, 25, 80, 443, 8080 }, tcp.Select(t => t.SourcePort).Order().ToArray());
    }

    [Fact]
    public void Excluded_ports_get_rst_ack_and_firewall_silences_them()
    {
        var (replies, _, _) = Replay("nmap-syn-scan.pcap", "--routed", "192.0.2.100/32", "--my-mac", "02:00:00:00:02:64", "--ports", "80", "-q");
        var tcp = CapturedPacket.Tcp(replies);
        Assert.Equal(5, tcp.Count);
        Assert.Equal(4, tcp.Count(t => t.Flags == (TcpFlags.Rst | TcpFlags.Ack)));
        Assert.Single(tcp, t => t.Flags == (TcpFlags.Syn | TcpFlags.Ack) && t.SourcePort == 80);
        var (silent, _, _) = Replay("nmap-syn-scan.pcap", "--routed", "192.0.2.100/32", "--my-mac", "02:00:00:00:02:64", "--ports", "80", "--firewall", "-q");
        var answered = Assert.Single(CapturedPacket.Tcp(silent));
        Assert.Equal((TcpFlags.Syn | TcpFlags.Ack, (ushort)80), (answered.Flags, answered.SourcePort));
    }

    [Fact]
    public void Merged_output_interleaves_input_and_replies()
    {
        var replies = Temp("replies.pcap");
        var merged = Temp("merged.pcap");
        Assert.Equal(0, CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", replies, "--merged", merged, "-q", .. SessionIdentity]).ExitCode);
        var input = CapturedPacket.ReadAll(RepositoryPaths.Fixture("tarpit-session.pcap"));
        var all = CapturedPacket.ReadAll(merged);
        Assert.Equal(input.Count + CapturedPacket.ReadReplies(replies).Count, all.Count);
        Assert.Equal(all.Select(f => f.Timestamp).Order(), all.Select(f => f.Timestamp)); // in time order
    }

    [Fact]
    public void Someone_elses_capture_of_spoofed_syns_and_synacks_replays_without_a_hitch()
    {
        var path = Path.Combine(RepositoryPaths.SharedPcaps, "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng");
        Assert.True(File.Exists(path), $"expected {path}");
        var input = CapturedPacket.ReadAll(path);
        Assert.True(EthernetFrame.TryRead(input[0].Bytes, out var first));
        var output = Temp("amp.pcap");
        var (code, _, summary) = CliRunner.Run("replay", "-r", path, "-w", output, "--routed", "10.10.10.10/32",
            "--my-mac", first.Destination.ToString(), "--seed", "4", "-q");
        Assert.Equal(0, code);
        var replies = CapturedPacket.Tcp(CapturedPacket.ReadReplies(output));
        Assert.NotEmpty(replies);
        Assert.All(replies, t => Assert.True(t.Flags is (TcpFlags.Syn | TcpFlags.Ack) or TcpFlags.Rst, t.Flags.ToString()));
        Assert.Matches(@"malformed:\s+0", summary);
    }
}
