using System.Text.Json;

namespace LaBreaSharp.Lab.Tests;

/// <summary>The published tarpit detectors (scripts/lib/tarpit-detect.py: notarpit, Nessus'
/// labrea.nasl, nmap's tarpit.nse, Degreaser's steps), run from the scanner against today's
/// classic answers and against the kernel's own listener on the live host. The checker must
/// tell the two apart, or it proves nothing about the stealth profile. Under --profile stealth
/// none of them fires, and nmap -O takes each address for the system its personality plays.</summary>
public class DetectorLabTests
{
    private static readonly string Checker = Path.Combine(RepositoryPaths.Root, "scripts", "lib", "tarpit-detect.py");

    /// <summary>The SYN-ACK window each stack offers to a SYN with timestamps, and a word nmap's first guess must hold for it.</summary>
    private static readonly Dictionary<int, string> NmapWordByWindow = new()
    {
        [65_160] = "Linux", [8192] = "Windows", [1460] = "HP", [4128] = "Cisco",
    };

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

    [RootFact]
    public void Stealth_passes_every_detector_and_nmap_guesses_each_personalitys_system()
    {
        using var lab = new Lab();
        // Seed 7 gives these twelve addresses all four systems (the engine tests check that every
        // seed's /24 has them; twelve addresses might not).
        using var tarpit = lab.StartTarpit("--profile stealth --seed 7 --hard-capture 192.0.2.64/28");
        var firstOfFamily = new Dictionary<string, string>();
        var macs = new HashSet<string>();
        for (int last = 66; last < 78; last++)
        {
            string address = $"192.0.2.{last}";
            var result = Check(lab, address);
            Assert.True(FlaggedBy(result).Length == 0, $"{address}: {result}");
            Assert.Equal("real host", result.GetProperty("degreaser").GetProperty("verdict").GetString());
            Assert.InRange(result.GetProperty("tarpit.nse").GetProperty("open").GetInt32(), 0, 2);
            Assert.False(result.GetProperty("labrea.nasl").GetProperty("unsolicited_acks_answered_small").GetBoolean());
            // "flags SA window 65160 options [...]": the window says which stack answered.
            var saw = result.GetProperty("notarpit").GetProperty("saw").GetString()!;
            int window = int.Parse(saw.Split(' ')[3]);
            Assert.True(NmapWordByWindow.ContainsKey(window), $"{address}: {saw}");
            firstOfFamily.TryAdd(NmapWordByWindow[window], address);
            macs.Add(result.GetProperty("mac").GetString()!);
        }
        Assert.Equal(4, firstOfFamily.Count);
        Assert.Equal(12, macs.Count); // each address answered ARP with a MAC of its own

        foreach (var (word, address) in firstOfFamily)
        {
            var (code, output, error) = lab.Run("scan", $"nmap -n -Pn -O -p 1-1024,3389,5985,9100 {address}", 180_000);
            Assert.True(code == 0, $"nmap failed: {error}");
            var guess = output.Split('\n').FirstOrDefault(l => l.StartsWith("OS details:") || l.StartsWith("Aggressive OS guesses:"));
            Assert.True(guess is not null && guess.Split(',')[0].Contains(word), $"{address} ({word}): {guess ?? output}");
        }
    }
}
