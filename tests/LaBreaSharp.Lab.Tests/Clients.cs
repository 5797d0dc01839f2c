using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Real clients, driven from a lab namespace.</summary>
public static partial class Clients
{
    private static readonly string TrappedClientScript = Path.Combine(RepositoryPaths.Root, "scripts", "lib", "trapped-client.py");
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Claims <paramref name="address"/> for the tarpit: pings it until the scanner's kernel has
    /// the tarpit's MAC for it (with <paramref name="anyMac"/>, any MAC: under the stealth profile each
    /// address has its own). Returns the seconds that took.</summary>
    public static double ClaimByPing(Lab lab, string address, string role = "scan", bool anyMac = false)
    {
        var clock = Stopwatch.StartNew();
        using var ping = lab.Start(role, $"ping -c 40 -i 0.5 -W 1 {address}");
        try
        {
            Wait.For(() => lab.NeighbourMac(role, address) is { } mac && (anyMac || mac == Lab.TarpitMac), TimeSpan.FromSeconds(20),
                $"{address} to resolve to the tarpit MAC");
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            ping.Kill();
            ping.WaitForExit();
        }
    }

    /// <summary>A Python socket client that connects, sends ~250 bytes (or, with <paramref name="fill"/>,
    /// as much as the connection takes) and waits for its stdin to close.</summary>
    public static Process StartTrappedClient(Lab lab, string address, int port, string role = "scan", bool fill = false)
    {
        var client = lab.Start(role, $"{Python} -u {TrappedClientScript} {address} {port} 600{(fill ? " fill" : "")}", redirectInput: true);
        return client;
    }

    /// <summary>The first of the common ports that <paramref name="address"/> has open, found as a
    /// scanner finds it (nmap's SYN scan).</summary>
    public static int FirstOpenPort(Lab lab, string address, string role = "scan")
    {
        const string ports = "22,80,443,135,139,445,515,631,9100,23";
        var (code, output, error) = lab.Run(role, $"nmap -n -Pn -sS -p {ports} --open -oG - {address}", 60_000);
        Assert.True(code == 0, $"nmap failed: {error}");
        var open = OpenPortPattern().Matches(output).Select(m => int.Parse(m.Groups[1].Value)).ToHashSet();
        foreach (var port in ports.Split(',').Select(int.Parse))
        {
            if (open.Contains(port))
                return port;
        }
        throw new Xunit.Sdk.XunitException($"{address} has none of {ports} open: {output}");
    }

    [GeneratedRegex(@"(\d+)/open/tcp")]
    private static partial Regex OpenPortPattern();

    /// <summary>Waits until a client's connection is really held: the tarpit took its first data
    /// and closed the window (its persist event), and the client's kernel shows the persist timer
    /// with the rest of the request still queued. (A persist timer alone proves nothing: with a
    /// 10-byte window Linux's silly-window avoidance arms it before sending any data.)</summary>
    public static SocketView WaitUntilHeld(Lab lab, TarpitProcess tarpit, Process client, string address, string role = "scan")
    {
        int sent = 0;
        Wait.For(() => client.HasExited || TryReadSent(client, out sent), TimeSpan.FromSeconds(20), $"the client to connect to {address} and send");
        Assert.False(client.HasExited, client.HasExited ? client.StandardError.ReadToEnd() : "");
        tarpit.WaitForEvents("persist", seconds: 10);
        SocketView? held = null;
        Wait.For(() => (held = Sockets(lab, address, role).FirstOrDefault(s => s.Timer == "persist" && s.SendQueue > 0 && s.SendQueue < sent)) is not null,
            TimeSpan.FromSeconds(10), $"the client's socket to {address} to wait in persist state with its data partly acknowledged");
        return held!;
    }

    private static bool TryReadSent(Process client, out int sent)
    {
        sent = 0;
        while (client.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("sent ", StringComparison.Ordinal))
            {
                sent = int.Parse(line[5..]);
                return true;
            }
        }
        return false;
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
