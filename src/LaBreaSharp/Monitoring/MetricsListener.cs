using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LaBreaSharp.Monitoring;

/// <summary>The <c>--metrics</c> listener: <c>/metrics</c> in Prometheus' text format, and
/// <c>/trapped?top=N</c>, who is trapped now as JSON (<see cref="TrappedReport"/>). A plain HTTP/1.1
/// server on a socket of its own and one thread: a request line and headers in, one answer out,
/// then the connection is closed. Not the framework's HttpListener, which would add 3.3 MB to the
/// native binary and 2.5 MB to an idle run's RSS for what a scraper needs of HTTP (bench/README).
/// A request never touches the engine: it asks the loop through the <see cref="EngineWindow"/>.
/// Opened before privileges are dropped, so that a port below 1024 works too. Requests are served
/// one at a time, each given <see cref="ClientTimeoutMilliseconds"/> to send its request.</summary>
public sealed class MetricsListener : IDisposable
{
    private const int ClientTimeoutMilliseconds = 5_000;
    private const int MaxRequestHead = 8_192;

    private readonly MetricsExporter _exporter;
    private readonly EngineWindow _window;
    private readonly RequestServer _server;

    public IPEndPoint Address { get; }

    private MetricsListener(IPEndPoint address, Socket socket, MetricsExporter exporter, EngineWindow window)
    {
        Address = address;
        _exporter = exporter;
        _window = window;
        _server = new RequestServer(socket, "metrics", ClientTimeoutMilliseconds, client => Answer(RequestLine(client)));
    }

    /// <summary>Listens on <paramref name="address"/>; a port taken or an address not the host's is
    /// one sentence (<see cref="MetricsListenerException"/>).</summary>
    public static MetricsListener Start(IPEndPoint address, MetricsExporter exporter, EngineWindow window)
    {
        Socket socket;
        try
        {
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        }
        catch (SocketException e)
        {
            throw new MetricsListenerException($"--metrics {Format(address)}: cannot listen there: {e.Message}");
        }
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // a restart within TIME_WAIT
            socket.Bind(address);
            socket.Listen(16);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new MetricsListenerException($"--metrics {Format(address)}: cannot listen there: {e.Message}");
        }
        return new MetricsListener(address, socket, exporter, window);
    }

    /// <summary>"127.0.0.1:9100", "[::1]:9100".</summary>
    public static string Format(IPEndPoint address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]:{address.Port}" : $"{address.Address}:{address.Port}";

    /// <summary>ADDR:PORT, [ADDR6]:PORT, or a bare PORT (then loopback: metrics are the operator's, not the scanner's).</summary>
    public static IPEndPoint Parse(string text)
    {
        const string form = "--metrics must be PORT or ADDR:PORT with an IP address and a port from 1 to 65535";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int bare))
            return bare is >= 1 and <= 65_535 ? new IPEndPoint(IPAddress.Loopback, bare) : throw new UsageException($"{form}, not '{text}'");
        if (!IPEndPoint.TryParse(text, out var endPoint) || endPoint.Port == 0 || !text.Contains(':') || text.EndsWith(':')
            || (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && !text.StartsWith('[')))
            throw new UsageException($"{form}, not '{text}'");
        return endPoint;
    }

    /// <summary>The request line, once the whole head has arrived (null when it did not).</summary>
    private static string? RequestLine(Socket client)
    {
        byte[]? head = RequestServer.ReadUntil(client, "\r\n\r\n"u8, MaxRequestHead);
        if (head is null)
            return null;
        int end = head.AsSpan().IndexOf("\r\n"u8);
        return Encoding.ASCII.GetString(head, 0, end < 0 ? head.Length : end);
    }

    private byte[] Answer(string? requestLine)
    {
        string[] parts = requestLine?.Split(' ') ?? [];
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            return Response(400, "text/plain; charset=utf-8", "a request line and headers, within 8 KB\n"u8.ToArray(), false);
        bool head = parts[0] == "HEAD";
        if (parts[0] != "GET" && !head)
            return Response(405, "text/plain; charset=utf-8", "only GET and HEAD\n"u8.ToArray(), head);
        string target = parts[1];
        int question = target.IndexOf('?');
        string path = question < 0 ? target : target[..question];
        string query = question < 0 ? "" : target[(question + 1)..];
        switch (path)
        {
            case "/metrics":
            {
                using var body = new MemoryStream();
                _exporter.Registry.CollectAndExportAsTextAsync(body).GetAwaiter().GetResult();
                return Response(200, "text/plain; version=0.0.4; charset=utf-8", body.ToArray(), head);
            }
            case "/trapped":
            {
                string? topText = query.Split('&').Where(p => p.StartsWith("top=", StringComparison.Ordinal)).Select(p => p[4..]).LastOrDefault();
                if (!TryTop(topText, out int top))
                    return Response(400, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"top must be a number from 0 to {TrappedReport.MaxTop}\n"), head);
                return _window.Ask(top) is { } snapshot
                    ? Response(200, "application/json", TrappedReport.ToJson(snapshot), head)
                    : Response(503, "text/plain; charset=utf-8", "the tarpit's loop did not answer in time\n"u8.ToArray(), head);
            }
            default:
                return Response(404, "text/plain; charset=utf-8", "/metrics or /trapped?top=N\n"u8.ToArray(), head);
        }
    }

    private static byte[] Response(int status, string contentType, byte[] body, bool headOnly)
    {
        string reason = status switch { 200 => "OK", 400 => "Bad Request", 404 => "Not Found", 405 => "Method Not Allowed", _ => "Service Unavailable" };
        byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        if (headOnly)
            return head;
        var all = new byte[head.Length + body.Length];
        head.CopyTo(all, 0);
        body.CopyTo(all, head.Length);
        return all;
    }

    public static bool TryTop(string? text, out int top)
    {
        top = 20;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out top) && top <= TrappedReport.MaxTop);
    }

    public void Dispose()
    {
        _server.Dispose();
    }
}

/// <summary>The metrics listener could not be opened: an environment problem, exit 3.</summary>
public sealed class MetricsListenerException(string message) : Exception(message);
