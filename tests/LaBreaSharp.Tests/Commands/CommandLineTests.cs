namespace LaBreaSharp.Tests.Commands;

/// <summary>Mistakes in run and replay options: one sentence naming the mistake, exit 2, nothing
/// opened or sent. Replay is used where possible, since it needs no interface and no root.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (int Code, string Error) Replay(params string[] options)
    {
        var output = Path.Combine(_directory, "out.pcap");
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, "-q", .. options]);
        return (code, error.Trim());
    }

    [Theory]
    [InlineData(new[] { "-n", "192.0.2.0/33" }, "--network: '192.0.2.0/33' is not a CIDR prefix: the length must be 0 to 32")]
    [InlineData(new[] { "-n", "192.0.2.1/24" }, "--network: '192.0.2.1/24' has host bits set; did you mean 192.0.2.0/24?")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--hard-capture", "192.0.2.64/26" }, "--network 192.0.2.0/24 overlaps --hard-capture 192.0.2.64/26; each address may be claimed one way only")]
    [InlineData(new[] { "-n", "192.0.2.0/25", "-n", "192.0.2.0/24" }, "--network 192.0.2.0/25 overlaps --network 192.0.2.0/24; each address may be claimed one way only")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--ports", "80-" }, "bad port list '80-': the range '80-' needs an end")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--exclude-ports", "22,http" }, "bad port list '22,http': 'http' is not a port from 1 to 65535")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "-x", "192.0.2.9-192.0.2.1" }, "--exclude: '192.0.2.9-192.0.2.1' is an empty range: 192.0.2.1 comes before 192.0.2.9")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--mode", "sticky" }, "--mode must be persist or tarpit, not 'sticky'")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--window", "70000" }, "--window must be from 0 to 65535, not 70000")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--table-size", "0" }, "--table-size must be from 1 to 67108864, not 0")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--mac", "01:00:5e:00:00:01" }, "--mac 01:00:5e:00:00:01 is a group (multicast) address; the tarpit needs a unicast MAC")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--log-format", "xml" }, "--log-format must be text, json or labrea, not 'xml'")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--log-format=xml" }, "--log-format must be text, json or labrea, not 'xml'")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--claim-table-size", "4" }, "--claim-table-size must be from 8 to 67108864, not 4")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--banner", "22" }, "--banner '22' must be PORTS=KIND, e.g. 22,2222=ssh (KIND: ssh, http, smtp or telnet)")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--banner", "21=ftp" }, "--banner '21=ftp': the kind must be ssh, http, smtp or telnet, not 'ftp'")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--banner", "22-=ssh" }, "--banner: bad port list '22-': the range '22-' needs an end")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--banner", "22=ssh", "--exclude-ports", "20-25" }, "--banner 22=ssh: port 22 is also in --exclude-ports")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--banner-delay", "0" }, "--banner-delay must be from 0.1 to 3600 seconds, not 0")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--noise", "0.7" }, "--noise must be from 0 to 0.5 (a share of segments), not 0.7")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--ack-delay", "300-100" }, "--ack-delay must be MS or MS-MS (milliseconds, up to 60000, the first no more than the second), not '300-100'")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--drop-after", "-5" }, "--drop-after must be whole seconds from 0 to 2592000, not -5")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--ban", "600" }, "--ban bans the source of a dropped flow, and nothing drops flows: give --drop-after too")]
    [InlineData(new[] { "--host-ports", "2222" }, "--host-ports needs the host's own address, and --my-ip has none")]
    [InlineData(new[] { "--my-mac", "02:00:00:00:02:01" }, "nothing to tarpit: --my-ip has no IPv4 subnet to default to; give -n, --hard-capture, --routed or --host-ports")]
    [InlineData(new[] { "--my-ip", "192.0.2.300" }, "--my-ip '192.0.2.300' is not an IPv4 address (expected a.b.c.d or a.b.c.d/len)")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--window" }, "option --window needs a value")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--bogus" }, "unknown option '--bogus'")]
    public void A_mistake_is_one_sentence_and_exit_2(string[] options, string message)
    {
        var (code, error) = Replay(options);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("labreasharp: " + message, error);
        Assert.False(File.Exists(Path.Combine(_directory, "out.pcap")), "nothing may be written before the options are checked");
    }

    [Fact]
    public void A_missing_input_file_is_one_sentence_and_exit_2()
    {
        var (code, _, error) = CliRunner.Run("replay", "-r", Path.Combine(_directory, "absent.pcap"), "-w", Path.Combine(_directory, "o.pcap"), "-n", "192.0.2.0/24");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(CliRunner.Lines(error));
        Assert.Contains("No such file or directory", error);
    }

    [Fact]
    public void An_unwritable_log_file_is_refused_before_anything_is_written()
    {
        var (code, error) = Replay("-n", "192.0.2.0/24", "--log-file", Path.Combine(_directory, "no", "such", "dir.log"));
        Assert.Equal(ExitCodes.Environment, code);
        Assert.StartsWith("labreasharp: cannot write the log file", error);
        Assert.False(File.Exists(Path.Combine(_directory, "out.pcap")), "the output capture must not be created when the log cannot be");
    }

    [Fact]
    public void Run_with_an_interface_that_does_not_exist_says_so()
    {
        var (code, _, error) = CliRunner.Run("run", "-i", "lbs-no-such-if0");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("labreasharp: interface 'lbs-no-such-if0' does not exist ('ip link' lists the interfaces)", error.Trim());
    }

    [RootFact]
    public void Print_firewall_names_the_host_ports_and_routed_space()
    {
        using var ns = new NetworkNamespace("fw");
        Shell.Ip($"-n {ns.Name} link add eth0 type veth peer name eth1");
        Shell.Ip($"-n {ns.Name} addr add 192.0.2.1/24 dev eth0");
        var output = ns.Exec(Path.Combine(AppContext.BaseDirectory, "labreasharp"),
            "run -i eth0 --host-ports 2222,2323-2325 --routed 198.51.100.0/24 --print-firewall");
        Assert.Contains("ip daddr 192.0.2.1 tcp dport { 2222, 2323-2325 } counter drop", output);
        Assert.Contains("ip daddr { 198.51.100.0/24 } counter drop", output);
        Assert.Contains("hook input priority -150", output);
    }
}
