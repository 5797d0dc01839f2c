namespace LaBreaSharp.Lab.Tests;

/// <summary>Issue 11, item 9: the interface under <c>run</c> disappears. The run ends with one
/// sentence, the summary and exit 1 (a failure while running), not an unhandled PcapException.</summary>
public class InterfaceLossLabTests
{
    [RootFact]
    public void Deleting_the_interface_ends_the_run_with_one_sentence_the_summary_and_exit_1()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("");
        lab.Run("tarpit", "ip link del eth0");
        Wait.For(() => tarpit.HasExited, TimeSpan.FromSeconds(10), "the tarpit to exit");
        tarpit.Stop(); // drains its output

        Assert.Equal(1, tarpit.ExitCode);
        Assert.DoesNotContain("Unhandled", tarpit.Error);
        var sentence = Assert.Single(tarpit.Error.Split('\n'), l => l.StartsWith("labreasharp: capture on eth0 stopped", StringComparison.Ordinal));
        Assert.EndsWith("; the tarpit ends here", sentence);
        Assert.Matches(@"frames read:\s+\d+", tarpit.Error);
    }
}
