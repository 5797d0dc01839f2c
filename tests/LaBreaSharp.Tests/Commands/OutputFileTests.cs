namespace LaBreaSharp.Tests.Commands;

/// <summary>Issue 11, item 7: an output that is the input or another output is refused before anything
/// is opened, so nothing is truncated.</summary>
public sealed class OutputFileTests : IDisposable
{
    private static readonly string[] Identity = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01", "-q"];
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-outputs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Temp(string name) => Path.Combine(_directory, name);

    private string CopyOfFixture()
    {
        var path = Temp("input.pcap");
        File.Copy(RepositoryPaths.Fixture("tarpit-session.pcap"), path);
        return path;
    }

    [Fact]
    public void Writing_the_replies_over_the_input_is_refused_and_the_input_is_untouched()
    {
        var input = CopyOfFixture();
        var before = File.ReadAllBytes(input);
        var (code, _, error) = CliRunner.Run(["replay", "-r", input, "-w", input, .. Identity]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"labreasharp: -w '{input}' is also -r, the input: give each output a file of its own", error.Trim());
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Another_spelling_or_a_link_of_the_input_is_the_same_file()
    {
        var input = CopyOfFixture();
        var before = File.ReadAllBytes(input);
        var link = Temp("link.pcap");
        File.CreateSymbolicLink(link, input);
        foreach (var output in new[] { link, Path.Combine(_directory, ".", "input.pcap") })
        {
            var (code, _, error) = CliRunner.Run(["replay", "-r", input, "-w", Temp("ok.pcap"), "--merged", output, .. Identity]);
            Assert.Equal(ExitCodes.Usage, code);
            Assert.Contains("is the same file as -r", error);
            Assert.Single(CliRunner.Lines(error));
        }
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.False(File.Exists(Temp("ok.pcap")));
    }

    [Fact]
    public void Merged_output_into_the_replies_file_is_refused_even_before_it_exists()
    {
        var output = Temp("out.pcap");
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", output, "--merged", output, .. Identity]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"labreasharp: --merged '{output}' is also -w, another output: give each output a file of its own", error.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void The_log_file_cannot_be_an_output_or_the_input_either()
    {
        var input = CopyOfFixture();
        var before = File.ReadAllBytes(input);
        var output = Temp("out.pcap");
        var (code, _, error) = CliRunner.Run(["replay", "-r", input, "-w", output, "--log-file", input, .. Identity]);
        Assert.Equal((ExitCodes.Usage, 1), (code, CliRunner.Lines(error).Length));
        Assert.Contains("--log-file", error);
        Assert.Equal(before, File.ReadAllBytes(input));
        (code, _, error) = CliRunner.Run(["replay", "-r", input, "-w", output, "--log-file", output, .. Identity]);
        Assert.Equal((ExitCodes.Usage, 1), (code, CliRunner.Lines(error).Length));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Devices_may_be_named_twice()
    {
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", "/dev/null", "--merged", "/dev/null", .. Identity]);
        Assert.True(code == 0, error);
    }
}
