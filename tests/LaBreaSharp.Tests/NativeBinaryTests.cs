using System.Diagnostics;

namespace LaBreaSharp.Tests;

/// <summary>The shipped executable is out/labreasharp, built by scripts/build.sh with NativeAOT, while
/// every other test runs the same code on the JIT. Trimming can only remove what reflection would
/// have found (CommandLineParser reads the option types by reflection), so these run the native
/// binary and the JIT-compiled executable (labreasharp.dll beside the tests, under dotnet) on the
/// same arguments and require the same exit code, the same output and byte-identical files.</summary>
public sealed class NativeBinaryTests : IDisposable
{
    private static readonly string Binary = Path.Combine(RepositoryPaths.Root, "out", "labreasharp");
    private static readonly string[] Session = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01"];

    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-native-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Output, string Error) RunNative(params string[] args)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: scripts/build.sh builds it (scripts/test.sh runs it first)");
        return RunProcess(new ProcessStartInfo(Binary), args);
    }

    private static (int ExitCode, string Output, string Error) RunJit(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "labreasharp.dll"));
        return RunProcess(start, args);
    }

    private static (int ExitCode, string Output, string Error) RunProcess(ProcessStartInfo start, string[] args)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), $"{start.FileName} did not exit");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void The_binary_is_one_native_executable_that_needs_no_dotnet_runtime()
    {
        var header = new byte[4];
        using (var file = File.OpenRead(Binary))
            file.ReadExactly(header);
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, header);
        var beside = Directory.GetFiles(Path.GetDirectoryName(Binary)!).Select(Path.GetFileName).Order().ToArray();
        Assert.DoesNotContain(beside, name => name!.EndsWith(".dll", StringComparison.Ordinal) || name.EndsWith(".runtimeconfig.json", StringComparison.Ordinal));
        var (_, libraries, _) = Shell.Run("ldd", Binary);
        Assert.DoesNotContain("libcoreclr", libraries);
        Assert.DoesNotContain("libhostfxr", libraries);
    }

    public static TheoryData<string[]> Mistakes => new()
    {
        new[] { "--help" },
        new[] { "run", "--help" },
        new[] { "replay", "--help" },
        new[] { "inspect", "--help" },
        new[] { "--version" },
        new[] { "nonsense" },
        new[] { "run", "-i", "lo", "--mode", "bogus" },
        new[] { "replay", "-r", "x.pcap", "-w", "y.pcap", "--log-format", "xml" },
        new[] { "run", "-i", "lo", "--window", "x" },
        new[] { "run", "-i", "lo", "--window" },
        new[] { "replay", "-r", "x.pcap", "-w", "y.pcap", "--seed", "-1" },
        new[] { "replay", "-r", "x.pcap", "-w", "y.pcap", "--noise", "often" },
        new[] { "replay", "-r", "x.pcap", "-w", "y.pcap", "--no-such-option" },
        new[] { "inspect", "-r", "x.pcap", "-c", "0" },
        new[] { "run", "-i", "lo", "-n", "192.0.2.0/33" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Help_version_and_every_kind_of_option_mistake_read_as_on_the_jit(string[] args)
    {
        var jit = RunJit(args);
        var native = RunNative(args);
        Assert.Equal(jit.ExitCode, native.ExitCode);
        Assert.Equal(jit.Output, native.Output);
        Assert.Equal(jit.Error, native.Error);
    }

    public static TheoryData<string, string[]> Replays => new()
    {
        { "tarpit-session.pcap", Session },
        { "tarpit-session.pcap", [.. Session, "--mode", "tarpit", "--log-format", "json", "-v"] },
        { "tarpit-session.pcap", [.. Session, "--noise", "0.2", "--ack-delay", "50-200", "--drop-after", "30", "--ban", "60", "--banner", "80=http"] },
        { "nmap-syn-scan.pcap", ["--seed", "7", "--routed", "192.0.2.100/32", "--my-mac", "02:00:00:00:02:64", "--log-format", "labrea", "--exclude-ports", "443"] },
        { "curl-http.pcap", ["--seed", "3", "--routed", "192.0.2.100/32", "--my-mac", "02:00:00:00:02:64", "--ports", "80", "--banner-delay", "0.5"] },
        { "vlan-tagged.pcap", ["--seed", "5", "--routed", "192.0.2.140/32", "--routed", "192.0.2.200/32", "--my-mac", "02:00:00:00:02:64"] },
    };

    [Theory]
    [MemberData(nameof(Replays))]
    public void A_replay_writes_the_same_frames_and_the_same_log_as_on_the_jit(string fixture, string[] options)
    {
        string jitOut = Path.Combine(_directory, "jit.pcap"), nativeOut = Path.Combine(_directory, "native.pcap");
        var jit = RunJit(["replay", "-r", RepositoryPaths.Fixture(fixture), "-w", jitOut, .. options]);
        var native = RunNative(["replay", "-r", RepositoryPaths.Fixture(fixture), "-w", nativeOut, .. options]);
        Assert.True(jit.ExitCode == 0, jit.Error);
        Assert.Equal(jit.ExitCode, native.ExitCode);
        Assert.Equal(jit.Output, native.Output);
        Assert.Equal(jit.Error, native.Error);
        Assert.Equal(File.ReadAllBytes(jitOut), File.ReadAllBytes(nativeOut));
        Assert.True(new FileInfo(nativeOut).Length > 24, "the replay wrote no frame");
    }

    [Fact]
    public void A_config_file_reads_the_same_on_the_native_build()
    {
        string config = Path.Combine(_directory, "tarpit.toml");
        File.WriteAllText(config, "[defaults]\nack-delay = \"20-200\"\nnoise = 0.1\n\n[[ports]]\nports = \"80\"\nbehaviour = \"tarpit\"\n\n[[ports]]\nports = \"22,443\"\nbehaviour = \"banner\"\nbanner = \"ssh\"\n");
        string bad = Path.Combine(_directory, "bad.toml");
        File.WriteAllText(bad, "[defaults]\nnoise = \"often\"\n");
        foreach (var file in new[] { config, bad })
        {
            string jitOut = Path.Combine(_directory, "jit.pcap"), nativeOut = Path.Combine(_directory, "native.pcap");
            var jit = RunJit(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", jitOut, "--config", file, .. Session]);
            var native = RunNative(["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "-w", nativeOut, "--config", file, .. Session]);
            Assert.Equal((jit.ExitCode, jit.Output, jit.Error), (native.ExitCode, native.Output, native.Error));
            if (jit.ExitCode == 0)
                Assert.Equal(File.ReadAllBytes(jitOut), File.ReadAllBytes(nativeOut));
        }
    }

    /// <summary>contrib/labreasharp.service sets MemoryDenyWriteExecute=yes, which a JIT cannot run
    /// under. The kernel's own form of that rule (prctl PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN; Linux
    /// 6.3 and later) is set here before the native binary is executed, and the replay must still
    /// write what the JIT build writes.</summary>
    [Fact]
    public void The_native_binary_runs_where_no_memory_may_become_executable()
    {
        const string Wrapper = "import ctypes, os, sys\n" +
                               "libc = ctypes.CDLL(None, use_errno=True)\n" +
                               "if libc.prctl(65, 1, 0, 0, 0) != 0 or libc.prctl(66, 0, 0, 0, 0) != 1:\n" +
                               "    sys.exit('PR_SET_MDWE failed: errno %d' % ctypes.get_errno())\n" +
                               "os.execv(sys.argv[1], sys.argv[1:])\n";
        string jitOut = Path.Combine(_directory, "jit.pcap"), nativeOut = Path.Combine(_directory, "native.pcap");
        string[] replay = ["replay", "-r", RepositoryPaths.Fixture("tarpit-session.pcap"), "--banner", "80=http", .. Session];
        var jit = RunJit([.. replay, "-w", jitOut]);
        var start = new ProcessStartInfo("python3");
        foreach (var arg in new[] { "-c", Wrapper, Binary })
            start.ArgumentList.Add(arg);
        var native = RunProcess(start, [.. replay, "-w", nativeOut]);
        Assert.True(native.ExitCode == 0, native.Error);
        Assert.Equal(jit.Output, native.Output);
        Assert.Equal(File.ReadAllBytes(jitOut), File.ReadAllBytes(nativeOut));
    }
}
