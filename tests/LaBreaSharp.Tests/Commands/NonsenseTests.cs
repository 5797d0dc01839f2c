namespace LaBreaSharp.Tests.Commands;

/// <summary>Issue 11: nonsense that was once accepted without a word is refused in one sentence
/// (exit 2, nothing written), and what is legal but surprising gets a warning.</summary>
public sealed class NonsenseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-nonsense-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (int Code, string Error) Replay(params string[] options)
    {
        var output = Path.Combine(_directory, "out.pcap");
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, "-q", .. options]);
        return (code, error);
    }

    [Theory]
    [InlineData(new[] { "--hard-capture", "0.0.0.0/0" }, "--hard-capture 0.0.0.0/0 covers 0.0.0.0/8, this network, which no host may answer for; name the unused space itself")]
    [InlineData(new[] { "-n", "0.0.0.0/0" }, "--network 0.0.0.0/0 covers 0.0.0.0/8, this network, which no host may answer for; name the unused space itself")]
    [InlineData(new[] { "--routed", "224.0.0.0/8" }, "--routed 224.0.0.0/8 covers 224.0.0.0/4, multicast, which no host may answer for; name the unused space itself")]
    [InlineData(new[] { "--hard-capture", "120.0.0.0/5" }, "--hard-capture 120.0.0.0/5 covers 127.0.0.0/8, loopback, which no host may answer for; name the unused space itself")]
    [InlineData(new[] { "--my-ip", "192.0.2.1/24", "--hard-capture", "192.0.2.1/32" }, "--hard-capture 192.0.2.1/32 is the host's own address 192.0.2.1, which the tarpit never answers for")]
    [InlineData(new[] { "--my-ip", "255.255.255.255/24" }, "--my-ip 255.255.255.255/24 is not a host's address (this-network, loopback, multicast, reserved or broadcast)")]
    [InlineData(new[] { "--my-ip", "192.0.2.255/24" }, "--my-ip 192.0.2.255/24 is the broadcast address of 192.0.2.0/24, not a host's")]
    [InlineData(new[] { "--my-ip", "192.0.2.0/24" }, "--my-ip 192.0.2.0/24 is the network address of 192.0.2.0/24, not a host's")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "-x", "0.0.0.0/0" }, "-x/--exclude 0.0.0.0/0 excludes all of 192.0.2.0/24: nothing is left to claim")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "-x", "192.0.2.0/25,192.0.2.128/25" }, "-x/--exclude 192.0.2.0/25,192.0.2.128/25 excludes all of 192.0.2.0/24: nothing is left to claim")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--ports", "1-65535", "--exclude-ports", "1-65535" }, "the port options leave no port to tarpit (every port is excluded or ignored)")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--mac", "00:00:00:00:00:00" }, "--mac 00:00:00:00:00:00 is the all-zero MAC, which no interface may send from")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--mac", "ff:ff:ff:ff:ff:ff" }, "--mac ff:ff:ff:ff:ff:ff is a group (multicast) address; the tarpit needs a unicast MAC")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--my-mac", "00:00:00:00:00:00" }, "--my-mac '00:00:00:00:00:00' is not a unicast MAC address")]
    [InlineData(new[] { "-n", "192.0.2.0/24", "--arp-probe-wait", "-1" }, "--arp-probe-wait must be from 0 to 60000, not -1")]
    [InlineData(new[] { "stray", "-n", "192.0.2.0/24" }, "unexpected argument 'stray' (every value belongs to an option; labreasharp replay --help lists them)")]
    public void Nonsense_is_refused_in_one_sentence(string[] options, string message)
    {
        var (code, error) = Replay(options);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("labreasharp: " + message, error.Trim());
        Assert.False(File.Exists(Path.Combine(_directory, "out.pcap")), "nothing may be written before the options are checked");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public void Inspect_refuses_a_count_below_one(string count)
    {
        var (code, output, error) = CliRunner.Run("inspect", "-r", RepositoryPaths.Fixture("curl-http.pcap"), "-c", count);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"labreasharp: -c/--count must be 1 or more, not {count}", error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public void Inspect_and_run_refuse_stray_words_too()
    {
        var (code, _, error) = CliRunner.Run("inspect", "-r", RepositoryPaths.Fixture("curl-http.pcap"), "extra");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("labreasharp: unexpected argument 'extra'", error.Trim());
        (code, _, error) = CliRunner.Run("run", "-i", "lbs-no-such-if0", "eth0");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("labreasharp: unexpected argument 'eth0'", error.Trim());
    }

    [Fact]
    public void Run_refuses_the_loopback_interface()
    {
        var (code, _, error) = CliRunner.Run("run", "-i", "lo");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("labreasharp: interface 'lo' is the loopback interface; the tarpit watches an Ethernet interface on the network it guards", error.Trim());
    }

    [Fact]
    public void Legal_but_surprising_space_gets_a_warning_and_still_runs()
    {
        var (code, error) = Replay("--my-ip", "192.0.2.1/24", "--hard-capture", "192.0.2.0/28", "-n", "198.51.100.0/24");
        Assert.Equal(0, code);
        Assert.Contains("labreasharp: warning: --hard-capture 192.0.2.0/28 contains the host's own address 192.0.2.1; it is left out", error);
        Assert.Contains("labreasharp: warning: --network 198.51.100.0/24 is not on this link (the interface's subnet is 192.0.2.0/24)", error);
    }
}
