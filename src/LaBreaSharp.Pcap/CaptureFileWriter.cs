using System.Buffers.Binary;

namespace LaBreaSharp.Pcap;

/// <summary>Writes a pcap file with the timestamps the caller gives. The format is written here, not
/// by pcap_dump: libpcap's dumper writes through stdio, says nothing when a write fails, and leaves
/// half a record at the end of a full disk, after which no reader gets past it. Here whole records
/// are buffered and written together; when a write fails (a full disk, an I/O error) the file is cut
/// back to the last whole record, the buffered frames are counted in <see cref="FramesNotRecorded"/>
/// and reported once through the loss callback, and the next write tries again, so a file that
/// outlived a full disk is readable and resumes when space comes back. The tarpit goes on either way.</summary>
public sealed class CaptureFileWriter : IDisposable
{
    public const int DefaultSnapLength = 262_144;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;
    /// <summary>Written out when this much is buffered, and on <see cref="Flush"/>.</summary>
    private const int BufferLength = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _canTruncate;
    private readonly TimestampPrecision _precision;
    private readonly Action<long, string>? _lost;
    private readonly Action? _written;
    private byte[] _buffer = new byte[BufferLength];
    private int _used;
    private int _framesBuffered;
    /// <summary>The file header is kept in the buffer until it has been written: without it nothing after it reads.</summary>
    private bool _headerPending = true;
    /// <summary>The file's length up to its last whole record.</summary>
    private long _whole;

    private CaptureFileWriter(Stream stream, TimestampPrecision precision, Action<long, string>? lost, Action? written)
    {
        _stream = stream;
        _canTruncate = stream.CanSeek;
        _precision = precision;
        _lost = lost;
        _written = written;
    }

    /// <summary>Frames given to <see cref="Write"/>, whether or not they reached the file.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Frames that were lost because the file could not be written.</summary>
    public long FramesNotRecorded { get; private set; }

    /// <summary>Creates (or truncates) <paramref name="path"/> ("-" is standard output). Microsecond
    /// files are what every tool reads; nanosecond files keep pcapng-grade timestamps exactly.
    /// <paramref name="lost"/> hears of each failed write (the frames it lost, possibly none, and
    /// why); <paramref name="written"/> of each write that worked.</summary>
    /// <exception cref="PcapException">The file cannot be created.</exception>
    public static CaptureFileWriter Create(string path, int linkType = 1, int snapLength = DefaultSnapLength,
        TimestampPrecision precision = TimestampPrecision.Microseconds, Action<long, string>? lost = null, Action? written = null)
    {
        Stream stream;
        try
        {
            stream = path == "-" ? Console.OpenStandardOutput()
                : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PcapException($"cannot write capture file: {Reason(e)}", e);
        }
        var writer = new CaptureFileWriter(stream, precision, lost, written);
        writer.WriteFileHeader(linkType, snapLength);
        writer.WriteBuffer(); // the header at once: an empty run still leaves a readable file
        return writer;
    }

    private void WriteFileHeader(int linkType, int snapLength)
    {
        var header = _buffer.AsSpan(0, FileHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, _precision == TimestampPrecision.Nanoseconds ? 0xa1b23c4du : 0xa1b2c3d4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);   // version 2.4
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);    // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);  // sigfigs
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], linkType);
        _used = FileHeaderLength;
    }

    /// <summary>Appends one frame stamped <paramref name="timestampNanoseconds"/> since the epoch
    /// (cut to microseconds in a microsecond file). <paramref name="originalLength"/> defaults to
    /// the frame's own length.</summary>
    public void Write(long timestampNanoseconds, ReadOnlySpan<byte> frame, int originalLength = -1)
    {
        int length = RecordHeaderLength + frame.Length;
        if (_used + length > _buffer.Length)
        {
            WriteBuffer();
            if (_used + length > _buffer.Length)
                Array.Resize(ref _buffer, _used + length);
        }
        long seconds = Math.DivRem(timestampNanoseconds, 1_000_000_000L, out long fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += 1_000_000_000L;
        }
        var record = _buffer.AsSpan(_used, length);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(_precision == TimestampPrecision.Nanoseconds ? fraction : fraction / 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)(originalLength < 0 ? frame.Length : Math.Max(originalLength, frame.Length)));
        frame.CopyTo(record[RecordHeaderLength..]);
        _used += length;
        _framesBuffered++;
        FramesWritten++;
    }

    /// <summary>Writes out what is buffered. A failure is counted and reported, not thrown.</summary>
    public void Flush()
    {
        WriteBuffer();
        try
        {
            _stream.Flush();
        }
        catch (IOException e)
        {
            Lose(0, e);
        }
    }

    private void WriteBuffer()
    {
        if (_used == 0)
            return;
        try
        {
            _stream.Write(_buffer, 0, _used);
            _whole += _used;
            _headerPending = false;
            _used = 0;
            _framesBuffered = 0;
            _written?.Invoke();
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ObjectDisposedException)
        {
            if (_canTruncate)
                TruncateToWhole();
            int frames = _framesBuffered;
            _used = _headerPending ? FileHeaderLength : 0;
            _framesBuffered = 0;
            Lose(frames, e);
        }
    }

    /// <summary>Cuts off what part of a failed write reached the file: the file ends on a whole record.</summary>
    private void TruncateToWhole()
    {
        try
        {
            _stream.SetLength(_whole);
            _stream.Position = _whole;
        }
        catch (IOException)
        {
            // The next write that works starts where the stream stands; a reader stops at the torn record.
        }
    }

    private void Lose(long frames, Exception e)
    {
        FramesNotRecorded += frames;
        _lost?.Invoke(frames, Reason(e));
    }

    /// <summary>The operating system's reason, in its own words (strerror's), without the path .NET puts in.</summary>
    public static string Reason(Exception e)
    {
        if (e is DirectoryNotFoundException or FileNotFoundException)
            return "No such file or directory";
        if (e is UnauthorizedAccessException)
            return "Permission denied";
        var message = e.Message;
        int path = message.IndexOf(" : '", StringComparison.Ordinal);
        if (path > 0)
            message = message[..path];
        return message.TrimEnd('.', ' ');
    }

    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }
}
