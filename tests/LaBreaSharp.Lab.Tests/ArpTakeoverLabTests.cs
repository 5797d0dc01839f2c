namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 1 (and ICMP echo): the takeover rule against a real Linux neighbour stack.</summary>
public class ArpTakeoverLabTests
{
    [RootFact]
    public void An_unused_address_is_claimed_after_the_arp_timeout_and_answers_pings()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--arp-timeout 3");
        double seconds = Clients.ClaimByPing(lab, "192.0.2.77");
        Assert.InRange(seconds, 2.5, 10);

        // The claiming pings may have been answered too: these three must add three events.
        int before = tarpit.Events("ping").Count();
        var (code, output, _) = lab.Run("scan", "ping -c 3 -i 0.3 -W 1 192.0.2.77");
        Assert.True(code == 0, output);
        Assert.Contains("3 received", output);
        tarpit.WaitForEvents("ping", before + 3);
        var capture = Assert.Single(tarpit.WaitForEvents("capture"));
        Assert.Equal("192.0.2.77", capture.GetProperty("dst").GetString());
        Assert.Equal("192.0.2.2", capture.GetProperty("src").GetString());
    }

    [RootFact]
    public void A_dry_run_decides_and_logs_but_sends_nothing()
    {
        using var lab = new Lab();
        var recording = lab.File("dry.pcap");
        using var tarpit = lab.StartTarpit($"--dry-run --arp-timeout 1 --write {recording}");
        var (_, output, _) = lab.Run("scan", "ping -c 6 -i 0.5 -W 1 192.0.2.77");
        Assert.Contains(" 0 received", output);
        Assert.NotEqual(Lab.TarpitMac, lab.NeighbourMac("scan", "192.0.2.77"));
        Assert.Single(tarpit.WaitForEvents("capture")); // the decision was made and logged
        tarpit.Stop();
        Assert.Contains("DRY RUN", tarpit.Error);
        Assert.Matches(@"replies sent:\s+[1-9]", tarpit.Error); // what it would have sent is recorded...
        var (code, lines, error) = Shell.Run(TarpitProcess.Executable, $"inspect -r {recording} -e");
        Assert.True(code == 0, error);
        Assert.Contains(lines.Split('\n'), l => l.Contains($" {Lab.TarpitMac} > ") && l.Contains("ARP reply 192.0.2.77"));
    }

    [RootFact]
    public void A_live_host_that_has_spoken_is_never_claimed()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--arp-timeout 1");
        // On a switch the tarpit sees broadcasts only: not the live host's unicast replies to the
        // scanner. What tells it the address is in use is the live host's own broadcast ARP, as
        // every host sends (here: resolving the tarpit host). Without it, a requester that asks
        // again after the timeout would get the address claimed: the rule cannot see the answer.
        var (spoke, said, _) = lab.Run("live", "arping -c 1 -w 2 -I eth0 192.0.2.1");
        Assert.True(spoke == 0, said);
        for (int round = 0; round < 3; round++)
        {
            lab.Run("scan", "ip neigh flush all");
            var (code, output, _) = lab.Run("scan", "ping -c 2 -i 0.5 -W 1 192.0.2.50");
            Assert.True(code == 0, output);
            Assert.Equal(Lab.LiveMac, lab.NeighbourMac("scan", "192.0.2.50"));
        }
        // The control: in the same run, an address nobody has is taken, so takeover was working.
        Clients.ClaimByPing(lab, "192.0.2.77");
        tarpit.Stop(); // the log is complete once the tarpit has exited
        var claimed = tarpit.Events("capture").Select(e => e.GetProperty("dst").GetString()).ToList();
        Assert.Contains("192.0.2.77", claimed);
        Assert.DoesNotContain("192.0.2.50", claimed);
    }

    [RootFact]
    public void A_host_that_appears_later_gets_its_address_back_at_once()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--arp-timeout 3");
        Clients.ClaimByPing(lab, "192.0.2.60");

        lab.AddHost("late", "192.0.2.60/24", "02:00:00:00:02:3c"); // comes up with a gratuitous ARP
        var release = Assert.Single(tarpit.WaitForEvents("release", seconds: 3));
        Assert.Equal("192.0.2.60", release.GetProperty("dst").GetString());
        Assert.Equal("02:00:00:00:02:3c", release.GetProperty("mac").GetString());

        // The scanner now reaches the newcomer, and the tarpit no longer answers for it.
        Wait.For(() => lab.NeighbourMac("scan", "192.0.2.60") == "02:00:00:00:02:3c", TimeSpan.FromSeconds(5), "the scanner to learn the newcomer's MAC");
        var (code, output, _) = lab.Run("scan", "ping -c 2 -i 0.3 -W 1 192.0.2.60");
        Assert.True(code == 0, output);
    }
}
