using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Tarpit;

/// <summary>Live replies: injected on the interface (unless a dry run), and recorded when asked.</summary>
public sealed class InjectingSink(LiveCapture capture, CaptureFileWriter? recording, bool dryRun) : IFrameSink
{
    public long InjectFailures { get; private set; }
    public string? LastFailure { get; private set; }
    /// <summary>The time to stamp recorded replies with: the frame that caused them.</summary>
    public long Timestamp { get; set; }

    public void Send(ReadOnlySpan<byte> frame)
    {
        recording?.Write(Timestamp, frame);
        if (dryRun)
            return;
        if (!capture.TryInject(frame))
        {
            InjectFailures++;
            LastFailure = capture.LastError;
        }
    }
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
