using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Tests.Commands;

/// <summary>Every recorded fixture, and someone else's capture, replayed under the behaviours and
/// modifiers that write different frames; every frame written passes <see cref="IndependentFrameCheck"/>
/// (PacketDotNet), and each replay shows the kinds of frame it is there for.</summary>
public sealed class ReplayFrameCheckTests : IDisposable
{
    private static readonly string[] Session = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01", "-q"];
    // nmap-syn-scan.pcap and curl-http.pcap go to 02:00:00:00:02:64: replayed as that host, with its address routed to it.
    private static readonly string[] Target = ["--routed", "192.0.2.100/32", "--my-mac", "02:00:00:00:02:64", "--seed", "3", "-q"];

    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-check-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string[], string[]> Replays => new()
    {
        // fixture, options, layers that must be among the replies
        { "tarpit-session.pcap", Session, ["ethernet/arp", "ethernet/ipv4/icmp", "ethernet/ipv4/tcp"] },
        { "tarpit-session.pcap", [.. Session, "--mode", "tarpit"], ["ethernet/arp", "ethernet/ipv4/tcp"] },
        { "tarpit-session.pcap", [.. Session, "--banner", "80=http", "--banner", "22=ssh", "--banner-delay", "1"], ["ethernet/ipv4/tcp"] },
        { "tarpit-session.pcap", [.. Session, "--noise", "0.3", "--ack-delay", "10-200", "--drop-after", "2", "--ban", "60"], ["ethernet/ipv4/tcp"] },
        { "tarpit-session.pcap", [.. Session, "--ports", "443", "--max-pps", "5"], ["ethernet/ipv4/tcp"] },
        { "nmap-syn-scan.pcap", Target, ["ethernet/ipv4/tcp"] },
        { "nmap-syn-scan.pcap", [.. Target, "--ports", "80"], ["ethernet/ipv4/tcp"] },
        { "curl-http.pcap", Target, ["ethernet/ipv4/tcp"] },
        { "curl-http.pcap", [.. Target, "--banner", "80=http", "--banner-delay", "1"], ["ethernet/ipv4/tcp"] },
        { "vlan-tagged.pcap", ["--hard-capture", "192.0.2.128/25", "--my-ip", "192.0.2.1/24", "--seed", "5", "-q"], ["ethernet/vlan/arp"] },
        // The sources are in 192.0.2.128/25 too: only the two destinations are routed, or the sources would be ours.
        { "vlan-tagged.pcap", ["--routed", "192.0.2.140/32", "--routed", "192.0.2.200/32", "--my-mac", "02:00:00:00:02:64", "--seed", "5", "-q"],
            ["ethernet/vlan/ipv4/icmp", "ethernet/vlan/vlan/ipv4/tcp"] },
    };

    [Theory]
    [MemberData(nameof(Replays))]
    public void Every_frame_a_replay_writes_passes_the_independent_check(string fixture, string[] options, string[] expected)
    {
        var output = Path.Combine(_directory, "replies.pcap");
        var (code, _, summary) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture(fixture), "-w", output, .. options]);
        Assert.True(code == 0, summary);
        var replies = CapturedPacket.ReadAll(output);
        Assert.NotEmpty(replies);
        var layers = new HashSet<string>();
        for (int i = 0; i < replies.Count; i++)
        {
            try
            {
                layers.Add(IndependentFrameCheck.Check(replies[i].Bytes));
            }
            catch (FrameCheckException e)
            {
                Assert.Fail($"reply {i} of {fixture} {string.Join(' ', options)}: {e.Message}");
            }
        }
        Assert.All(expected, layer => Assert.Contains(layer, layers));
    }

    [Fact]
    public void The_banner_replies_carry_data_and_the_synack_its_mss_option()
    {
        // The session's client acknowledges the seeded cookie (curl-http.pcap's acknowledges a real server's).
        var output = Path.Combine(_directory, "banner.pcap");
        Assert.Equal(0, CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, .. Session,
            "--banner", "80=http", "--banner-delay", "1"]).ExitCode);
        var replies = CapturedPacket.ReadReplies(output);
        Assert.Contains(replies, r => r.TryTcp(out var t) && t.Flags == TcpFlags.SynAck && t.Window == 64240);
        Assert.Contains(replies, r => r.TryTcp(out var t) && t.Payload > 0);
        // The check compared PacketDotNet's options with the project's; here the option is really there.
        var synAck = replies.First(r => r.TryTcp(out var t) && t.Flags == TcpFlags.SynAck).Bytes;
        Assert.True(EthernetFrame.TryRead(synAck, out var ethernet));
        Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
        Assert.True(TcpSegment.TryRead(ip.Payload, out var tcp));
        Assert.True(tcp.TryGetOptions(out var tcpOptions));
        Assert.Equal((ushort)1460, tcpOptions.MaximumSegmentSize);
    }

    [Fact]
    public void Someone_elses_spoofed_flood_gets_only_checked_frames_back()
    {
        var path = Path.Combine(RepositoryPaths.SharedPcaps, "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng");
        Assert.True(File.Exists(path), $"expected {path}");
        Assert.True(EthernetFrame.TryRead(CapturedPacket.ReadAll(path)[0].Bytes, out var first));
        var output = Path.Combine(_directory, "amp.pcap");
        foreach (var mode in new[] { "persist", "tarpit" })
        {
            Assert.Equal(0, CliRunner.Run("replay", "-r", path, "-w", output, "--routed", "10.10.10.10/32",
                "--my-mac", first.Destination.ToString(), "--mode", mode, "--seed", "4", "-q").ExitCode);
            Assert.NotEmpty(CapturedPacket.ReadReplies(output));
        }
    }
}
