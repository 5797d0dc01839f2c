using LaBreaSharp.Cli;
using LaBreaSharp.Commands;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Tests.Commands;

/// <summary>--labrea-conf FILE: LaBrea 2.5's labrea.conf lines, read as LaBrea's ctl.c read them
/// (issue 14), each keyword mapped to the option that does what LaBrea did.</summary>
public sealed class LabreaConfFileTests : IDisposable
{
    private static readonly string[] SessionIdentity = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01"];

    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-labrea-conf-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "labrea.conf");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Every keyword and every selector form LaBrea's reader took: single addresses,
    /// ranges with and without spaces round the dash, a prefix (with host bits, which LaBrea
    /// masked), single ports and ranges, lower case, tabs, CRLF, a '#' in the first column, blank
    /// lines, and text after the keyword behind a '#'.</summary>
    private const string Sample =
        "#\r\n" +
        "# a LaBrea 2.5 file, as its users wrote them\r\n" +
        "\r\n" +
        "192.0.2.10 - 192.0.2.12 EXC\r\n" +
        "192.0.2.20 exc\r\n" +
        "192.0.2.30-192.0.2.31\tEXC   # the printers\r\n" +
        "192.0.2.40 HAR\r\n" +
        "198.51.100.7/24 IPI\r\n" +
        "203.0.113.9 ipi\r\n" +
        "\r\n" +
        "1 - 1024 POR\r\n" +
        "22 PMN\r\n" +
        "2000-2010 pmn\r\n" +
        "3389 POR\r\n";

    private static TarpitConfiguration Build(string path, params string[] arguments)
    {
        var parsed = new CommandLine.Parser(s => s.CaseInsensitiveEnumValues = true).ParseArguments<ReplayOptions>(["-r", "x", "-w", "y", "--labrea-conf", path, .. arguments]);
        var options = ((CommandLine.Parsed<ReplayOptions>)parsed).Value;
        var host = new HostIdentity(Ipv4Address.Parse("192.0.2.1"), 24, MacAddress.Parse("02:00:00:00:02:01"));
        return ConfigurationBuilder.Build(options, host, "--my-ip");
    }

    private static Ipv4Address Ip(string text) => Ipv4Address.Parse(text);

    [Fact]
    public void Every_keyword_maps_to_the_option_that_does_what_LaBrea_did()
    {
        var configuration = Build(Write(Sample), "--ports", "1-65535");

        // EXC: never captured, -x.
        foreach (var excluded in new[] { "192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.20", "192.0.2.30", "192.0.2.31" })
            Assert.True(configuration.Excluded.Contains(Ip(excluded)), excluded);
        Assert.False(configuration.Excluded.Contains(Ip("192.0.2.13")));
        // HAR: LaBrea's "hard exclude" (never hard-captured under -h), not a hard capture, and not an exclusion.
        Assert.False(configuration.Excluded.Contains(Ip("192.0.2.40")));
        Assert.Empty(configuration.HardCapture);
        // IPI: sources never answered, --ignore-source; the prefix's host bits masked as LaBrea did.
        Assert.True(configuration.IgnoredSources.Contains(Ip("198.51.100.0")));
        Assert.True(configuration.IgnoredSources.Contains(Ip("198.51.100.255")));
        Assert.True(configuration.IgnoredSources.Contains(Ip("203.0.113.9")));
        Assert.False(configuration.IgnoredSources.Contains(Ip("203.0.113.10")));
        Assert.False(configuration.IgnoredSources.Contains(Ip("192.0.2.10"))); // EXC is about destinations only
        // POR: not tarpitted (a RST); PMN: tarpitted with --mode; the later line wins, as in LaBrea's port array.
        Assert.Equal(TcpBehaviour.ClosedPort, configuration.Ports[1].Behaviour);
        Assert.Equal(TcpBehaviour.ClosedPort, configuration.Ports[80].Behaviour);
        Assert.Equal(TcpBehaviour.ClosedPort, configuration.Ports[1024].Behaviour);
        Assert.Equal(TcpBehaviour.Persist, configuration.Ports[22].Behaviour);       // PMN after POR gives it back
        Assert.Equal(TcpBehaviour.Persist, configuration.Ports[1025].Behaviour);     // neither: --ports
        Assert.Equal(TcpBehaviour.ClosedPort, configuration.Ports[3389].Behaviour);
    }

    [Fact]
    public void POR_follows_the_firewall_switch_and_PMN_the_mode_and_adds_to_ports()
    {
        var configuration = Build(Write(Sample), "-f", "--mode", "tarpit", "--ports", "80");
        Assert.Equal(TcpBehaviour.Ignore, configuration.Ports[23].Behaviour);        // POR with -f: nothing, as LaBrea's -f
        Assert.Equal(TcpBehaviour.Tarpit, configuration.Ports[22].Behaviour);        // PMN: --mode
        Assert.Equal(TcpBehaviour.Tarpit, configuration.Ports[2005].Behaviour);      // PMN adds to --ports
        Assert.Equal(TcpBehaviour.Ignore, configuration.Ports[5000].Behaviour);      // outside --ports and the file, with -f
        Assert.Equal(TcpBehaviour.Ignore, configuration.Ports[80].Behaviour);        // 80 is in "1-1024 POR", which comes after --ports
    }

    [Fact]
    public void The_command_line_is_merged_over_the_file()
    {
        var configuration = Build(Write(Sample), "-x", "192.0.2.99", "--ignore-source", "203.0.113.50", "--banner", "80=http", "--exclude-ports", "22");
        Assert.True(configuration.Excluded.Contains(Ip("192.0.2.99")));
        Assert.True(configuration.Excluded.Contains(Ip("192.0.2.20")));
        Assert.True(configuration.IgnoredSources.Contains(Ip("203.0.113.50")));
        Assert.True(configuration.IgnoredSources.Contains(Ip("203.0.113.9")));
        Assert.Equal(TcpBehaviour.Banner, configuration.Ports[80].Behaviour);        // --banner over POR
        Assert.Equal(TcpBehaviour.ClosedPort, configuration.Ports[22].Behaviour);    // --exclude-ports over PMN
    }

    [Fact]
    public void The_toml_config_comes_after_the_labrea_file()
    {
        var toml = Path.Combine(_directory, "tarpit.toml");
        File.WriteAllText(toml, "[[ports]]\nports = \"3389\"\nbehaviour = \"tarpit\"\n");
        var configuration = Build(Write(Sample), "--config", toml);
        Assert.Equal(TcpBehaviour.Tarpit, configuration.Ports[3389].Behaviour);
    }

    [Fact]
    public void A_HAR_address_inside_hard_capture_is_refused()
    {
        var e = Assert.Throws<UsageException>(() => Build(Write("192.0.2.40 HAR\n"), "--hard-capture", "192.0.2.32/28"));
        Assert.Equal("labrea.conf line 1: HAR says 192.0.2.40 is never hard-captured, and --hard-capture 192.0.2.32/28 claims it from the start", e.Message);
    }

    [Theory]
    [InlineData("192.0.2.5 EXX\n", "labrea.conf line 1: unknown keyword 'EXX' (LaBrea's are EXC, HAR, IPI, POR and PMN)")]
    [InlineData("# ok\n\n192.0.2.5\n", "labrea.conf line 3: '192.0.2.5' is not a labrea.conf line (an address or port, then EXC, HAR, IPI, POR or PMN)")]
    [InlineData("22 POR ssh\n", "labrea.conf line 1: unexpected 'SSH' after POR (a comment starts with #)")]
    [InlineData("EXC\n", "labrea.conf line 1: EXC needs an address, range or prefix before it")]
    [InlineData("PMN\n", "labrea.conf line 1: PMN needs a port or port range before it")]
    [InlineData("192.0.2.300 EXC\n", "labrea.conf line 1: EXC: '192.0.2.300' is not an IPv4 address, range or CIDR prefix")]
    [InlineData("192.0.2.9-192.0.2.3 HAR\n", "labrea.conf line 1: HAR: '192.0.2.9-192.0.2.3' is an empty range: 192.0.2.3 comes before 192.0.2.9")]
    [InlineData("10.0.0.0/33 IPI\n", "labrea.conf line 1: IPI: '10.0.0.0/33' is not a CIDR prefix (expected a.b.c.d/len, len 0 to 32)")]
    [InlineData("\n\n70000 POR\n", "labrea.conf line 3: POR: '70000' is not a port or port range (N or N-M, 0 to 65535)")]
    [InlineData("192.0.2.1 POR\n", "labrea.conf line 1: POR: '192.0.2.1' is not a port or port range (N or N-M, 0 to 65535)")]
    [InlineData("90-80 PMN\n", "labrea.conf line 1: PMN: '90-80' is an empty range: 80 comes before 90")]
    [InlineData("0 POR\n", "labrea.conf line 1: POR: port 0 is no port a SYN can be sent to")]
    public void A_mistake_is_one_sentence_with_the_file_and_line(string text, string message)
    {
        var e = Assert.Throws<UsageException>(() => Build(Write(text)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_range_from_port_0_is_taken_as_LaBrea_took_it()
    {
        var configuration = Build(Write("0-1023 POR\n"));
        Assert.Equal(TcpBehaviour.ClosedPort, configuration.Ports[1].Behaviour);
        Assert.Equal(TcpBehaviour.Persist, configuration.Ports[1024].Behaviour);
    }

    [Fact]
    public void A_missing_file_is_refused_before_anything_starts()
    {
        var output = Path.Combine(_directory, "out.pcap");
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, .. SessionIdentity,
            "--labrea-conf", Path.Combine(_directory, "absent.conf")]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("labreasharp: --labrea-conf '", error.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_bad_line_stops_replay_with_exit_2_and_one_sentence()
    {
        var output = Path.Combine(_directory, "out.pcap");
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, .. SessionIdentity,
            "--labrea-conf", Write("# fine\n22 PMX\n")]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("labreasharp: labrea.conf line 2: unknown keyword 'PMX' (LaBrea's are EXC, HAR, IPI, POR and PMN)", error.Trim());
        Assert.False(File.Exists(output));
    }

    private List<CapturedPacket> Replay(string conf, params string[] arguments)
    {
        var output = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".pcap");
        var (code, _, summary) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, .. SessionIdentity, "-q",
            "--labrea-conf", Write(conf), .. arguments]);
        Assert.True(code == 0, summary);
        return CapturedPacket.ReadReplies(output);
    }

    [Fact]
    public void Replayed_EXC_leaves_the_address_alone()
    {
        Assert.NotEmpty(Replay("192.0.2.70 EXC\n"));                             // another address: the session as recorded
        Assert.Empty(Replay("192.0.2.70 - 192.0.2.80 EXC\n"));                   // 192.0.2.77 is never claimed
    }

    [Fact]
    public void Replayed_IPI_never_answers_the_source()
    {
        Assert.Empty(Replay("192.0.2.0/30 IPI\n"));                              // the scanner, 192.0.2.2
    }

    [Fact]
    public void Replayed_HAR_is_still_claimed_by_the_ARP_rule()
    {
        var replies = Replay("192.0.2.77 HAR\n");
        Assert.Contains(replies, r => r.IsArpReply);
        Assert.Contains(CapturedPacket.Tcp(replies), t => t.Flags == (TcpFlags.Syn | TcpFlags.Ack));
    }

    [Fact]
    public void Replayed_POR_answers_with_a_reset_and_a_later_PMN_gives_the_port_back()
    {
        var tcp = CapturedPacket.Tcp(Replay("1-1024 POR\n80 PMN\n"));
        Assert.Contains(tcp, t => t.SourcePort == 80 && t.Flags == (TcpFlags.Syn | TcpFlags.Ack));
        Assert.Contains(tcp, t => t.SourcePort == 22 && t.Flags == (TcpFlags.Rst | TcpFlags.Ack));
        Assert.DoesNotContain(tcp, t => t.SourcePort is 22 or 443 && t.Flags.HasFlag(TcpFlags.Syn));

        var firewalled = CapturedPacket.Tcp(Replay("1-1024 POR\n", "-f"));
        Assert.Empty(firewalled);
    }
}
