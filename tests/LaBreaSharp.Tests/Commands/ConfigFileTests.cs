using LaBreaSharp.Cli;
using LaBreaSharp.Commands;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Tests.Commands;

/// <summary>--config FILE: port ranges in TOML, each with a behaviour and modifiers; the command line over it.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "tarpit.toml");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Example = """
        # a tarpit's ports
        [defaults]
        banner-delay = 8
        noise = 0.01

        [[ports]]
        ports = "22,2222"
        behaviour = "banner"
        banner = "ssh"
        noise = 0.05
        drop-after = 3600
        ban = 600

        [[ports]]
        ports = "80,8080"
        behaviour = "banner"
        banner = "http"
        ack-delay = "20-200"

        [[ports]]
        ports = "3389"
        behaviour = "tarpit"
        """;

    private static (PortMap Ports, PortMap Host) Build(string path, params string[] arguments)
    {
        var options = new ReplayOptions { Config = path };
        var parsed = CommandLine.Parser.Default.ParseArguments<ReplayOptions>(["-r", "x", "-w", "y", "--config", path, .. arguments]);
        return PortRules.Build(((CommandLine.Parsed<ReplayOptions>)parsed).Value, PortSet.None, ConfigFile.Read(path));
    }

    [Fact]
    public void Ranges_get_their_behaviour_and_modifiers_over_the_defaults()
    {
        var (ports, _) = Build(Write(Example));
        ref readonly var ssh = ref ports[2222];
        Assert.Equal((TcpBehaviour.Banner, BannerKind.Ssh), (ssh.Behaviour, ssh.Banner));
        Assert.Equal(8_000, ssh.Modifiers.BannerDelayMilliseconds);           // from [defaults]
        Assert.Equal((int)Math.Round(0.05 * 65_536), ssh.Modifiers.NoisePer65536); // the range's own
        Assert.Equal((3600, 600), (ssh.Modifiers.DropAfterSeconds, ssh.Modifiers.BanSeconds));
        Assert.Equal((20, 200), (ports[80].Modifiers.AckDelayMinMilliseconds, ports[80].Modifiers.AckDelayMaxMilliseconds));
        Assert.Equal(TcpBehaviour.Tarpit, ports[3389].Behaviour);
        Assert.Equal(TcpBehaviour.Persist, ports[443].Behaviour);              // the rest: --mode
        Assert.Equal((int)Math.Round(0.01 * 65_536), ports[443].Modifiers.NoisePer65536);
    }

    [Fact]
    public void The_command_line_overrides_the_file()
    {
        var (ports, _) = Build(Write(Example), "--noise", "0", "--banner", "2222=telnet");
        Assert.Equal(0, ports[22].Modifiers.NoisePer65536);
        Assert.Equal(BannerKind.Telnet, ports[2222].Banner);
        Assert.Equal(BannerKind.Ssh, ports[22].Banner);
    }

    [Theory]
    [InlineData("[[ports]]\nports = \"22\"\nbehaviour = \"sticky\"\n", "tarpit.toml line 3: behaviour must be persist, tarpit, banner, closed or ignore, not 'sticky'")]
    [InlineData("[[ports]]\nports = \"22\"\nbehaviour = \"banner\"\nbanner = \"ftp\"\n", "tarpit.toml line 4: banner must be ssh, http, smtp or telnet, not 'ftp'")]
    [InlineData("[[ports]]\nports = \"22\"\nbehaviour = \"banner\"\n", "tarpit.toml line 3: the banner range '22' needs banner = \"ssh\", \"http\", \"smtp\" or \"telnet\"")]
    [InlineData("[[ports]]\nports = \"0-9\"\nbehaviour = \"persist\"\n", "tarpit.toml line 2: bad port list '0-9': '0-9' is not a port from 1 to 65535")]
    [InlineData("[defaults]\nnoise = 2\n", "tarpit.toml line 2: noise must be from 0 to 0.5 (a share of segments), not 2")]
    [InlineData("[defaults]\nspeed = 2\n", "tarpit.toml line 2: unknown key 'speed' (banner-delay, ack-delay, noise, drop-after or ban)")]
    [InlineData("[tarpit]\nnoise = 0.1\n", "tarpit.toml line 1: unknown section 'tarpit' (there are [defaults] and [[ports]])")]
    [InlineData("[defaults]\nnoise = \n", "tarpit.toml line 2: Missing value after `=`")]
    public void A_mistake_is_one_sentence_with_the_file_and_line(string text, string message)
    {
        var e = Assert.Throws<UsageException>(() => Build(Write(text)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_missing_file_is_refused_before_anything_starts()
    {
        var output = Path.Combine(_directory, "out.pcap");
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, "-n", "192.0.2.0/24",
            "--config", Path.Combine(_directory, "absent.toml")]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("labreasharp: --config '", error.Trim());
        Assert.False(File.Exists(output));
    }
}
