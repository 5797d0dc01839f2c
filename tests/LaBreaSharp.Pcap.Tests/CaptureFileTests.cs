using System.Buffers.Binary;

namespace LaBreaSharp.Pcap.Tests;

public sealed class CaptureFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-pcap-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string TempFile(string name) => Path.Combine(_directory, name);

    private static List<(long Timestamp, int OriginalLength, byte[] Data)> ReadAll(string path)
    {
        var frames = new List<(long, int, byte[])>();
        using var reader = CaptureFileReader.Open(path);
        while (reader.Read(out var frame) == ReceiveStatus.Frame)
            frames.Add((frame.TimestampNanoseconds, frame.OriginalLength, frame.Data.ToArray()));
        return frames;
    }

    private static byte[] Frame(int length, byte seed)
    {
        var frame = new byte[length];
        for (int i = 0; i < length; i++)
            frame[i] = (byte)(seed + i);
        return frame;
    }

    [Theory]
    [InlineData(TimestampPrecision.Microseconds, 1_000)]
    [InlineData(TimestampPrecision.Nanoseconds, 1)]
    public void What_is_written_reads_back_identically(TimestampPrecision precision, long resolution)
    {
        var path = TempFile($"roundtrip-{precision}.pcap");
        var written = new List<(long, int, byte[])>
        {
            (1_700_000_000_123_456_000L, 60, Frame(60, 1)),
            (1_700_000_000_123_456_789L / resolution * resolution, 1514, Frame(1514, 2)),
            (1_700_000_001_000_000_000L, 2000, Frame(96, 3)),   // cut by a snap length: 96 of 2000 bytes
            (0L, 14, Frame(14, 4)),
        };
        using (var writer = CaptureFileWriter.Create(path, precision: precision))
        {
            foreach (var (timestamp, originalLength, data) in written)
                writer.Write(timestamp, data, originalLength);
            Assert.Equal(4, writer.FramesWritten);
        }
        var read = ReadAll(path);
        Assert.Equal(written.Count, read.Count);
        for (int i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i].Item1, read[i].Timestamp);
            Assert.Equal(written[i].Item2, read[i].OriginalLength);
            Assert.Equal(written[i].Item3, read[i].Data);
        }
    }

    [Fact]
    public void A_microsecond_file_keeps_microseconds_and_drops_the_rest()
    {
        var path = TempFile("micro.pcap");
        using (var writer = CaptureFileWriter.Create(path))
            writer.Write(1_700_000_000_123_456_789L, Frame(60, 9));
        Assert.Equal(1_700_000_000_123_456_000L, ReadAll(path)[0].Timestamp);
    }

    [Fact]
    public void The_file_header_is_a_standard_pcap_header()
    {
        var path = TempFile("header.pcap");
        using (var writer = CaptureFileWriter.Create(path))
            writer.Write(0, Frame(60, 0));
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0xa1b2c3d4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));      // microsecond magic
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));   // LINKTYPE_ETHERNET
        Assert.Equal(24 + 16 + 60, bytes.Length);
    }

    [Fact]
    public void A_pcapng_file_is_read()
    {
        // Section header, one Ethernet interface (default microsecond resolution), two enhanced packet blocks.
        var path = TempFile("two-frames.pcapng");
        var frames = new[] { Frame(60, 10), Frame(61, 20) };
        var timestamps = new[] { 1_600_000_000_000_001L, 1_600_000_000_500_000L }; // microseconds since the epoch
        using (var file = File.Create(path))
        {
            file.Write(Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. U16(1), .. U16(0), .. U64(ulong.MaxValue)]));
            file.Write(Block(0x00000001, [.. U16(1), .. U16(0), .. U32(262144)]));
            for (int i = 0; i < frames.Length; i++)
            {
                byte[] body =
                [
                    .. U32(0),                                   // interface 0
                    .. U32((uint)(timestamps[i] >> 32)),         // timestamp, high 32 bits
                    .. U32((uint)timestamps[i]),                 // timestamp, low 32 bits
                    .. U32((uint)frames[i].Length),              // captured length
                    .. U32((uint)frames[i].Length),              // original length
                    .. frames[i],
                    .. new byte[(4 - frames[i].Length % 4) % 4], // padding to 32 bits
                ];
                file.Write(Block(0x00000006, body));
            }
        }

        var read = ReadAll(path);
        Assert.Equal(2, read.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(timestamps[i] * 1000, read[i].Timestamp);
            Assert.Equal(frames[i], read[i].Data);
        }

        static byte[] Block(uint type, byte[] body) =>
            [.. U32(type), .. U32((uint)(body.Length + 12)), .. body, .. U32((uint)(body.Length + 12))];
        static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }
        static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
        static byte[] U64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }
    }

    [Theory]
    [InlineData("curl-http.pcap")]
    [InlineData("nmap-syn-scan.pcap")]
    [InlineData("vlan-tagged.pcap")]
    public void The_recorded_fixtures_are_ethernet_captures_with_frames(string name)
    {
        using var reader = CaptureFileReader.Open(RepositoryPaths.Fixture(name));
        Assert.True(reader.IsEthernet);
        Assert.NotEmpty(ReadAll(RepositoryPaths.Fixture(name)));
    }

    [Fact]
    public void A_missing_file_is_reported_with_libpcaps_reason()
    {
        var e = Assert.Throws<PcapException>(() => CaptureFileReader.Open(TempFile("absent.pcap")));
        Assert.Contains("No such file or directory", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_capture_is_reported()
    {
        var path = TempFile("not-a-capture.txt");
        File.WriteAllText(path, "hello, this is not a capture file at all");
        var e = Assert.Throws<PcapException>(() => CaptureFileReader.Open(path));
        Assert.Contains("format", e.Message);
    }

    [Fact]
    public void A_file_cut_mid_frame_raises_rather_than_returning_garbage()
    {
        var path = TempFile("cut.pcap");
        using (var writer = CaptureFileWriter.Create(path))
        {
            writer.Write(0, Frame(60, 1));
            writer.Write(1, Frame(60, 2));
        }
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 10).ToArray());
        using var reader = CaptureFileReader.Open(path);
        Assert.Equal(ReceiveStatus.Frame, reader.Read(out _));
        Assert.Throws<PcapException>(() => reader.Read(out _));
    }

    [Fact]
    public void An_unwritable_path_is_reported()
    {
        var e = Assert.Throws<PcapException>(() => CaptureFileWriter.Create(Path.Combine(_directory, "no-such-dir", "x.pcap")));
        Assert.Contains("No such file or directory", e.Message);
    }
}
