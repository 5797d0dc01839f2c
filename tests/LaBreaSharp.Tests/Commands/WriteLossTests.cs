using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;
using LaBreaSharp.Tests.Logging;

namespace LaBreaSharp.Tests.Commands;

/// <summary>Issue 11, item 6: a log or capture file that cannot be written is said once on stderr,
/// counted in the summary and the exit code, and never stops the tarpit; writing resumes when space
/// comes back, and what was written stays whole.</summary>
public sealed class WriteLossTests : IDisposable
{
    private static readonly string[] Identity = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01", "-q"];
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-loss-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Temp(string name) => Path.Combine(_directory, name);

    private static (int Code, string Error) Replay(params string[] options)
    {
        var (code, _, error) = CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), .. Identity, .. options]);
        return (code, error);
    }

    [Fact]
    public void Replies_written_to_dev_full_are_counted_as_not_recorded_and_the_exit_code_says_so()
    {
        var (code, error) = Replay("-w", "/dev/full");
        Assert.Equal(ExitCodes.Incomplete, code);
        var warning = Assert.Single(CliRunner.Lines(error), l => l.Contains("/dev/full"));
        Assert.Equal("labreasharp: warning: cannot write the capture file '/dev/full' (No space left on device): frames are not being recorded until it can be written again; the tarpit goes on", warning);
        var replies = CapturedPacket.ReadAll(WriteReplies()).Count;
        Assert.Matches($@"frames not recorded:\s+{replies}\b", error);
        Assert.Matches(@"events lost:\s+0\b", error);
    }

    [Fact]
    public void A_log_file_on_dev_full_loses_events_that_are_counted()
    {
        var (code, error) = Replay("-w", Temp("out.pcap"), "--log-file", "/dev/full");
        Assert.Equal(ExitCodes.Incomplete, code);
        Assert.Single(CliRunner.Lines(error), l => l.StartsWith("labreasharp: warning: cannot write the log file '/dev/full' (No space left on device): events are being lost", StringComparison.Ordinal));
        var events = CliRunner.Lines(CliRunner.Run(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", Temp("again.pcap"), .. Identity[..^1]]).Output).Length;
        Assert.Matches($@"events lost:\s+{events}\b", error);
        Assert.Matches(@"frames not recorded:\s+0\b", error);
    }

    [Fact]
    public void Nothing_lost_is_exit_0_with_zero_counts()
    {
        var (code, error) = Replay("-w", Temp("out.pcap"), "--log-file", Temp("events.log"));
        Assert.Equal(0, code);
        Assert.Matches(@"events lost:\s+0\b", error);
        Assert.Matches(@"frames not recorded:\s+0\b", error);
    }

    private string WriteReplies()
    {
        var path = Temp("replies.pcap");
        Assert.Equal(0, Replay("-w", path).Code);
        return path;
    }

    [RootFact]
    public void A_full_filesystem_under_the_log_file_loses_whole_lines_and_the_log_resumes_when_space_comes_back()
    {
        using var disk = new SmallFilesystem(64);
        var path = disk.PathOf("events.log");
        var problems = new StringWriter();
        var connect = Events.Tcp(TarpitEventKind.Connect);
        int emitted = 0;
        long lost;
        using (var log = new EventLog(new LogOptions { LogFile = path, Console = false, FloodRate = 0 }, TextWriter.Null, problems)) // one line per event, however many a second
        {
            disk.Fill();
            for (; emitted < 2_000 && log.EventsLost == 0; emitted++)
            {
                log.Emit(connect);
                if (emitted % 50 == 49)
                    log.Flush();
            }
            Assert.True(log.EventsLost > 0, "a full disk lost nothing");
            Assert.Single(CliRunner.Lines(problems.ToString()));
            for (int i = 0; i < 100; i++, emitted++)
                log.Emit(connect);
            log.Flush();
            disk.Free();
            for (int i = 0; i < 100; i++, emitted++)
                log.Emit(connect);
            log.Flush();
            lost = log.EventsLost;
        }
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Equal("", lines[^1]);                                        // ends with a whole line
        Assert.All(lines[..^1], l => Assert.EndsWith("192.0.2.100:80", l));  // and every line is whole
        Assert.Equal(emitted - lost, lines.Length - 1);
        var messages = CliRunner.Lines(problems.ToString());
        Assert.Equal(2, messages.Length);
        Assert.StartsWith($"labreasharp: warning: cannot write the log file '{path}' (No space left on device)", messages[0]);
        Assert.Equal($"labreasharp: the log file '{path}' is being written again; {lost} events were lost", messages[1]);
    }
}
