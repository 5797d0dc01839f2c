namespace LaBreaSharp.Pcap.Tests;

/// <summary>Files written by <see cref="CaptureFileWriter"/> read back by SharpPcap (a reader this
/// project did not write, with its own pcap_pkthdr layout): every frame's bytes, captured and
/// original lengths and timestamp, and the file's link type.</summary>
public sealed class SharpPcapReadBackTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-sharppcap-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string TempFile(string name) => Path.Combine(_directory, name);

    /// <summary>Frames of every length the tarpit writes and a few it never does: a bare header, an
    /// ARP reply, a SYN-ACK, a full-size segment, one cut to 96 of 2,000 bytes, and one past 64 KiB.</summary>
    private static List<(long Timestamp, int OriginalLength, byte[] Data)> Frames(long resolution)
    {
        var frames = new List<(long, int, byte[])>();
        int[] lengths = [14, 42, 54, 1514, 96, 70_000];
        for (int i = 0; i < lengths.Length; i++)
        {
            var data = new byte[lengths[i]];
            new Random(i).NextBytes(data);
            long timestamp = (1_700_000_000_000_000_000L + i * 1_234_567_891L) / resolution * resolution;
            frames.Add((timestamp, lengths[i] == 96 ? 2_000 : lengths[i], data));
        }
        frames.Add((0L, 60, new byte[60])); // the epoch itself
        return frames;
    }

    [Theory]
    [InlineData(TimestampPrecision.Microseconds, 1_000)]
    [InlineData(TimestampPrecision.Nanoseconds, 1)]
    public void Every_frame_comes_back_with_its_bytes_lengths_and_time(TimestampPrecision precision, long resolution)
    {
        var path = TempFile($"frames-{precision}.pcap");
        var written = Frames(resolution);
        using (var writer = CaptureFileWriter.Create(path, precision: precision))
        {
            foreach (var (timestamp, originalLength, data) in written)
                writer.Write(timestamp, data, originalLength);
        }

        var file = SharpPcapFile.Read(path);
        Assert.Equal(1, file.LinkType); // LINKTYPE_ETHERNET
        Assert.Equal(written.Count, file.Frames.Count);
        for (int i = 0; i < written.Count; i++)
        {
            var (timestamp, originalLength, data) = written[i];
            var read = file.Frames[i];
            Assert.Equal(timestamp, read.TimestampNanoseconds);
            Assert.Equal(data.Length, read.CaptureLength);
            Assert.Equal(originalLength, read.OriginalLength);
            Assert.Equal(data, read.Data);
        }
    }

    [Fact]
    public void A_microsecond_file_is_cut_to_the_microsecond_as_the_projects_reader_says()
    {
        var path = TempFile("micro.pcap");
        using (var writer = CaptureFileWriter.Create(path))
            writer.Write(1_700_000_000_123_456_789L, new byte[60]);
        Assert.Equal(1_700_000_000_123_456_000L, Assert.Single(SharpPcapFile.Read(path).Frames).TimestampNanoseconds);
    }

    [Theory]
    [InlineData(1)]   // DLT_EN10MB: what replay and run write
    [InlineData(113)] // DLT_LINUX_SLL: the same number as a file's link type, so it reads back as written
    public void The_link_type_is_what_was_asked_for(int linkType)
    {
        var path = TempFile($"link-{linkType}.pcap");
        using (var writer = CaptureFileWriter.Create(path, linkType))
            writer.Write(0, new byte[20]);
        Assert.Equal(linkType, SharpPcapFile.Read(path).LinkType);
    }

    [Fact]
    public void An_empty_file_has_its_header_and_no_frames()
    {
        var path = TempFile("empty.pcap");
        using (CaptureFileWriter.Create(path)) { }
        var file = SharpPcapFile.Read(path);
        Assert.Equal(1, file.LinkType);
        Assert.Empty(file.Frames);
    }

    [Theory]
    [InlineData("curl-http.pcap")]
    [InlineData("nmap-syn-scan.pcap")]
    [InlineData("tarpit-session.pcap")]
    [InlineData("vlan-tagged.pcap")]
    public void The_projects_reader_and_SharpPcap_read_the_fixtures_alike(string name)
    {
        var path = RepositoryPaths.Fixture(name);
        var own = new List<(long, int, byte[])>();
        using (var reader = CaptureFileReader.Open(path))
        {
            Assert.True(reader.IsEthernet);
            while (reader.Read(out var frame) == ReceiveStatus.Frame)
                own.Add((frame.TimestampNanoseconds, frame.OriginalLength, frame.Data.ToArray()));
        }
        var theirs = SharpPcapFile.Read(path);
        Assert.Equal(1, theirs.LinkType);
        Assert.NotEmpty(own);
        Assert.Equal(own, theirs.Frames.Select(f => (f.TimestampNanoseconds, f.OriginalLength, f.Data)));
    }

    /// <summary>SharpPcap's resolver and the project's own load the same file, Debian's
    /// libpcap.so.0.8, with no libpcap.so symlink (that comes only with libpcap0.8-dev).</summary>
    [Fact]
    public void SharpPcap_and_the_projects_binding_load_one_libpcap()
    {
        Assert.Equal(PcapLibrary.Version, SharpPcap.Pcap.Version);
        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libpcap.so", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Distinct()
            .ToList();
        Assert.Single(mapped);
    }
}
