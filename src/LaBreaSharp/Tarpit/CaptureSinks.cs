using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Tarpit;

/// <summary>Live replies: recorded when asked, and queued to go out on the interface (unless a dry
/// run) in one batch when the loop calls <see cref="Flush"/>, after the frames of one wake-up.</summary>
public sealed class InjectingSink(FrameSender sender, CaptureFileWriter? recording, bool dryRun) : IFrameSink
{
    public long InjectFailures => sender.Failures;
    public string? LastFailure => sender.LastFailure;
    /// <summary>The time to stamp recorded replies with: the frame that caused them.</summary>
    public long Timestamp { get; set; }

    public void Send(ReadOnlySpan<byte> frame)
    {
        recording?.Write(Timestamp, frame);
        if (!dryRun)
            sender.Enqueue(frame);
    }

    public void Flush() => sender.Flush();
}

/// <summary>Replayed replies: written with the timestamp of the input frame that caused them, to the
/// output file and, interleaved with the input, to the merged file.</summary>
public sealed class RecordingSink(CaptureFileWriter output, CaptureFileWriter? merged) : IFrameSink
{
    public long Timestamp { get; set; }

    public void Send(ReadOnlySpan<byte> frame)
    {
        output.Write(Timestamp, frame);
        merged?.Write(Timestamp, frame);
    }
}
