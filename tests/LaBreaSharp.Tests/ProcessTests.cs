using System.Diagnostics;
using LaBreaSharp.Tests.Commands;

namespace LaBreaSharp.Tests;

/// <summary>The real executable in a child process, for what only a process shows: exit codes
/// and messages when the machine itself is not ready.</summary>
public class ProcessTests
{
    private static (int ExitCode, string Output, string Error) RunExecutable(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "labreasharp.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), "labreasharp did not exit");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void Without_libpcap_the_message_names_the_package_and_the_exit_code_is_3()
    {
        var (code, output, error) = RunExecutable(
            new Dictionary<string, string> { ["LABREASHARP_LIBPCAP"] = "/nonexistent/libpcap.so.0.8" },
            "inspect", "-r", RepositoryPaths.Fixture("curl-http.pcap"));
        Assert.Equal(ExitCodes.Environment, code);
        Assert.Equal("", output);
        Assert.Equal("labreasharp: libpcap could not be loaded (tried /nonexistent/libpcap.so.0.8): " +
                     "install Debian's package libpcap0.8 (apt-get install -y libpcap0.8, or run scripts/setup.sh)", error.Trim());
    }

    [Fact]
    public void The_executable_inspects_a_fixture()
    {
        var (code, output, error) = RunExecutable(new Dictionary<string, string>(), "inspect", "-r", RepositoryPaths.Fixture("nmap-syn-scan.pcap"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.EndsWith(" 0 malformed", output.Trim());
    }

    /// <summary>Issue 11, item 8: SIGINT during a replay flushes the output, prints the summary and exits 130.
    /// The input is a FIFO, so the replay is surely mid-way when the signal comes: it has read the
    /// session and waits for more.</summary>
    [Fact]
    public async Task Sigint_during_a_replay_flushes_the_output_prints_the_summary_and_exits_130()
    {
        var directory = Directory.CreateTempSubdirectory("labreasharp-sigint-").FullName;
        try
        {
            var fifo = Path.Combine(directory, "input.pcap");
            var output = Path.Combine(directory, "out.pcap");
            Shell.Check("mkfifo", fifo);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "labreasharp.dll"), "replay", "-r", fifo, "-w", output,
                         "--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01", "-q" })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var errorRead = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                writer.Write(File.ReadAllBytes(RepositoryPaths.Fixture("tarpit-session.pcap")));
                writer.Flush();
                Thread.Sleep(1_500);
                Shell.Check("kill", $"-INT {process.Id}");
                Thread.Sleep(500);
            } // end of input: the replay's read returns, and it sees the signal
            Assert.True(process.WaitForExit(30_000), "labreasharp did not exit");
            Assert.Equal(ExitCodes.Sigint, process.ExitCode);
            var error = await errorRead;
            var fixture = CapturedPacket.ReadAll(RepositoryPaths.Fixture("tarpit-session.pcap"));
            Assert.Contains($"labreasharp: interrupted by SIGINT after frame {fixture.Count}", error);
            Assert.Matches($@"frames read:\s+{fixture.Count}\b", error);
            using var reader = LaBreaSharp.Pcap.CaptureFileReader.Open(output);
            int frames = 0;
            while (reader.Read(out _) == LaBreaSharp.Pcap.ReceiveStatus.Frame)
                frames++;
            Assert.Equal(fixture.Count(f => f.Source == LaBreaSharp.Core.Addressing.MacAddress.Parse("06:00:00:00:02:01")), frames); // every reply of the session
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
