using System.Diagnostics;

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
}
