namespace LaBreaSharp.Pcap;

/// <summary>Reads a pcap or pcapng file (libpcap tells them apart) with nanosecond timestamps.</summary>
public sealed unsafe class CaptureFileReader : PcapSession
{
    private CaptureFileReader(PcapHandle handle) : base(handle, TimestampPrecision.Nanoseconds) { }

    public string Path { get; private init; } = "";

    /// <summary>Throws <see cref="PcapException"/> with libpcap's reason (no such file, not a capture
    /// file, …), without the path libpcap puts in front of it: callers name the file themselves.</summary>
    public static CaptureFileReader Open(string path)
    {
        PcapLibrary.EnsureLoaded();
        byte* errbuf = stackalloc byte[Interop.Pcap.PCAP_ERRBUF_SIZE];
        errbuf[0] = 0;
        var handle = Interop.Pcap.pcap_open_offline_with_tstamp_precision(path, Interop.Pcap.PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            var reason = ErrorBufferText(errbuf);
            throw new PcapException(WithoutPath(reason, path));
        }
        return new CaptureFileReader(handle) { Path = path };
    }

    private static string WithoutPath(string reason, string path)
    {
        if (reason.StartsWith(path + ": ", StringComparison.Ordinal))
            return reason[(path.Length + 2)..];
        // A path longer than libpcap's 256-byte error buffer leaves no room for the reason itself.
        if ((path + ": ").StartsWith(reason, StringComparison.Ordinal))
            return File.Exists(path) || Directory.Exists(path) ? "libpcap cannot open it" : "No such file or directory";
        return reason;
    }

    /// <summary>The next frame, or <see cref="ReceiveStatus.EndOfFile"/>.</summary>
    public ReceiveStatus Read(out CapturedFrame frame)
    {
        // pcap_next_ex on a file never returns 0, only 1, -2 or -1.
        return NextFrame(out frame) ?? ReceiveStatus.EndOfFile;
    }
}
