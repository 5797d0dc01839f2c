using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Real clients, driven from a lab namespace.</summary>
public static partial class Clients
{
    private static readonly string TrappedClientScript = Path.Combine(RepositoryPaths.Root, "scripts", "lib", "trapped-client.py");
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Claims <paramref name="address"/> for the tarpit: pings it until the scanner's kernel has
    /// the tarpit's MAC for it. Returns the seconds that took.</summary>
    public static double ClaimByPing(Lab lab, string address, string role = "scan")
    {
        var clock = Stopwatch.StartNew();
        using var ping = lab.Start(role, $"ping -c 40 -i 0.5 -W 1 {address}");
        try
        {
            Wait.For(() => lab.NeighbourMac(role, address) == Lab.TarpitMac, TimeSpan.FromSeconds(20), $"{address} to resolve to the tarpit MAC");
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            ping.Kill();
            ping.WaitForExit();
        }
    }

    /// <summary>A Python socket client that connects, sends ~250 bytes and waits for its stdin to close.</summary>
    public static Process StartTrappedClient(Lab lab, string address, int port, string role = "scan")
    {
        var client = lab.Start(role, $"{Python} -u {TrappedClientScript} {address} {port} 600", redirectInput: true);
        return client;
    }

    /// <summary>The kernel's view of the role's TCP sockets to <paramref name="address"/> (ss -tno).</summary>
    public static List<SocketView> Sockets(Lab lab, string address, string role = "scan")
    {
        var output = lab.Run(role, $"ss -tnoHa dst {address}").Output;
        var sockets = new List<SocketView>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var timer = TimerPattern().Match(line);
            sockets.Add(new SocketView(parts[0], int.Parse(parts[2]), timer.Success ? timer.Groups[1].Value : null,
                timer.Success ? int.Parse(timer.Groups[2].Value) : -1, line));
        }
        return sockets;
    }

    [GeneratedRegex(@"timer:\((\w+),[^,]*,(\d+)\)")]
    private static partial Regex TimerPattern();
}

/// <summary>One line of ss: state, bytes not yet acknowledged, the timer and its counter (for the
/// persist timer, the probes Linux counts as unanswered; for "on", retransmissions).</summary>
public sealed record SocketView(string State, int SendQueue, string? Timer, int TimerCount, string Line);
