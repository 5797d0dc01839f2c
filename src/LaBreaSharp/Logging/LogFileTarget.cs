using System.Text;
using NLog.Common;
using NLog.Targets;

namespace LaBreaSharp.Logging;

/// <summary>The log file, appended to. NLog's own file target swallows a failed write (a full disk
/// lost 3,908 connects' worth of lines without a word), so this one keeps whole lines in a buffer,
/// writes them with one write(2) when the buffer fills, at most a second later (so tail -f keeps up)
/// and on a flush, and when a write fails cuts the file back to where it stood, so a line is never
/// left half written, and counts the buffered lines as lost in its <see cref="WriteLoss"/>. The next
/// write tries again (reopening the file if it could not be opened), so the log resumes when space
/// comes back. Writes come from the engine's thread, flushes from the timer and the loop; one lock.</summary>
internal sealed class LogFileTarget : TargetWithLayout
{
    private const int BufferLength = 32 * 1024;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _path;
    private readonly WriteLoss _loss;
    private readonly Lock _lock = new();
    private readonly byte[] _buffer = new byte[BufferLength];
    private int _used;
    private int _lines;
    private FileStream? _file;
    private string? _lastOpenFailure;
    private Timer? _timer;

    public LogFileTarget(string path, WriteLoss loss, string name)
    {
        _path = path;
        _loss = loss;
        Name = name;
    }

    protected override void InitializeTarget()
    {
        base.InitializeTarget();
        lock (_lock)
            Open();
        _timer = new Timer(_ => WriteOut(), null, FlushInterval, FlushInterval);
    }

    protected override void Write(NLog.LogEventInfo logEvent)
    {
        string line = RenderLogEvent(Layout, logEvent);
        lock (_lock)
        {
            int length = Utf8.GetByteCount(line) + 1;
            if (_used + length > _buffer.Length)
                WriteBuffer();
            if (length > _buffer.Length)
            {
                _loss.Failed(1, $"a line of {length} bytes is longer than the log's buffer");
                return;
            }
            _used += Utf8.GetBytes(line, _buffer.AsSpan(_used));
            _buffer[_used++] = (byte)'\n';
            _lines++;
        }
    }

    protected override void FlushAsync(AsyncContinuation asyncContinuation)
    {
        WriteOut();
        asyncContinuation(null);
    }

    protected override void CloseTarget()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            WriteBuffer();
            _file?.Dispose();
            _file = null;
        }
        base.CloseTarget();
    }

    private void WriteOut()
    {
        lock (_lock)
            WriteBuffer();
    }

    private void WriteBuffer()
    {
        if (_used == 0)
            return;
        if (_file is null && !Open())
        {
            Lose(_lastOpenFailure ?? "it cannot be opened");
            return;
        }
        long before = -1;
        try
        {
            before = _file!.Length;
            _file.Write(_buffer, 0, _used);
            _used = 0;
            _lines = 0;
            _loss.Succeeded();
        }
        catch (IOException e)
        {
            CutBackTo(before);
            Lose(Reason(e));
        }
    }

    private bool Open()
    {
        try
        {
            _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            _lastOpenFailure = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _lastOpenFailure = Reason(e);
            return false;
        }
    }

    /// <summary>Takes off what part of a failed write reached the file, so it ends on a whole line.</summary>
    private void CutBackTo(long length)
    {
        if (length < 0 || _file is null)
            return;
        try
        {
            if (_file.Length > length)
                _file.SetLength(length);
            _file.Position = length;
        }
        catch (IOException)
        {
            // Cannot truncate (another writer, or the file was truncated under us): leave it.
        }
    }

    private void Lose(string reason)
    {
        _loss.Failed(_lines, reason);
        _used = 0;
        _lines = 0;
    }

    private static string Reason(Exception e) => LaBreaSharp.Pcap.CaptureFileWriter.Reason(e);
}
