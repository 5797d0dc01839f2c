namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 6 (802.1Q): a client behind an access port for VLAN 100 reaches the tarpit
/// tagged; the tarpit claims, traps and answers with the tag.</summary>
public class VlanLabTests
{
    [RootFact]
    public void A_client_on_vlan_100_is_trapped_and_every_reply_is_tagged()
    {
        using var lab = new Lab(vlan: true);
        var recording = lab.File("vlan.pcap");
        using var tarpit = lab.StartTarpit($"--write {recording}");
        Clients.ClaimByPing(lab, "192.0.2.78", role: "vcl");
        using var client = Clients.StartTrappedClient(lab, "192.0.2.78", 80, role: "vcl");
        Clients.WaitUntilHeld(lab, tarpit, client, "192.0.2.78", role: "vcl");
        client.StandardInput.Close();
        var took = tarpit.Stop();
        Assert.True(took < TimeSpan.FromSeconds(2), $"stopping took {took}: {tarpit.Error}");

        var (code, lines, error) = Shell.Run(TarpitProcess.Executable, $"inspect -r {recording} -e");
        Assert.True(code == 0, error);
        var replies = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains($" {Lab.TarpitMac} > ")).ToList();
        Assert.True(replies.Any(l => l.Contains("ARP reply 192.0.2.78 is-at " + Lab.TarpitMac)), lines);
        Assert.True(replies.Any(l => l.Contains(": S. seq ")), lines + tarpit.Error);
        Assert.True(replies.Any(l => l.Contains(" win 0")), lines);
        Assert.All(replies, l => Assert.Contains(", vlan 100 ", l));
        // and the tagged client's own frames arrived tagged too
        Assert.Contains(lines.Split('\n'), l => l.Contains(" 02:00:00:00:02:1e > ") && l.Contains(", vlan 100 ") && l.Contains(": S seq "));
    }
}
