using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Commands;

/// <summary>Live replies: recorded when asked, and queued to go out on the interface (unless a dry
/// run) in one batch when the loop calls <see cref="Flush"/>, after the frames of one wake-up.</summary>
public sealed class InjectingSink(FrameSender sender, CaptureFileWriter? recording, bool dryRun) : IFrameSink
{
    public long InjectFailures => sender.Failures;
    public string? LastFailure => sender.LastFailure;

    public void Send(ReadOnlySpan<byte> frame, long time)
    {
        recording?.Write(time, frame);
        if (!dryRun)
            sender.Enqueue(frame);
    }

    public void Flush() => sender.Flush();
}

/// <summary>Replayed replies: written with the engine's time when it sent them (the timestamp of the
/// input frame that caused them), to the output file and, interleaved with the input, to the merged file.</summary>
public sealed class RecordingSink(CaptureFileWriter output, CaptureFileWriter? merged) : IFrameSink
{
    public void Send(ReadOnlySpan<byte> frame, long time)
    {
        output.Write(time, frame);
        merged?.Write(time, frame);
    }
}
