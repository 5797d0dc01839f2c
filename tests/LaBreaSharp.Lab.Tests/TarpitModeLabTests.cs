namespace LaBreaSharp.Lab.Tests;

/// <summary>Lab case 4: without persist, the client's data is never acknowledged.</summary>
public class TarpitModeLabTests
{
    [RootFact]
    public void In_tarpit_mode_the_data_is_never_acknowledged_and_the_client_retransmits()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--mode tarpit");
        Clients.ClaimByPing(lab, "192.0.2.77");
        using var client = Clients.StartTrappedClient(lab, "192.0.2.77", 80);
        Wait.For(() => Clients.Sockets(lab, "192.0.2.77").Any(s => s.Timer == "on" && s.TimerCount >= 2),
            TimeSpan.FromSeconds(20), "the client to retransmit its data twice");
        var socket = Clients.Sockets(lab, "192.0.2.77").First(s => s.State == "ESTAB");
        Assert.True(socket.SendQueue > 0, socket.Line);
        Assert.Single(tarpit.WaitForEvents("established"));
        Assert.Empty(tarpit.Events("persist"));
        Assert.Single(tarpit.Events("connect"));
        client.StandardInput.Close();
    }
}
