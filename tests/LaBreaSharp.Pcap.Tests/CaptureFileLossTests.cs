namespace LaBreaSharp.Pcap.Tests;

/// <summary>Issue 11, item 6: a capture file on a full filesystem keeps whole records only, so it
/// stays readable, and writing resumes when space comes back.</summary>
public sealed class CaptureFileLossTests
{
    private static byte[] Frame(int index)
    {
        var frame = new byte[1000];
        BitConverter.TryWriteBytes(frame, index);
        return frame;
    }

    private static List<int> ReadIndexes(string path)
    {
        var indexes = new List<int>();
        using var reader = CaptureFileReader.Open(path);
        while (reader.Read(out var frame) == ReceiveStatus.Frame)
            indexes.Add(BitConverter.ToInt32(frame.Data));
        return indexes;
    }

    [RootFact]
    public void A_full_disk_mid_record_leaves_a_readable_file_that_resumes_when_space_comes_back()
    {
        using var disk = new SmallFilesystem(64);
        var path = disk.PathOf("frames.pcap");
        int written = 0;
        var failures = new List<(long Frames, string Reason)>();
        int writes = 0;
        long notRecorded;
        using (var writer = CaptureFileWriter.Create(path, lost: (frames, reason) => failures.Add((frames, reason)), written: () => writes++))
        {
            disk.Fill();
            disk.Free(); // the filler took every block; give back all of it and take half again
            File.WriteAllBytes(disk.PathOf("filler"), new byte[30_000]);
            for (; written < 150; written++)
                writer.Write(written * 1_000_000L, Frame(written));
            writer.Flush();
            disk.Free();
            for (; written < 160; written++)
                writer.Write(written * 1_000_000L, Frame(written));
            writer.Flush();
            notRecorded = writer.FramesNotRecorded;
        }
        var read = ReadIndexes(path); // throws on a torn record
        Assert.InRange(read.Count, 10, written - 1);
        Assert.Equal(written - notRecorded, read.Count);
        Assert.Equal(notRecorded, failures.Sum(f => f.Frames));
        Assert.All(failures, f => Assert.Equal("No space left on device", f.Reason));
        Assert.True(writes >= 2, "the header and the frames after the space came back");
        Assert.Equal(read.Order(), read);
        Assert.Equal(Enumerable.Range(150, 10), read.TakeLast(10)); // the frames after the space came back
    }

    [Fact]
    public void Dev_full_counts_every_frame_and_throws_nothing()
    {
        var reasons = new List<string>();
        using var writer = CaptureFileWriter.Create("/dev/full", lost: (_, reason) => reasons.Add(reason));
        for (int i = 0; i < 100; i++)
            writer.Write(i, Frame(i));
        writer.Flush();
        Assert.Equal(100, writer.FramesNotRecorded);
        Assert.Equal("No space left on device", reasons[0]);
    }
}
