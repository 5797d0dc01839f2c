namespace LaBreaSharp.Tests.Inspect;

/// <summary>Captures that other people recorded (../shared/pcaps, beside the repository in
/// development and CI): valid traffic of every kind must parse without a malformed line.</summary>
public class SharedCaptureTests
{
    public static IEnumerable<object[]> Captures() =>
        Directory.Exists(RepositoryPaths.SharedPcaps)
            ? Directory.EnumerateFiles(RepositoryPaths.SharedPcaps).Where(f => f.EndsWith(".pcap") || f.EndsWith(".pcapng")).Order().Select(f => new object[] { Path.GetFileName(f) })
            : [];

    [Fact]
    public void The_shared_captures_are_there()
    {
        Assert.True(Directory.Exists(RepositoryPaths.SharedPcaps), $"expected public captures in {RepositoryPaths.SharedPcaps}");
        Assert.Contains(Captures(), c => ((string)c[0]).EndsWith(".pcapng"));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Valid_traffic_has_no_malformed_line(string name)
    {
        var (code, output, error) = CliRunner.Run("inspect", "-r", Path.Combine(RepositoryPaths.SharedPcaps, name));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = CliRunner.Lines(output);
        Assert.True(lines.Length > 100);
        Assert.DoesNotContain(lines, l => l.Contains("malformed:"));
        Assert.EndsWith(" 0 malformed", lines[^1]);
    }
}
