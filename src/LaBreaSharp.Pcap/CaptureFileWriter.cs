namespace LaBreaSharp.Pcap;

/// <summary>Writes a pcap file with the timestamps the caller gives (pcap_dump_open/pcap_dump).</summary>
public sealed unsafe class CaptureFileWriter : IDisposable
{
    public const int DefaultSnapLength = 262_144;

    private readonly PcapHandle _dead;
    private readonly PcapDumperHandle _dumper;
    private readonly TimestampPrecision _precision;

    private CaptureFileWriter(PcapHandle dead, PcapDumperHandle dumper, TimestampPrecision precision)
    {
        _dead = dead;
        _dumper = dumper;
        _precision = precision;
    }

    public long FramesWritten { get; private set; }

    /// <summary>Creates (or truncates) <paramref name="path"/>. Microsecond files are what every
    /// tool reads; nanosecond files keep pcapng-grade timestamps exactly.</summary>
    public static CaptureFileWriter Create(string path, int linkType = 1, int snapLength = DefaultSnapLength,
        TimestampPrecision precision = TimestampPrecision.Microseconds)
    {
        PcapLibrary.EnsureLoaded();
        var dead = Interop.Pcap.pcap_open_dead_with_tstamp_precision(linkType, snapLength, (uint)precision);
        if (dead.IsInvalid)
        {
            dead.Dispose();
            throw new PcapException($"libpcap refused link type {linkType} for '{path}'");
        }
        var dumper = Interop.Pcap.pcap_dump_open(dead, path);
        if (dumper.IsInvalid)
        {
            dumper.Dispose();
            var reason = Interop.Pcap.PtrToString(Interop.Pcap.pcap_geterr(dead)) ?? "unknown error";
            dead.Dispose();
            throw new PcapException($"cannot write capture file: {reason}");
        }
        return new CaptureFileWriter(dead, dumper, precision);
    }

    /// <summary>Appends one frame stamped <paramref name="timestampNanoseconds"/> since the epoch
    /// (cut to microseconds in a microsecond file). <paramref name="originalLength"/> defaults to
    /// the frame's own length.</summary>
    public void Write(long timestampNanoseconds, ReadOnlySpan<byte> frame, int originalLength = -1)
    {
        long seconds = Math.DivRem(timestampNanoseconds, 1_000_000_000L, out long fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += 1_000_000_000L;
        }
        var header = new Interop.Pcap.pcap_pkthdr
        {
            tv_sec = (nint)seconds,
            tv_usec = (nint)(_precision == TimestampPrecision.Nanoseconds ? fraction : fraction / 1000),
            caplen = (uint)frame.Length,
            len = (uint)(originalLength < 0 ? frame.Length : Math.Max(originalLength, frame.Length)),
        };
        fixed (byte* data = frame)
            Interop.Pcap.pcap_dump(_dumper, &header, data);
        FramesWritten++;
    }

    public void Flush()
    {
        if (Interop.Pcap.pcap_dump_flush(_dumper) != 0)
            throw new PcapException("flushing the capture file failed");
    }

    public void Dispose()
    {
        _dumper.Dispose();
        _dead.Dispose();
    }
}
