using System.Net.Sockets;

namespace LaBreaSharp.Monitoring;

/// <summary>What the control socket and the metrics listener share: a listening socket served on a
/// thread of its own, one connection at a time, one request read and one answer written per
/// connection, then closed. A client gets <paramref name="timeoutMilliseconds"/> to send its request
/// and to take the answer. A failed accept (a client gone before it was taken, no descriptor left)
/// is retried a tenth of a second later, never in a tight loop; disposing closes the socket and ends
/// the thread.</summary>
internal sealed class RequestServer : IDisposable
{
    private readonly Socket _socket;
    private readonly Func<Socket, byte[]> _answer;
    private readonly int _timeout;
    private readonly Thread _thread;
    private volatile bool _closed;

    public RequestServer(Socket listening, string name, int timeoutMilliseconds, Func<Socket, byte[]> answer)
    {
        _socket = listening;
        _answer = answer;
        _timeout = timeoutMilliseconds;
        _thread = new Thread(Serve) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The bytes before <paramref name="terminator"/> (which ends the request), or null when
    /// the client closed first or sent <paramref name="max"/> bytes without it.</summary>
    public static byte[]? ReadUntil(Socket client, ReadOnlySpan<byte> terminator, int max)
    {
        var buffer = new byte[max];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (n == 0)
                return null;
            length += n;
            int end = buffer.AsSpan(0, length).IndexOf(terminator);
            if (end >= 0)
                return buffer[..end];
        }
        return null;
    }

    private void Serve()
    {
        while (!_closed)
        {
            Socket client;
            try
            {
                client = _socket.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_closed)
                    return;
                Thread.Sleep(100);
                continue;
            }
            using (client)
            {
                try
                {
                    client.ReceiveTimeout = _timeout;
                    client.SendTimeout = _timeout;
                    client.Send(_answer(client));
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // The client went away, or sent nothing in time: nothing to tell it.
                }
            }
        }
    }

    public void Dispose()
    {
        _closed = true;
        _socket.Dispose();
    }
}
