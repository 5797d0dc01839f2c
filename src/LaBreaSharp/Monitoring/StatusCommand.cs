using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LaBreaSharp.Cli;

namespace LaBreaSharp.Monitoring;

/// <summary><c>labreasharp status</c>: asks a running tarpit who it holds, through its control
/// socket (the default) or its metrics listener's <c>/trapped</c>, and prints the answer as a
/// table, or as the JSON itself with <c>--json</c>. It needs no privilege of its own beyond the
/// right to open the socket (the tarpit user's, or root).</summary>
public static class StatusCommand
{
    public static int Run(StatusOptions options, TextWriter output, TextWriter error)
    {
        if (options.Top is < 0 or > TrappedReport.MaxTop)
            throw new UsageException($"--top must be from 0 to {TrappedReport.MaxTop}, not {options.Top}");
        int sources = (options.Interface is null ? 0 : 1) + (options.Control is null ? 0 : 1) + (options.Metrics is null ? 0 : 1);
        if (sources > 1)
            throw new UsageException("give one of -i IFACE, --control PATH and --metrics ADDR:PORT, not several");
        byte[] answer;
        string from;
        try
        {
            if (options.Metrics is { } metrics)
            {
                var address = MetricsListener.Parse(metrics);
                from = "http://" + MetricsListener.Format(address) + "/trapped";
                answer = FromHttp(address, options.Top);
            }
            else
            {
                string path = options.Control ?? (options.Interface is { } name ? ControlSocket.DefaultPath(name) : OnlySocket());
                from = path;
                answer = FromSocket(path, options.Top);
            }
        }
        catch (StatusException e)
        {
            error.WriteLine("labreasharp: " + ErrorText.Shorten(e.Message));
            return ExitCodes.Environment;
        }

        if (answer.AsSpan().StartsWith("error: "u8))
        {
            error.WriteLine(ErrorText.Shorten($"labreasharp: {from} said: {Encoding.UTF8.GetString(answer).Trim()}"));
            return ExitCodes.Failure;
        }
        JsonDocument report;
        try
        {
            report = JsonDocument.Parse(answer);
        }
        catch (JsonException)
        {
            error.WriteLine(ErrorText.Shorten($"labreasharp: {from} answered something that is not the tarpit's JSON"));
            return ExitCodes.Failure;
        }
        using (report)
        {
            if (options.Json)
                output.WriteLine(Encoding.UTF8.GetString(answer));
            else
            {
                try
                {
                    output.Write(TrappedReport.ToTable(report.RootElement));
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    error.WriteLine(ErrorText.Shorten($"labreasharp: {from} answered JSON without the fields of a tarpit's report"));
                    return ExitCodes.Failure;
                }
            }
        }
        return ExitCodes.Success;
    }

    /// <summary>With neither -i nor --control: the one socket in /run/labreasharp, if there is one.</summary>
    private static string OnlySocket()
    {
        var sockets = Directory.Exists(ControlSocket.Directory) ? Directory.GetFiles(ControlSocket.Directory, "*.sock") : [];
        return sockets.Length switch
        {
            1 => sockets[0],
            0 => throw new StatusException($"no control socket in {ControlSocket.Directory}: is labreasharp run going (it makes one unless --control none)? Or give --control PATH or --metrics ADDR:PORT"),
            _ => throw new StatusException($"{sockets.Length} tarpits have sockets in {ControlSocket.Directory} ({string.Join(", ", sockets.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))}): say which with -i IFACE"),
        };
    }

    private static byte[] FromSocket(string path, int top)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            throw new StatusException(
                !File.Exists(path) ? $"no control socket at {path}: is labreasharp run going there (it makes one unless --control none)?"
                : e.SocketErrorCode == SocketError.AccessDenied ? $"cannot open {path}: permission denied (the socket is the tarpit user's: run status as that user, or as root)"
                : e.SocketErrorCode == SocketError.ConnectionRefused ? $"nobody answers on {path}: the tarpit that made it is gone"
                : $"cannot open {path}: {e.Message}");
        }
        socket.ReceiveTimeout = 10_000;
        socket.SendTimeout = 10_000;
        try
        {
            socket.Send(Encoding.ASCII.GetBytes($"trapped {top.ToString(CultureInfo.InvariantCulture)}\n"));
            return ReadToEnd(socket);
        }
        catch (SocketException e)
        {
            throw new StatusException($"{path}: {e.Message}");
        }
    }

    /// <summary>A plain HTTP/1.0 GET over a socket of our own: all that is needed of HTTP here,
    /// without HttpClient's weight in the native binary.</summary>
    private static byte[] FromHttp(IPEndPoint address, int top)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        string where = MetricsListener.Format(address);
        byte[] response;
        try
        {
            socket.ReceiveTimeout = 10_000;
            socket.SendTimeout = 10_000;
            socket.Connect(address);
            socket.Send(Encoding.ASCII.GetBytes($"GET /trapped?top={top.ToString(CultureInfo.InvariantCulture)} HTTP/1.0\r\nHost: {where}\r\n\r\n"));
            response = ReadToEnd(socket);
        }
        catch (SocketException e)
        {
            throw new StatusException($"cannot read http://{where}/trapped: {e.Message}");
        }
        int end = response.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
            throw new StatusException($"http://{where}/trapped answered something that is not HTTP");
        string head = Encoding.ASCII.GetString(response, 0, end);
        string status = head.Split("\r\n")[0];
        byte[] body = response[(end + 4)..];
        if (!status.Contains(" 200 ", StringComparison.Ordinal) && !status.EndsWith(" 200", StringComparison.Ordinal))
            throw new StatusException($"http://{where}/trapped answered '{status}': {Encoding.UTF8.GetString(body).Trim()}");
        return body;
    }

    private static byte[] ReadToEnd(Socket socket)
    {
        using var all = new MemoryStream();
        var buffer = new byte[16_384];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            all.Write(buffer, 0, n);
            if (all.Length > 64 << 20)
                throw new StatusException("the answer is larger than 64 MB: not a tarpit's report");
        }
        return all.ToArray();
    }
}

/// <summary>The running tarpit could not be asked: exit 3.</summary>
public sealed class StatusException(string message) : Exception(message);
