namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab cases 2, 6 (SYN-ACK) and 8: what scanners see, and what the tarpit records.</summary>
public class ScanLabTests
{
    private static Dictionary<int, string> PortStates(string nmapOutput) =>
        nmapOutput.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^(\d+)/tcp\s+(\w+)"))
            .Where(m => m.Success)
            .ToDictionary(m => int.Parse(m.Groups[1].Value), m => m.Groups[2].Value);

    [RootFact]
    public void Nmap_finds_the_tarpits_ports_open_and_the_live_hosts_closed_and_the_recording_holds_it_all()
    {
        using var lab = new Lab();
        var recording = lab.File("run.pcap");
        using var tarpit = lab.StartTarpit($"--write {recording}");
        Clients.ClaimByPing(lab, "192.0.2.77");

        var (code, output, _) = lab.Run("scan", "nmap -sS -Pn -n -p 22,80,443 --max-retries 1 192.0.2.77", 120_000);
        Assert.True(code == 0, output);
        Assert.Equal(new Dictionary<int, string> { [22] = "open", [80] = "open", [443] = "open" }, PortStates(output));

        (code, output, _) = lab.Run("scan", "nmap -sS -Pn -n -p 22,80,443 --max-retries 1 192.0.2.50", 120_000);
        Assert.True(code == 0, output);
        Assert.Equal(new Dictionary<int, string> { [22] = "closed", [80] = "closed", [443] = "closed" }, PortStates(output));

        // A connect scan completes real handshakes; it must still finish, in bounded time.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (code, output, _) = lab.Run("scan", "timeout 90 nmap -sT -Pn -n -p 22,80 --max-retries 1 192.0.2.77", 120_000);
        Assert.True(code == 0, output);
        Assert.Equal(new Dictionary<int, string> { [22] = "open", [80] = "open" }, PortStates(output));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"connect scan took {clock.Elapsed}");
        tarpit.WaitForEvents("connect", 5);

        tarpit.Stop();
        var (readCode, lines, error) = Shell.Run("tcpdump", $"-r {recording} -n");
        Assert.True(readCode == 0, error);
        Assert.Contains("192.0.2.2", lines);
        Assert.Contains("Flags [S]", lines);
        Assert.Contains("192.0.2.77.80 > 192.0.2.2.", lines);
        Assert.Contains("Flags [S.]", lines);
        Assert.Contains("ARP, Reply 192.0.2.77 is-at " + Lab.TarpitMac, lines);
    }

    [RootFact]
    public void An_unsolicited_synack_is_answered_with_a_rst()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("");
        Clients.ClaimByPing(lab, "192.0.2.77");
        var (_, output, error) = lab.Run("scan", "hping3 -c 1 -S -A -p 80 -M 123456 -L 777 192.0.2.77", 30_000);
        Assert.Contains("flags=R ", output + error);
        tarpit.WaitForEvents("synack-rst");
    }
}
