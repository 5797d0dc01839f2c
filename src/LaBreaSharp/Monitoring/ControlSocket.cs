using System.Globalization;
using System.Net.Sockets;
using System.Text;
using LaBreaSharp.Commands;
using LaBreaSharp.Interop;

namespace LaBreaSharp.Monitoring;

/// <summary>The local control socket <c>labreasharp status</c> reads: a Unix stream socket, mode
/// 0600 and the tarpit user's (root can always open it), made before privileges are dropped.
/// A request is one line, <c>trapped N</c>; the answer is the JSON of <see cref="TrappedReport"/>,
/// then the socket is closed. Requests are served one at a time on a thread of their own, and
/// each asks the loop through the <see cref="EngineWindow"/>, as a scrape does.</summary>
public sealed class ControlSocket : IDisposable
{
    public const string Directory = "/run/labreasharp";
    private const int MaxRequest = 64;

    private readonly EngineWindow _window;
    private readonly RequestServer _server;

    public string Path { get; }

    private ControlSocket(string path, Socket socket, EngineWindow window)
    {
        Path = path;
        _window = window;
        _server = new RequestServer(socket, "control", 5_000, client => Answer(RequestServer.ReadUntil(client, "\n"u8, MaxRequest)));
    }

    /// <summary>Where <c>run -i IFACE</c> puts its socket unless told otherwise.</summary>
    public static string DefaultPath(string interfaceName) => $"{Directory}/{interfaceName}.sock";

    /// <summary>Opens the socket at <paramref name="path"/>. A stale socket (nobody listening) is
    /// replaced; a live one belongs to another tarpit. When the path was asked for
    /// (<paramref name="asked"/>), any failure is a <see cref="ControlSocketException"/>; for the
    /// default path it is a warning, and the tarpit runs without a control socket.</summary>
    public static ControlSocket? Open(string path, bool asked, Account? account, EngineWindow window, Action<string> warn)
    {
        try
        {
            return OpenOrThrow(path, account, window);
        }
        catch (ControlSocketException e) when (!asked)
        {
            warn($"{e.Message}; running without a control socket (give --control PATH for another place, or --control none)");
            return null;
        }
    }

    private static ControlSocket OpenOrThrow(string path, Account? account, EngineWindow window)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (Encoding.UTF8.GetByteCount(full) > 107)
            throw new ControlSocketException($"control socket path '{full}' is too long for a Unix socket (107 bytes at most)");
        string? directory = System.IO.Path.GetDirectoryName(full);
        try
        {
            if (directory is not null && !System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                if (account is not null)
                    Give(directory, account, "the control socket's directory"); // so that the tarpit, once it is the account, can remove its socket at exit
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ControlSocketException($"cannot make the control socket's directory '{directory}': {e.Message}");
        }
        if (File.Exists(full) || System.IO.Directory.Exists(full))
        {
            if (!Libc.IsSocket(full))
                throw new ControlSocketException($"'{full}' exists and is not a socket");
            if (IsLive(full))
                throw new ControlSocketException($"another tarpit answers on the control socket '{full}'");
            File.Delete(full); // stale: left by a tarpit that did not end cleanly
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(full));
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (account is not null)
                Give(full, account, "the control socket");
            socket.Listen(8);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            throw new ControlSocketException($"cannot open the control socket '{full}': {e.Message}");
        }
        return new ControlSocket(full, socket, window);
    }

    private static void Give(string path, Account account, string what)
    {
        try
        {
            Privileges.Give(path, account, what);
        }
        catch (PrivilegeException e)
        {
            throw new ControlSocketException(e.Message);
        }
    }

    private static bool IsLive(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private byte[] Answer(byte[]? request)
    {
        string[] words = request is null ? [] : Encoding.ASCII.GetString(request).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 1 or > 2 || words[0] != "trapped" || !MetricsListener.TryTop(words.Length == 2 ? words[1] : null, out int top))
            return Encoding.UTF8.GetBytes($"error: the request is 'trapped N' (N from 0 to {TrappedReport.MaxTop.ToString(CultureInfo.InvariantCulture)})\n");
        return _window.Ask(top) is { } snapshot ? TrappedReport.ToJson(snapshot) : "error: the tarpit's loop did not answer in time\n"u8.ToArray();
    }

    public void Dispose()
    {
        _server.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A root-owned directory after the drop: the next start replaces the stale socket.
        }
    }
}

/// <summary>The control socket could not be made where it was asked for: exit 3.</summary>
public sealed class ControlSocketException(string message) : Exception(message);
