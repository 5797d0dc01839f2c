using SharpPcap;
using SharpPcap.LibPcap;

namespace LaBreaSharp.Testing;

/// <summary>One frame of a capture file as SharpPcap 6.3.1 reads it.</summary>
public sealed record SharpPcapFrame(long TimestampNanoseconds, int CaptureLength, int OriginalLength, byte[] Data);

/// <summary>A capture file read by SharpPcap's offline device (a second reader of the files this
/// project writes, test-only). SharpPcap finds Debian's libpcap.so.0.8 by itself: its resolver
/// tries libpcap.so, .so.0, .so.0.8 and .so.1 in turn, so the runtime package is enough.</summary>
public sealed record SharpPcapFile(int LinkType, IReadOnlyList<SharpPcapFrame> Frames)
{
    /// <summary>Opened at nanosecond resolution, so a microsecond file's stamps come back scaled
    /// and a nanosecond file's whole.</summary>
    public static SharpPcapFile Read(string path)
    {
        var frames = new List<SharpPcapFrame>();
        using var device = new CaptureFileReaderDevice(path);
        device.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
        int linkType = (int)device.LinkType;
        while (device.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var header = (PcapHeader)capture.Header;
            long nanoseconds = (long)(header.Timeval.Value * 1_000_000_000m);
            frames.Add(new SharpPcapFrame(nanoseconds, (int)header.CaptureLength, (int)header.PacketLength, capture.Data.ToArray()));
        }
        return new SharpPcapFile(linkType, frames);
    }
}
