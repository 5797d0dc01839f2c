using System.Globalization;
using System.Text.RegularExpressions;

namespace LaBreaSharp.Tests.Contrib;

/// <summary>A test that needs a program on the PATH; skipped, and saying which, without it
/// (scripts/setup.sh installs every one of them).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (!OnPath(tool))
            Skip = $"needs {tool} (scripts/setup.sh installs it)";
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
}

/// <summary>contrib/: the systemd unit and the logrotate snippet (issue 14), checked by the tools that
/// will read them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServiceUnitTests : IDisposable
{
    /// <summary>systemd-analyze security's overall exposure of the unit as committed, measured with
    /// systemd 252: anything that loosens the sandbox raises it and fails here.</summary>
    private const double ExposureAtMost = 2.3;

    private static readonly string Unit = Path.Combine(RepositoryPaths.Root, "contrib", "labreasharp.service");
    private static readonly string Logrotate = Path.Combine(RepositoryPaths.Root, "contrib", "labreasharp.logrotate");
    private const string InstalledBinary = "/usr/local/bin/labreasharp";

    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-contrib-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The unit as committed, but for ExecStart's binary, which verify insists exists and is
    /// executable: it is not installed on a test machine, so a stand-in script takes its place.</summary>
    private string UnitWithStandInBinary()
    {
        var standIn = Path.Combine(_directory, "labreasharp");
        File.WriteAllText(standIn, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(_directory, "labreasharp.service");
        File.WriteAllText(path, File.ReadAllText(Unit).Replace(InstalledBinary, standIn));
        return path;
    }

    private static string Setting(string text, string key) =>
        Regex.Matches(text, $@"^{Regex.Escape(key)}=(.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Trim()).LastOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"the unit has no {key}=");

    [ToolFact("systemd-analyze")]
    public void Systemd_analyze_verify_accepts_the_unit()
    {
        var (code, output, error) = Shell.Run("systemd-analyze", $"verify {UnitWithStandInBinary()}");
        Assert.True(code == 0 && error.Trim().Length == 0, $"exit {code}: {output}{error}");
    }

    [ToolFact("systemd-analyze")]
    public void Systemd_analyze_security_scores_the_unit_at_most_the_measured_exposure()
    {
        var (code, output, error) = Shell.Run("systemd-analyze", $"security --offline=true --no-pager {Unit}");
        Assert.True(code == 0, $"exit {code}: {error}");
        var overall = Regex.Match(output, @"Overall exposure level for labreasharp\.service: (\d+\.\d)");
        Assert.True(overall.Success, output);
        double exposure = double.Parse(overall.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= ExposureAtMost, $"exposure {exposure}, more than {ExposureAtMost}:\n{output}");
    }

    [Fact]
    public void The_unit_keeps_what_the_tarpit_needs_and_no_more()
    {
        string text = File.ReadAllText(Unit);
        string exec = Setting(text, "ExecStart");
        Assert.StartsWith(InstalledBinary + " run ", exec);
        Assert.Contains("--log-file /var/log/labreasharp/events.log", exec);
        Assert.Equal("labreasharp", Setting(text, "LogsDirectory"));
        // Capture, and the tarpit's own drop to --user: nothing else survives in the bounding set.
        Assert.Equal(["CAP_CHOWN", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID"],
            Setting(text, "CapabilityBoundingSet").Split(' ').Order());
        Assert.Equal(["AF_NETLINK", "AF_PACKET", "AF_UNIX"], Setting(text, "RestrictAddressFamilies").Split(' ').Order());
        Assert.Equal("strict", Setting(text, "ProtectSystem"));
        Assert.Equal("yes", Setting(text, "NoNewPrivileges"));
        // The native binary has no JIT: nothing is ever writable and executable (NativeBinaryTests runs it so).
        Assert.Equal("yes", Setting(text, "MemoryDenyWriteExecute"));
        // ProcSubset=pid would hide /proc/net/route, which the tarpit reads.
        Assert.DoesNotMatch(@"(?m)^ProcSubset=pid", text);
    }

    [Fact]
    public void The_logrotate_snippet_rotates_the_units_log_for_the_units_user_and_signals_it()
    {
        string unit = File.ReadAllText(Unit);
        string snippet = File.ReadAllText(Logrotate);
        string user = Regex.Match(Setting(unit, "ExecStart"), @"--user (\S+)").Groups[1].Value;
        Assert.NotEqual("", user);
        Assert.StartsWith("/var/log/labreasharp/events.log {", snippet.Split('\n').First(l => l.Length > 0 && l[0] != '#'));
        // The tarpit cannot create the new file in root's directory after its drop: logrotate must, as its user.
        Assert.Matches($@"(?m)^\s+create 0\d\d\d {Regex.Escape(user)} \S+$", snippet);
        Assert.DoesNotContain("copytruncate", snippet.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        Assert.Contains("--signal=HUP labreasharp.service", snippet);
    }

    [ToolFact("logrotate")]
    public void Logrotate_debug_accepts_the_snippet()
    {
        // logrotate resolves create's owner when it reads the file; where the unit's user is not
        // made yet (a test machine), root stands in for it, and nothing else is changed.
        string snippet = File.ReadAllText(Logrotate);
        if (!File.ReadAllLines("/etc/passwd").Any(l => l.StartsWith("labreasharp:", StringComparison.Ordinal)))
            snippet = snippet.Replace("create 0640 labreasharp adm", "create 0640 root root");
        var config = Path.Combine(_directory, "labreasharp");
        File.WriteAllText(config, snippet);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (code, output, error) = Shell.Run("logrotate", $"-d -s {Path.Combine(_directory, "state")} {config}");
        Assert.True(code == 0, $"exit {code}: {output}{error}");
        Assert.DoesNotContain("error:", output + error);
    }
}
