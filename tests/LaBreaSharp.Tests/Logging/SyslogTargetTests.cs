using System.Net.Sockets;
using System.Text;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

/// <summary>Stands in for the syslog daemon: a Unix datagram socket bound in a temporary directory.</summary>
public sealed class SyslogTargetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-syslog-").FullName;
    private readonly string _socketPath;
    private Socket _daemon;

    public SyslogTargetTests()
    {
        _socketPath = Path.Combine(_directory, "log");
        _daemon = Bind(_socketPath);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static Socket Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    private string Receive()
    {
        var buffer = new byte[8192];
        int length = _daemon.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private EventLog Open(LogFormat format) =>
        new(new LogOptions { Format = format, Syslog = true, Console = false, SyslogSocketPath = _socketPath }, TextWriter.Null);

    private static string Header(int priority) => $"<{priority}>labreasharp[{Environment.ProcessId}]: ";

    [Fact]
    public void Text_lines_arrive_as_daemon_info_without_their_time_stamp()
    {
        using var log = Open(LogFormat.Text);
        log.Emit(Events.Tcp(TarpitEventKind.Connect));
        Assert.Equal(Header(30) + "connect 192.0.2.2:40000 -> 192.0.2.100:80", Receive());
    }

    [Fact]
    public void A_hard_capture_conflict_is_a_daemon_warning()
    {
        using var log = Open(LogFormat.Text);
        log.Emit(Events.Release(TarpitEventReason.Conflict));
        log.Emit(Events.Release(TarpitEventReason.HardCaptureConflict));
        Assert.StartsWith(Header(30) + "release 192.0.2.77 ", Receive());
        Assert.StartsWith(Header(28) + "release 192.0.2.77 ", Receive());
    }

    [Fact]
    public void Labrea_lines_arrive_as_labrea_sent_them_to_syslog()
    {
        using var log = Open(LogFormat.Labrea);
        log.Emit(Events.Tcp(TarpitEventKind.Connect));
        Assert.Equal(Header(30) + "Initial Connect - tarpitting: 192.0.2.2 40000 -> 192.0.2.100 80 *", Receive());
    }

    [Fact]
    public void Json_lines_keep_their_time()
    {
        using var log = Open(LogFormat.Json);
        log.Emit(Events.Ping());
        Assert.Equal(Header(30) + """{"time":"2026-11-21T12:00:00.000000Z","event":"ping","src":"192.0.2.2","dst":"192.0.2.100"}""", Receive());
    }

    [Fact]
    public void A_restarted_daemon_is_found_again()
    {
        using var log = Open(LogFormat.Text);
        log.Emit(Events.Capture());
        Assert.Contains("capture", Receive());

        _daemon.Dispose();
        File.Delete(_socketPath);
        _daemon = Bind(_socketPath);

        log.Emit(Events.Ping());
        Assert.Equal(Header(30) + "ping 192.0.2.2 -> 192.0.2.100", Receive());
    }
}
