using System.Text.Json;

namespace LaBreaSharp.Lab.Tests;

/// <summary>The published tarpit detectors (scripts/lib/tarpit-detect.py: notarpit, Nessus'
/// labrea.nasl, nmap's tarpit.nse, Degreaser's steps), run from the scanner against today's
/// classic answers and against the kernel's own listener on the live host. The checker must
/// tell the two apart, or it proves nothing about the stealth profile to come (issue 13).</summary>
public class DetectorLabTests
{
    private static readonly string Checker = Path.Combine(RepositoryPaths.Root, "scripts", "lib", "tarpit-detect.py");

    private static JsonElement Check(Lab lab, string address)
    {
        var (code, output, error) = lab.Run("scan", $"/usr/bin/python3 {Checker} {address}", 120_000);
        Assert.True(code == 0, $"the checker failed ({code}): {error}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }

    private static string[] FlaggedBy(JsonElement result) =>
        [.. result.GetProperty("flagged_by").EnumerateArray().Select(e => e.GetString()!)];

    [RootFact]
    public void Classic_answers_are_flagged_as_the_issue_says_and_a_real_listener_is_not()
    {
        using var lab = new Lab();
        using var listener = lab.Start("live", "/usr/bin/python3 -c \"import socket,time; s=socket.socket(); s.bind(('192.0.2.50', 80)); s.listen(16); time.sleep(120)\"");
        try
        {
            var real = Check(lab, "192.0.2.50");
            Assert.Empty(FlaggedBy(real));
            Assert.Equal("real host", real.GetProperty("degreaser").GetProperty("verdict").GetString());
            Assert.Equal(0, real.GetProperty("tarpit.nse").GetProperty("open").GetInt32());

            using (var tarpit = lab.StartTarpit(""))
            {
                Clients.ClaimByPing(lab, "192.0.2.77");
                var classic = Check(lab, "192.0.2.77");
                Assert.Equal(["notarpit", "labrea.nasl", "tarpit.nse"], FlaggedBy(classic));
                Assert.True(classic.GetProperty("labrea.nasl").GetProperty("synack_window_10").GetBoolean());
                Assert.Equal(20, classic.GetProperty("tarpit.nse").GetProperty("open").GetInt32());
                // Degreaser takes persist mode for a real host with a small window: the tarpit
                // acknowledges the window - 1 bytes it sends (with a zero window).
                Assert.Equal("real host (small window)", classic.GetProperty("degreaser").GetProperty("verdict").GetString());
            }

            using (var tarpit = lab.StartTarpit("--mode tarpit"))
            {
                Clients.ClaimByPing(lab, "192.0.2.77");
                var tarpitMode = Check(lab, "192.0.2.77");
                Assert.Equal(["notarpit", "labrea.nasl", "tarpit.nse", "degreaser"], FlaggedBy(tarpitMode));
                Assert.Equal("labrea", tarpitMode.GetProperty("degreaser").GetProperty("verdict").GetString());
            }
        }
        finally
        {
            listener.Kill(true);
        }
    }
}
