using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;
using NLog;
using NLog.Targets;

namespace LaBreaSharp.Logging;

/// <summary>Sends each line to the local syslog daemon, one datagram per line, in the RFC 3164 form
/// that /dev/log readers (rsyslog, syslog-ng, systemd-journald) accept from local programs:
/// <c>&lt;PRI&gt;labreasharp[PID]: MESSAGE</c>, facility daemon. The daemon adds the time and host.
/// NLog 6 has no syslog target in its core package, hence this one.</summary>
internal sealed class SyslogTarget : TargetWithLayout
{
    public const string DefaultSocketPath = "/dev/log";
    public const string Tag = "labreasharp";

    private const int FacilityDaemon = 3;
    private const int SeverityError = 3;
    private const int SeverityWarning = 4;
    private const int SeverityInformational = 6;

    private readonly int _processId = Environment.ProcessId;
    private byte[] _datagram = new byte[1024];
    private Socket? _socket;

    public SyslogTarget(string name) => Name = name;

    /// <summary>The daemon's Unix datagram socket.</summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>Drop the line's first field (its time stamp): syslog stamps each message itself.</summary>
    public bool DropLeadingField { get; set; }

    /// <summary>Lines not sent because the daemon's queue was full or it could not be reached; a full
    /// queue must not stall the tarpit, so those lines are dropped rather than waited for.</summary>
    public long DroppedLines { get; private set; }

    public static int Priority(LogLevel level) =>
        FacilityDaemon * 8 + (level >= LogLevel.Error ? SeverityError : level >= LogLevel.Warn ? SeverityWarning : SeverityInformational);

    /// <summary>Fails with one sentence when nothing listens at <paramref name="socketPath"/>, so
    /// --syslog is refused at start-up instead of silently logging nowhere.</summary>
    public static void CheckReachable(string socketPath)
    {
        if (!File.Exists(socketPath))
            throw new LogTargetException($"--syslog needs the local syslog socket {socketPath}, which does not exist (is rsyslog or systemd-journald running?)");
        try
        {
            using var socket = Connect(socketPath);
        }
        catch (SocketException e)
        {
            throw new LogTargetException($"--syslog cannot reach the syslog daemon at {socketPath}: {e.Message}", e);
        }
    }

    private static Socket Connect(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Blocking = false;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected override void Write(LogEventInfo logEvent)
    {
        ReadOnlySpan<char> message = RenderLogEvent(Layout, logEvent);
        if (DropLeadingField && message.IndexOf(' ') is int space and >= 0)
            message = message[(space + 1)..];

        int needed = 32 + Tag.Length + Encoding.UTF8.GetMaxByteCount(message.Length);
        if (_datagram.Length < needed)
            _datagram = new byte[Math.Max(needed, _datagram.Length * 2)];
        Utf8.TryWrite(_datagram, $"<{Priority(logEvent.Level)}>{Tag}[{_processId}]: ", out int header);
        int length = header + Encoding.UTF8.GetBytes(message, _datagram.AsSpan(header));
        Send(_datagram.AsSpan(0, length));
    }

    private void Send(ReadOnlySpan<byte> datagram)
    {
        // A restarted daemon has a new socket at the same path: reconnect once, then give up on the line.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                _socket ??= Connect(SocketPath);
                _socket.Send(datagram);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                break;
            }
            catch (SocketException)
            {
                _socket?.Dispose();
                _socket = null;
            }
        }
        DroppedLines++;
    }

    protected override void CloseTarget()
    {
        _socket?.Dispose();
        _socket = null;
        base.CloseTarget();
    }
}
