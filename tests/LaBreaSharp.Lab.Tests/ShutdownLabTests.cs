using System.Text.Json;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 9: SIGTERM ends the run promptly, with the summary and a complete log; and
/// the other signals an operator sends.</summary>
public class ShutdownLabTests
{
    [RootFact]
    public void Sigusr1_prints_the_counters_and_sighup_reopens_a_rotated_log()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--arp-timeout 1");
        Clients.ClaimByPing(lab, "192.0.2.77");
        tarpit.WaitForEvents("capture");

        Shell.Check("kill", $"-USR1 {tarpit.ProcessId}");
        Wait.For(() => tarpit.Error.Contains("frames read:"), TimeSpan.FromSeconds(5), "the counters on stderr after SIGUSR1");
        Assert.False(tarpit.HasExited);

        // logrotate: move the file away, then SIGHUP; new events go to a new file at the old path.
        var rotated = tarpit.LogFile + ".1";
        File.Move(tarpit.LogFile, rotated);
        Shell.Check("kill", $"-HUP {tarpit.ProcessId}");
        Thread.Sleep(500); // the loop looks at the flag at least every 100 ms
        lab.Run("scan", "nmap -sS -Pn -n -p 22 --max-retries 0 192.0.2.77", 60_000);
        tarpit.WaitForEvents("connect");
        Assert.Contains("\"event\":\"capture\"", File.ReadAllText(rotated));
        Assert.DoesNotContain("\"event\":\"capture\"", File.ReadAllText(tarpit.LogFile));
        Assert.False(tarpit.HasExited);
    }

    [RootFact]
    public void Sigterm_stops_within_two_seconds_with_the_summary_and_a_complete_json_log()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--stats-interval 1");
        Clients.ClaimByPing(lab, "192.0.2.77");
        lab.Run("scan", "nmap -sS -Pn -n -p 1-200 --max-retries 0 192.0.2.77", 60_000);

        var took = tarpit.Stop();
        Assert.True(took < TimeSpan.FromSeconds(2), $"took {took}");
        Assert.Equal(0, tarpit.ExitCode);
        Assert.Matches(@"frames read:\s+\d+", tarpit.Error);
        Assert.Matches(@"connects:\s+200", tarpit.Error);

        var lines = File.ReadAllLines(tarpit.LogFile);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList(); // every line, the last one included, is whole JSON
        // 200 connects in about a second: past the flood rate (100 a second) they fold, and every one is accounted for.
        long connects = events.Count(e => e.GetProperty("event").GetString() == "connect")
            + events.Where(e => e.GetProperty("event").GetString() == "flood" && e.GetProperty("of").GetString() == "connect").Sum(e => e.GetProperty("count").GetInt64());
        Assert.Equal(200, connects);
        var stdout = tarpit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, stdout.Length); // the same log on standard output, and nothing else
        JsonDocument.Parse(stdout[^1]);
    }
}
