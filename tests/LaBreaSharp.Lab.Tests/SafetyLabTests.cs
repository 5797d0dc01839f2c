using System.Text.RegularExpressions;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Issue 11 against real Linux hosts: a silent live host (even the tarpit host's own
/// gateway) is never claimed; segments from a sender that left its checksums to the NIC are
/// answered; and the running tarpit has given up root.</summary>
public partial class SafetyLabTests
{
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Two ARP requests for 192.0.2.50, 3.5 s apart, from the scanner's MAC with a sender
    /// address nobody has (192.0.2.99): the live host's answers go to the scanner alone, so the
    /// tarpit sees only two unanswered requests, which LaBrea's rule alone takes for an unused address.</summary>
    private static void AskTwiceForTheLiveHost(Lab lab)
    {
        string script = "from scapy.all import *; import time\n"
            + "mac = get_if_hwaddr('eth0')\n"
            + "f = Ether(src=mac, dst='ff:ff:ff:ff:ff:ff') / ARP(op=1, hwsrc=mac, psrc='192.0.2.99', pdst='192.0.2.50')\n"
            + "sendp(f, iface='eth0', verbose=False); time.sleep(3.5); sendp(f, iface='eth0', verbose=False); time.sleep(1.5)\n"
            + "sendp(f, iface='eth0', verbose=False); time.sleep(1.5); sendp(f, iface='eth0', verbose=False)\n";
        var path = lab.File("ask.py");
        File.WriteAllText(path, script);
        var (code, _, error) = lab.Run("scan", $"{Python} {path}", 30_000);
        Assert.True(code == 0, error);
    }

    /// <summary>Who answers an ARP request for 192.0.2.50 now, by MAC.</summary>
    private static List<string> Answerers(Lab lab)
    {
        var (_, output, _) = lab.Run("scan", "arping -c 2 -w 3 -I eth0 192.0.2.50");
        return MacPattern().Matches(output).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct().ToList();
    }

    [RootFact]
    public void A_silent_live_host_answers_the_probe_and_keeps_its_address()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("");
        AskTwiceForTheLiveHost(lab);
        var refused = tarpit.WaitForEvents("claim-refused", seconds: 5);
        Assert.Equal("192.0.2.50", refused[0].GetProperty("dst").GetString());
        Assert.Equal("answered", refused[0].GetProperty("reason").GetString());
        Assert.Equal(Lab.LiveMac, refused[0].GetProperty("mac").GetString());
        Assert.Empty(tarpit.Events("capture"));
        Assert.Equal([Lab.LiveMac], Answerers(lab));
    }

    [RootFact]
    public void The_tarpit_hosts_own_gateway_is_never_probed_or_claimed()
    {
        using var lab = new Lab();
        lab.Run("tarpit", "ip route replace default via 192.0.2.50 dev eth0");
        using var tarpit = lab.StartTarpit("");
        AskTwiceForTheLiveHost(lab);
        var refused = tarpit.WaitForEvents("claim-refused", seconds: 5);
        Assert.Equal("gateway", refused[0].GetProperty("reason").GetString());
        Assert.Empty(tarpit.Events("capture"));
        Assert.Equal([Lab.LiveMac], Answerers(lab));
        tarpit.Stop();
        Assert.Matches(@"arp probes:\s+0\n", tarpit.Error);
    }

    /// <summary>The kernel leaves TX checksum offload on for a veth, so a local TCP client's frames
    /// carry only the pseudo-header's sum when they reach the tarpit. They must be answered.</summary>
    [RootFact]
    public void A_client_with_checksum_offload_on_is_trapped()
    {
        using var lab = new Lab();
        // The lab turns offloads off on every cable; put them back as the kernel leaves a veth:
        // the scanner's end and the switch's ports (a port without it would finish the sum itself).
        foreach (var (role, device) in new[] { ("scan", "eth0"), ("sw", "p-scan"), ("sw", "p-tarpit"), ("tarpit", "eth0") })
        {
            var (on, _, error) = lab.Run(role, $"ethtool -K {device} tx on");
            Assert.True(on == 0, error);
        }
        using var tarpit = lab.StartTarpit("");
        Clients.ClaimByPing(lab, "192.0.2.77");
        lab.Run("scan", "curl -s --max-time 3 http://192.0.2.77/", 10_000);
        tarpit.WaitForEvents("persist", seconds: 5);
        tarpit.Stop();
        Assert.Matches(@"partial checksums:\s+[1-9]", tarpit.Error);
        Assert.Matches(@"bad checksums:\s+0\n", tarpit.Error);
    }

    [RootFact]
    public void It_runs_as_nobody_with_no_capability_and_still_traps_and_reopens_its_log()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("");
        Assert.Contains("running as nobody", tarpit.Error);
        var status = File.ReadAllText($"/proc/{tarpit.ProcessId}/status");
        Assert.Matches(@"\nUid:\s+65534\s+65534\s+65534\s+65534\n", status);
        Assert.Matches(@"\nGid:\s+65534\s+65534\s+65534\s+65534\n", status);
        Assert.Matches(@"\nGroups:\s*\n", status);
        Assert.Contains("\nCapEff:\t0000000000000000\n", status);
        Assert.Contains("\nCapPrm:\t0000000000000000\n", status);
        Assert.Contains("\nCapBnd:\t0000000000000000\n", status);
        Assert.Contains("\nNoNewPrivs:\t1\n", status);

        Clients.ClaimByPing(lab, "192.0.2.77");
        var rotated = tarpit.LogFile + ".1";
        File.Move(tarpit.LogFile, rotated);
        Shell.Check("kill", $"-HUP {tarpit.ProcessId}");
        Thread.Sleep(500);
        lab.Run("scan", "nmap -sS -Pn -n -p 22 --max-retries 0 192.0.2.77", 60_000);
        tarpit.WaitForEvents("connect");
        Assert.Contains("\"event\":\"capture\"", File.ReadAllText(rotated));
        Assert.Equal("65534", Shell.Run("stat", $"-c %u {tarpit.LogFile}").Output.Trim()); // the new file is the tarpit user's
        Assert.False(tarpit.HasExited);
    }

    [RootFact]
    public void User_root_keeps_root_and_an_unknown_user_is_refused()
    {
        using var lab = new Lab();
        using (var root = lab.StartTarpit("--user root"))
        {
            Assert.Contains("running as root (--user root)", root.Error);
            Assert.Matches(@"\nUid:\s+0\s", File.ReadAllText($"/proc/{root.ProcessId}/status"));
        }
        var (code, _, error) = lab.Run("tarpit", $"{TarpitProcess.Executable} run -i eth0 --user lbs-no-such-user");
        Assert.Equal(2, code);
        Assert.Equal("labreasharp: --user lbs-no-such-user: no such user (name an unprivileged account, or --user root to keep root)", error.Trim());
    }

    [GeneratedRegex(@"\[([0-9A-Fa-f:]{17})\]")]
    private static partial Regex MacPattern();
}
