using System.Text.Json;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 9: SIGTERM ends the run promptly, with the summary and a complete log.</summary>
public class ShutdownLabTests
{
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
        Assert.True(lines.Length > 200);
        foreach (var line in lines)
            JsonDocument.Parse(line); // every line, the last one included, is whole JSON
        var stdout = tarpit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, stdout.Length); // the same log on standard output, and nothing else
        JsonDocument.Parse(stdout[^1]);
    }
}
