using System.Buffers.Binary;

namespace LaBreaSharp.Tests.Commands;

/// <summary>Issue 11, items 9 and 10: every failure is one sentence and a documented exit code.</summary>
public sealed class ErrorMessageTests : IDisposable
{
    private static readonly string[] Identity = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01", "-q"];
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-errors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Temp(string name) => Path.Combine(_directory, name);

    /// <summary>The session fixture cut off in the middle of its last record.</summary>
    private string Damaged()
    {
        var bytes = File.ReadAllBytes(RepositoryPaths.Fixture("tarpit-session.pcap"));
        var path = Temp("damaged.pcap");
        File.WriteAllBytes(path, bytes[..^5]);
        return path;
    }

    [Fact]
    public void A_file_damaged_part_way_is_exit_2_like_a_bad_header_in_replay_and_inspect()
    {
        var damaged = Damaged();
        var (code, _, error) = CliRunner.Run(["replay", "-r", damaged, "-w", Temp("out.pcap"), .. Identity]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"labreasharp: '{damaged}' is damaged after frame ", error);
        Assert.Matches(@"frames read:\s+\d+", error); // the summary of what was replayed
        (code, _, error) = CliRunner.Run("inspect", "-r", damaged);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(CliRunner.Lines(error));
    }

    [Fact]
    public void A_raw_ip_capture_is_called_raw_ip_not_link_type_12()
    {
        var path = Temp("raw.pcap");
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 101); // LINKTYPE_RAW
        File.WriteAllBytes(path, header);
        var (code, _, error) = CliRunner.Run(["replay", "-r", path, "-w", Temp("out.pcap"), .. Identity]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"labreasharp: '{path}' holds raw IP packets (LINKTYPE_RAW), not Ethernet frames; only Ethernet captures can be replayed", error.Trim());
        (code, _, error) = CliRunner.Run("inspect", "-r", path);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("raw IP packets (LINKTYPE_RAW)", error);
    }

    [Fact]
    public void A_log_file_that_is_a_directory_is_called_a_directory()
    {
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", Temp("out.pcap"), "--log-file", _directory, .. Identity]);
        Assert.Equal(ExitCodes.Environment, code);
        Assert.Equal($"labreasharp: cannot write the log file '{_directory}': it is a directory", error.Trim());
    }

    [Fact]
    public void An_empty_log_file_name_is_one_sentence_and_exit_2()
    {
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", Temp("out.pcap"), "--log-file", "", .. Identity]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("labreasharp: --log-file names no file (it is empty)", error.Trim());
        Assert.False(File.Exists(Temp("out.pcap")));
    }

    [Theory]
    [InlineData("--my-ip")]      // echoed by the shell
    [InlineData("-n")]           // echoed by the engine's parser
    [InlineData("--banner")]
    [InlineData("-r")]           // a file name, with spaces
    public void A_huge_argument_is_cut_where_it_is_echoed(string option)
    {
        string huge = string.Concat(Enumerable.Repeat("junk and ", 11_112)); // 100 kB
        string[] args = option == "-r" ? ["replay", "-r", huge, "-w", Temp("o.pcap"), .. Identity]
            : ["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", Temp("o.pcap"), .. Identity, option, huge];
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(CliRunner.Lines(error));
        Assert.True(error.Length < 300, $"{error.Length} characters: {error[..Math.Min(300, error.Length)]}");
        Assert.Contains(huge[..80] + "…'", error);
    }

    [Fact]
    public void A_huge_unknown_option_is_cut_too()
    {
        var (code, _, error) = CliRunner.Run("replay", "--" + new string('x', 100_000));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.True(error.Length < 300, $"{error.Length} characters");
        Assert.EndsWith("…'", error.Trim());
    }
}
