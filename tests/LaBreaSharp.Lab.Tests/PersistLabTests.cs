namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 3: a Linux client held in persist state. Linux counts a probe as unanswered
/// unless the ACK is fresh (ack = snd_una); at tcp_retries2 (15) unanswered probes it aborts,
/// which LaBrea 2.5's one-byte-behind answers bring about in about 16 minutes. Here the counter
/// must stay at 0 or 1 through three minutes of probing. Under the stealth profile the same, once
/// the client has filled the real-looking window (64 KB) the address's personality offered, on a
/// port that personality has open.</summary>
public class PersistLabTests
{
    [RootTheory]
    [InlineData("classic")]
    [InlineData("stealth")]
    public void A_linux_client_stays_in_persist_with_its_probe_counter_at_zero_and_keeps_probing_after_close(string profile)
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit($"-v --profile {profile}");
        bool stealth = profile == "stealth";
        Clients.ClaimByPing(lab, "192.0.2.77", anyMac: stealth);
        int port = stealth ? Clients.FirstOpenPort(lab, "192.0.2.77") : 80;
        using var client = Clients.StartTrappedClient(lab, "192.0.2.77", port, fill: stealth);
        Clients.WaitUntilHeld(lab, tarpit, client, "192.0.2.77");

        var samples = new List<SocketView>();
        var end = DateTime.UtcNow.AddSeconds(190);
        while (DateTime.UtcNow < end)
        {
            samples.AddRange(Clients.Sockets(lab, "192.0.2.77").Where(s => s.State == "ESTAB"));
            Thread.Sleep(2_000);
        }
        Assert.True(samples.Count >= 80, $"{samples.Count} samples");
        Assert.All(samples, s => Assert.Equal("persist", s.Timer));
        Assert.All(samples, s => Assert.InRange(s.TimerCount, 0, 1));
        Assert.All(samples, s => Assert.True(s.SendQueue > 0, s.Line)); // the request is still waiting to be sent

        Assert.Single(tarpit.WaitForEvents("persist"));
        int probes = tarpit.Events("probe").Count();
        Assert.True(probes >= 7, $"{probes} probes answered in three minutes");

        // The client closes: its kernel keeps the socket in FIN-WAIT-1, still probing.
        client.StandardInput.Close();
        Wait.For(() => Clients.Sockets(lab, "192.0.2.77").Any(s => s.State == "FIN-WAIT-1" && s.Timer == "persist"),
            TimeSpan.FromSeconds(10), "FIN-WAIT-1 with a persist timer");
        Assert.True(client.WaitForExit(10_000));
    }
}
