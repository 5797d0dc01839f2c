using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LaBreaSharp.Monitoring;

/// <summary>The <c>--metrics</c> listener: <c>/metrics</c> in Prometheus' text format, and
/// <c>/trapped?top=N</c>, who is trapped now as JSON (<see cref="TrappedReport"/>). It is the
/// framework's HttpListener on a thread of its own (no ASP.NET); a request never touches the
/// engine, it asks the loop through the <see cref="EngineWindow"/>. Opened before privileges are
/// dropped, so that a port below 1024 works too.</summary>
public sealed class MetricsListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly MetricsExporter _exporter;
    private readonly EngineWindow _window;
    private readonly Thread _thread;

    public IPEndPoint Address { get; }

    private MetricsListener(IPEndPoint address, MetricsExporter exporter, EngineWindow window)
    {
        Address = address;
        _exporter = exporter;
        _window = window;
        string host = address.Address.Equals(IPAddress.Any) || address.Address.Equals(IPAddress.IPv6Any) ? "*"
            : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]" : address.Address.ToString();
        _listener.Prefixes.Add($"http://{host}:{address.Port}/");
        _listener.IgnoreWriteExceptions = true;
        _thread = new Thread(Serve) { IsBackground = true, Name = "metrics" };
    }

    /// <summary>Listens on <paramref name="address"/>; a port taken or an address not the host's is
    /// one sentence (<see cref="MetricsListenerException"/>).</summary>
    public static MetricsListener Start(IPEndPoint address, MetricsExporter exporter, EngineWindow window)
    {
        var listener = new MetricsListener(address, exporter, window);
        try
        {
            listener._listener.Start();
        }
        catch (Exception e) when (e is HttpListenerException or SocketException)
        {
            listener._listener.Close();
            throw new MetricsListenerException($"--metrics {Format(address)}: cannot listen there: {e.Message}");
        }
        listener._thread.Start();
        return listener;
    }

    /// <summary>"127.0.0.1:9100", "[::1]:9100".</summary>
    public static string Format(IPEndPoint address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]:{address.Port}" : $"{address.Address}:{address.Port}";

    /// <summary>ADDR:PORT, [ADDR6]:PORT, or a bare PORT (then loopback: metrics are the operator's, not the scanner's).</summary>
    public static IPEndPoint Parse(string text)
    {
        const string form = "--metrics must be PORT or ADDR:PORT with an IP address and a port from 1 to 65535";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int bare))
            return bare is >= 1 and <= 65_535 ? new IPEndPoint(IPAddress.Loopback, bare) : throw new UsageException($"{form}, not '{Cut(text)}'");
        if (!IPEndPoint.TryParse(text, out var endPoint) || endPoint.Port == 0 || !text.Contains(':') || text.EndsWith(':')
            || (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && !text.StartsWith('[')))
            throw new UsageException($"{form}, not '{Cut(text)}'");
        return endPoint;
    }

    private static string Cut(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private void Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closed at exit
            }
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away mid-answer: nothing to tell it.
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.HttpMethod is not ("GET" or "HEAD"))
        {
            Plain(response, 405, "only GET\n");
            return;
        }
        switch (request.Url?.AbsolutePath)
        {
            case "/metrics":
            {
                using var body = new MemoryStream();
                _exporter.Registry.CollectAndExportAsTextAsync(body).GetAwaiter().GetResult();
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                Send(response, body.ToArray(), request.HttpMethod == "HEAD");
                break;
            }
            case "/trapped":
            {
                if (!TryTop(request.QueryString["top"], out int top))
                {
                    Plain(response, 400, $"top must be a number from 0 to {TrappedReport.MaxTop}\n");
                    return;
                }
                if (_window.Ask(top) is not { } snapshot)
                {
                    Plain(response, 503, "the tarpit's loop did not answer in time\n");
                    return;
                }
                response.ContentType = "application/json";
                Send(response, TrappedReport.ToJson(snapshot), request.HttpMethod == "HEAD");
                break;
            }
            default:
                Plain(response, 404, "/metrics or /trapped?top=N\n");
                break;
        }
    }

    public static bool TryTop(string? text, out int top)
    {
        top = 20;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out top) && top <= TrappedReport.MaxTop);
    }

    private static void Plain(HttpListenerResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        Send(response, Encoding.UTF8.GetBytes(text), false);
    }

    private static void Send(HttpListenerResponse response, byte[] body, bool headOnly)
    {
        response.ContentLength64 = body.Length;
        if (!headOnly)
            response.OutputStream.Write(body);
    }

    public void Dispose()
    {
        _listener.Close();
    }
}

/// <summary>The metrics listener could not be opened: an environment problem, exit 3.</summary>
public sealed class MetricsListenerException(string message) : Exception(message);
