using System.Text.Json;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

public sealed class EventLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-log-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static EventLog FileOnly(string path, LogFormat format = LogFormat.Text, int verbosity = 0) =>
        new(new LogOptions { Format = format, LogFile = path, Console = false, Verbosity = verbosity }, TextWriter.Null);

    [Fact]
    public void Probes_are_off_at_verbosity_0_and_everything_else_is_on()
    {
        using var log = new CapturedLog(LogFormat.Text);
        Assert.False(log.Log.IsEnabled(TarpitEventKind.Probe));
        foreach (var kind in Enum.GetValues<TarpitEventKind>().Where(k => k != TarpitEventKind.Probe))
            Assert.True(log.Log.IsEnabled(kind), kind.ToString());
        log.Log.Emit(Events.Tcp(TarpitEventKind.Probe));
        Assert.Empty(log.Lines());
    }

    [Fact]
    public void Probes_are_on_from_verbosity_1()
    {
        using var log = new CapturedLog(LogFormat.Text, verbosity: 1);
        Assert.True(log.Log.IsEnabled(TarpitEventKind.Probe));
        Assert.EndsWith(" probe 192.0.2.2:40000 -> 192.0.2.100:80", log.LineFor(Events.Tcp(TarpitEventKind.Probe)));
    }

    [Fact]
    public void With_no_destination_nothing_is_enabled()
    {
        using var log = new EventLog(new LogOptions { Console = false, Verbosity = 3 }, TextWriter.Null);
        Assert.All(Enum.GetValues<TarpitEventKind>(), kind => Assert.False(log.IsEnabled(kind)));
    }

    [Fact]
    public void A_disabled_probe_costs_no_allocation()
    {
        using var log = new CapturedLog(LogFormat.Json);
        var probe = Events.Tcp(TarpitEventKind.Probe);
        // Two rounds first: the runtime's tiering (on-stack replacement of the loop) may allocate
        // on this thread the first time round; the log must not, from then on.
        EmitDisabledProbes(log.Log, probe);
        EmitDisabledProbes(log.Log, probe);
        long before = GC.GetAllocatedBytesForCurrentThread();
        EmitDisabledProbes(log.Log, probe);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void EmitDisabledProbes(EventLog log, in TarpitEvent probe)
    {
        for (int i = 0; i < 10_000; i++)
        {
            if (log.IsEnabled(TarpitEventKind.Probe))
                log.Emit(probe);
            log.Emit(probe);
        }
    }

    [Fact]
    public void The_file_target_appends_lines()
    {
        var path = PathOf("tarpit.log");
        File.WriteAllText(path, "an earlier line\n");
        using (var log = FileOnly(path))
        {
            log.Emit(Events.Tcp(TarpitEventKind.Connect));
            log.Emit(Events.Capture());
        }
        Assert.Equal(
        [
            "an earlier line",
            "2026-11-21T12:00:00.000Z connect 192.0.2.2:40000 -> 192.0.2.100:80",
            "2026-11-21T12:00:00.000Z capture 192.0.2.77 (asked by 192.0.2.2)",
        ], File.ReadAllLines(path));
    }

    [Fact]
    public void Reopen_after_logrotate_moved_the_file_starts_a_new_file_at_the_path()
    {
        var path = PathOf("tarpit.log");
        var rotated = PathOf("tarpit.log.1");
        using var log = FileOnly(path);
        log.Emit(Events.Tcp(TarpitEventKind.Connect));
        log.Flush();
        File.Move(path, rotated);

        log.Reopen();
        log.Emit(Events.Ping());
        log.Flush();

        Assert.Equal(["2026-11-21T12:00:00.000Z connect 192.0.2.2:40000 -> 192.0.2.100:80"], File.ReadAllLines(rotated));
        Assert.Equal(["2026-11-21T12:00:00.000Z ping 192.0.2.2 -> 192.0.2.100"], File.ReadAllLines(path));
    }

    [Fact]
    public void Lines_written_before_a_rename_but_not_flushed_still_land_in_the_rotated_file()
    {
        var path = PathOf("tarpit.log");
        var rotated = PathOf("tarpit.log.1");
        using var log = FileOnly(path);
        log.Emit(Events.Tcp(TarpitEventKind.Connect));
        File.Move(path, rotated);
        log.Reopen();
        log.Dispose();
        Assert.Single(File.ReadAllLines(rotated));
        Assert.False(File.Exists(path) && File.ReadAllLines(path).Length > 0);
    }

    [Fact]
    public void Dispose_flushes_so_the_last_json_line_is_complete()
    {
        var path = PathOf("tarpit.json");
        var log = FileOnly(path, LogFormat.Json, verbosity: 1);
        for (int i = 0; i < 2000; i++)
            log.Emit(Events.Tcp(TarpitEventKind.Probe, Events.Noon + i * 1_000_000L));
        log.Emit(Events.Stats());
        log.Dispose();
        log.Dispose();

        var lines = File.ReadAllLines(path);
        Assert.Equal(2001, lines.Length);
        using var last = JsonDocument.Parse(lines[^1]);
        Assert.Equal("stats", last.RootElement.GetProperty("event").GetString());
        Assert.Equal(1500, last.RootElement.GetProperty("counters").GetProperty("frames_read").GetInt64());
    }

    [Fact]
    public void Calls_after_dispose_do_nothing()
    {
        var log = FileOnly(PathOf("tarpit.log"));
        log.Dispose();
        log.Flush();
        log.Reopen();
    }

    [Fact]
    public void A_log_file_that_cannot_be_written_is_refused_at_start()
    {
        var path = Path.Combine(_directory, "no-such-directory", "tarpit.log");
        var e = Assert.Throws<LogTargetException>(() => FileOnly(path));
        Assert.StartsWith($"cannot write the log file '{path}': ", e.Message);
    }

    [Fact]
    public void Syslog_without_a_socket_is_refused_at_start_with_one_sentence()
    {
        var socket = PathOf("no-log");
        var e = Assert.Throws<LogTargetException>(() =>
            new EventLog(new LogOptions { Syslog = true, SyslogSocketPath = socket }, TextWriter.Null));
        Assert.Equal($"--syslog needs the local syslog socket {socket}, which does not exist (is rsyslog or systemd-journald running?)", e.Message);
    }

    [Fact]
    public void Braces_in_a_line_are_not_taken_for_a_message_template()
    {
        using var log = new CapturedLog(LogFormat.Json);
        log.Log.Emit(Events.Tcp(TarpitEventKind.Connect));
        Assert.StartsWith("{\"time\":", log.Lines()[0]);
    }
}
