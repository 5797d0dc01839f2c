namespace LaBreaSharp.Tests.Commands;

/// <summary>The files <c>replay -w</c> and <c>--merged</c> write, read back by SharpPcap: the same frames,
/// lengths, timestamps and link type as the project's reader sees, and a merged file that is exactly
/// the input and the replies interleaved.</summary>
public sealed class ReplayFileReadBackTests : IDisposable
{
    private static readonly string[] Session = ["--seed", "1", "--my-ip", "192.0.2.1/24", "--my-mac", "02:00:00:00:02:01", "-q"];

    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-readback-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (SharpPcapFile Input, SharpPcapFile Replies, SharpPcapFile Merged, string RepliesPath) Replay(string input, params string[] options)
    {
        var replies = Path.Combine(_directory, "replies.pcap");
        var merged = Path.Combine(_directory, "merged.pcap");
        var (code, _, summary) = CliRunner.Run(["replay", "-r", input, "-w", replies, "--merged", merged, .. options]);
        Assert.True(code == 0, summary);
        return (SharpPcapFile.Read(input), SharpPcapFile.Read(replies), SharpPcapFile.Read(merged), replies);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // banner lines and delayed ACKs leave at their timers' times, between the frames
    public void The_replies_file_reads_back_as_the_projects_reader_sees_it(bool timers)
    {
        string[] extra = timers ? ["--banner", "80=http", "--banner-delay", "1", "--ack-delay", "20-80"] : [];
        var input = RepositoryPaths.Fixture("tarpit-session.pcap");
        var (inputFile, replies, _, path) = Replay(input, [.. Session, .. extra]);
        Assert.Equal(1, replies.LinkType); // LINKTYPE_ETHERNET
        var own = CapturedPacket.ReadAll(path);
        Assert.True(own.Count >= 15, $"{own.Count} replies");
        Assert.Equal(own.Select(f => (f.Timestamp, f.Bytes)), replies.Frames.Select(f => (f.TimestampNanoseconds, f.Data)));
        Assert.All(replies.Frames, f => Assert.Equal((f.Data.Length, f.Data.Length), (f.CaptureLength, f.OriginalLength))); // never cut
        Assert.Equal(replies.Frames.Select(f => f.TimestampNanoseconds).Order(), replies.Frames.Select(f => f.TimestampNanoseconds));
        // Stamped in microseconds, within the capture's own time.
        Assert.All(replies.Frames, f => Assert.Equal(0, f.TimestampNanoseconds % 1_000));
        Assert.InRange(replies.Frames[0].TimestampNanoseconds, inputFile.Frames[0].TimestampNanoseconds, long.MaxValue);
        if (!timers) // without timers, each reply carries the time of the frame it answers
            Assert.All(replies.Frames, f => Assert.Contains(f.TimestampNanoseconds, inputFile.Frames.Select(i => i.TimestampNanoseconds)));
    }

    public static TheoryData<string, string[]> Merges => new()
    {
        { RepositoryPaths.Fixture("tarpit-session.pcap"), Session },
        { RepositoryPaths.Fixture("tarpit-session.pcap"), [.. Session, "--banner", "80=http", "--banner-delay", "1"] },
        { RepositoryPaths.Fixture("vlan-tagged.pcap"), ["--routed", "192.0.2.140/32", "--routed", "192.0.2.200/32", "--my-mac", "02:00:00:00:02:64", "-q"] },
        // A pcapng file in, a pcap file out.
        { Path.Combine(RepositoryPaths.SharedPcaps, "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng"),
            ["--routed", "10.10.10.10/32", "--my-mac", "4c:72:b9:7c:b5:b7", "--seed", "4", "-q"] },
    };

    [Theory]
    [MemberData(nameof(Merges))]
    public void The_merged_file_is_the_input_and_the_replies_interleaved_in_time(string input, string[] options)
    {
        Assert.True(File.Exists(input), $"expected {input}");
        var (inputFile, replies, merged, _) = Replay(input, options);
        Assert.Equal(1, merged.LinkType);
        Assert.NotEmpty(replies.Frames);
        Assert.Equal(inputFile.Frames.Count + replies.Frames.Count, merged.Frames.Count);
        // Walk the merged file: each frame is the next input frame (bytes, both lengths and time) or the next reply.
        int nextInput = 0, nextReply = 0;
        foreach (var frame in merged.Frames)
        {
            if (nextInput < inputFile.Frames.Count && inputFile.Frames[nextInput] is var i &&
                i.TimestampNanoseconds == frame.TimestampNanoseconds && i.OriginalLength == frame.OriginalLength && i.Data.AsSpan().SequenceEqual(frame.Data))
            {
                nextInput++;
                continue;
            }
            Assert.True(nextReply < replies.Frames.Count, $"merged frame at {frame.TimestampNanoseconds} is neither input frame {nextInput} nor a reply");
            var reply = replies.Frames[nextReply++];
            Assert.Equal((reply.TimestampNanoseconds, reply.OriginalLength, reply.CaptureLength), (frame.TimestampNanoseconds, frame.OriginalLength, frame.CaptureLength));
            Assert.Equal(reply.Data, frame.Data);
        }
        Assert.Equal((inputFile.Frames.Count, replies.Frames.Count), (nextInput, nextReply));
        Assert.Equal(merged.Frames.Select(f => f.TimestampNanoseconds).Order(), merged.Frames.Select(f => f.TimestampNanoseconds));
    }
}
