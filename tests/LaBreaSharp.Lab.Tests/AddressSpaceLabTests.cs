namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 5: each way of owning address space traps a real connection.</summary>
public class AddressSpaceLabTests
{
    private static void AssertTrapped(Lab lab, TarpitProcess tarpit, string address, int port)
    {
        using var client = Clients.StartTrappedClient(lab, address, port);
        var held = Clients.WaitUntilHeld(lab, tarpit, client, address);
        Assert.Equal("ESTAB", held.State);
        client.StandardInput.Close();
    }

    [RootFact]
    public void Hard_capture_answers_at_once_and_traps()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--hard-capture 192.0.2.64/26");
        var started = DateTime.UtcNow;
        AssertTrapped(lab, tarpit, "192.0.2.70", 80);
        // The SYN reached the tarpit well before an ARP takeover could have happened (3 s).
        var connect = Assert.Single(tarpit.WaitForEvents("connect"));
        var connectedAfter = connect.GetProperty("time").GetDateTime().ToUniversalTime() - started;
        Assert.True(connectedAfter < TimeSpan.FromSeconds(2), $"the SYN came {connectedAfter.TotalSeconds:0.00} s after the client started");
        Assert.Empty(tarpit.Events("capture")); // claimed from the start, no takeover needed
    }

    [RootFact]
    public void A_routed_unused_subnet_traps()
    {
        using var lab = new Lab();
        // The printed rules must load: nft checks every line of them.
        var (code, _, error) = lab.Run("tarpit", $"sh -c \"{TarpitProcess.Executable} run -i eth0 --routed 198.51.100.0/24 --print-firewall | nft -f -\"");
        Assert.True(code == 0, error);
        using var tarpit = lab.StartTarpit("--routed 198.51.100.0/24");
        AssertTrapped(lab, tarpit, "198.51.100.7", 443);
    }

    [RootFact]
    public void A_port_of_the_host_itself_traps_once_the_printed_firewall_rules_are_loaded()
    {
        using var lab = new Lab();
        var (code, _, error) = lab.Run("tarpit", $"sh -c \"{TarpitProcess.Executable} run -i eth0 --host-ports 2222 --print-firewall | nft -f -\"");
        Assert.True(code == 0, error);
        using var tarpit = lab.StartTarpit("--host-ports 2222");
        AssertTrapped(lab, tarpit, "192.0.2.1", 2222);
        var connect = Assert.Single(tarpit.WaitForEvents("connect"));
        Assert.Equal("192.0.2.1", connect.GetProperty("dst").GetString());
    }
}
