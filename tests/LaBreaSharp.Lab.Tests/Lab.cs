using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LaBreaSharp.Lab.Tests;

/// <summary>One lab (scripts/lab.sh) for one test: its own namespaces under a random prefix, removed
/// on Dispose whatever happened. Roles: scan (192.0.2.2), tarpit (192.0.2.1), live (192.0.2.50),
/// and with VLAN, vcl (192.0.2.30, behind an 802.1Q access port for VLAN 100).</summary>
public sealed partial class Lab : IDisposable
{
    /// <summary>What the tarpit derives from the tarpit host's MAC, 02:00:00:00:02:01 (the locally administered bit set, then flipped once more since it already was).</summary>
    public const string TarpitMac = "06:00:00:00:02:01";
    public const string LiveMac = "02:00:00:00:02:32";

    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "scripts", "lab.sh");

    public Lab(bool vlan = false)
    {
        Prefix = "lbs-" + Guid.NewGuid().ToString("N")[..6];
        Directory = System.IO.Directory.CreateTempSubdirectory("labreasharp-lab-").FullName;
        // The tarpit drops to nobody once its files are open; like /tmp (or a log directory the
        // tarpit's user may write), this one lets it make a new log file when SIGHUP reopens it.
        if (!OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(Directory, UnixFileMode.StickyBit | (UnixFileMode)0b111_111_111);
        var (code, _, error) = Shell.Run("bash", $"{Script} up {Prefix}{(vlan ? " --vlan" : "")}", 60_000);
        if (code != 0)
        {
            Dispose();
            throw new InvalidOperationException($"lab.sh up failed: {error}");
        }
    }

    public string Prefix { get; }
    /// <summary>A temporary folder for this lab's logs and recordings.</summary>
    public string Directory { get; }

    public string Namespace(string role) => $"{Prefix}-{role}";

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>Runs a command in a role's namespace and waits for it.</summary>
    public (int ExitCode, string Output, string Error) Run(string role, string command, int timeoutMilliseconds = 60_000) =>
        Shell.Run("ip", $"netns exec {Namespace(role)} {command}", timeoutMilliseconds);

    /// <summary>Starts a command in a role's namespace without waiting.</summary>
    public Process Start(string role, string command, bool redirectInput = false)
    {
        var start = new ProcessStartInfo("ip", $"netns exec {Namespace(role)} {command}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command}");
    }

    public TarpitProcess StartTarpit(string arguments) => new(this, arguments);

    public void AddHost(string role, string address, string mac)
    {
        var (code, _, error) = Shell.Run("bash", $"{Script} add-host {Prefix} {role} {address} {mac}");
        if (code != 0)
            throw new InvalidOperationException($"lab.sh add-host failed: {error}");
    }

    /// <summary>The MAC a role's kernel has for an address, or null.</summary>
    public string? NeighbourMac(string role, string address)
    {
        var output = Run(role, $"ip neigh show {address}").Output;
        var match = LladdrPattern().Match(output);
        return match.Success ? match.Groups[1].Value : null;
    }

    public void Dispose()
    {
        Shell.Run("bash", $"{Script} down {Prefix}", 60_000);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"lladdr ([0-9a-f:]{17})")]
    private static partial Regex LladdrPattern();
}
