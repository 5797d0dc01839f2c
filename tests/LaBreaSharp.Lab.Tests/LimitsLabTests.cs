using System.Text.RegularExpressions;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 7: a bounded SYN burst against a low --max-pps.</summary>
public class LimitsLabTests
{
    [RootFact]
    public void A_syn_burst_gets_no_more_replies_than_the_cap_allows_and_the_rest_are_counted()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--max-pps 20");
        Clients.ClaimByPing(lab, "192.0.2.77");
        Thread.Sleep(1_100); // let the claim's pings and ARP replies fall out of the one-second bucket

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (_, output, error) = lab.Run("scan", "hping3 -q -S -p 80 -i u2500 -c 400 192.0.2.77", 60_000);
        double seconds = clock.Elapsed.TotalSeconds;
        var received = Regex.Match(output + error, @"(\d+) packets received");
        Assert.True(received.Success, output + error);
        int replies = int.Parse(received.Groups[1].Value);
        int allowed = (int)Math.Ceiling(20 * (seconds + 1)) + 1;
        Assert.InRange(replies, 1, allowed);

        tarpit.Stop();
        var drops = Regex.Match(tarpit.Error, @"drops by limit:\s+(\d+)");
        Assert.True(drops.Success, tarpit.Error);
        Assert.True(int.Parse(drops.Groups[1].Value) >= 400 - allowed, tarpit.Error);
        Assert.Contains(tarpit.WaitForEvents("limit-drop"), e => e.GetProperty("count").GetInt64() > 0);
    }
}
