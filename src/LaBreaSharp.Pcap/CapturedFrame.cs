namespace LaBreaSharp.Pcap;

/// <summary>One frame as libpcap handed it over. <see cref="Data"/> points into libpcap's buffer
/// and is valid only until the next receive on the same handle.</summary>
public readonly ref struct CapturedFrame
{
    public CapturedFrame(long timestampNanoseconds, int originalLength, ReadOnlySpan<byte> data)
    {
        TimestampNanoseconds = timestampNanoseconds;
        OriginalLength = originalLength;
        Data = data;
    }

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds { get; }
    /// <summary>The frame's length on the wire; more than <c>Data.Length</c> when the snap length cut it.</summary>
    public int OriginalLength { get; }
    public ReadOnlySpan<byte> Data { get; }
    public bool IsTruncated => Data.Length < OriginalLength;
}

public enum ReceiveStatus
{
    /// <summary>A frame was read.</summary>
    Frame,
    /// <summary>Nothing arrived within the timeout (live capture only).</summary>
    Timeout,
    /// <summary>The capture file has no more frames.</summary>
    EndOfFile,
}

/// <summary>Counts from pcap_stats: what the kernel gave libpcap and what it had to drop.</summary>
public readonly record struct CaptureStatistics(uint Received, uint DroppedByKernel, uint DroppedByInterface);

public enum TimestampPrecision
{
    Microseconds = 0,
    Nanoseconds = 1,
}
