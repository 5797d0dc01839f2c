using NLog.Common;
using NLog.Targets;

namespace LaBreaSharp.Logging;

/// <summary>Writes each rendered line to a <see cref="TextWriter"/> the caller owns (standard output
/// for the CLI, a StringWriter in tests). Closing the target flushes the writer but leaves it open.
/// A line the writer refuses (standard output on a full disk) is counted in the <see cref="WriteLoss"/>.</summary>
internal sealed class TextWriterTarget : TargetWithLayout
{
    private readonly TextWriter _writer;
    private readonly WriteLoss? _loss;

    public TextWriterTarget(TextWriter writer, string name, WriteLoss? loss = null)
    {
        _writer = writer;
        _loss = loss;
        Name = name;
    }

    protected override void Write(NLog.LogEventInfo logEvent)
    {
        try
        {
            _writer.WriteLine(RenderLogEvent(Layout, logEvent));
            if (_loss is { Failing: true })
            {
                // A writer that failed may take a line into its buffer without a word: only a flush proves it works again.
                _writer.Flush();
                _loss.Succeeded();
            }
        }
        catch (IOException e) when (_loss is not null)
        {
            _loss.Failed(1, LaBreaSharp.Pcap.CaptureFileWriter.Reason(e));
        }
    }

    protected override void FlushAsync(AsyncContinuation asyncContinuation)
    {
        try
        {
            _writer.Flush();
            asyncContinuation(null);
        }
        catch (Exception e)
        {
            asyncContinuation(e);
        }
    }

    protected override void CloseTarget()
    {
        try
        {
            _writer.Flush();
        }
        catch (IOException e) when (_loss is not null)
        {
            _loss.Failed(0, LaBreaSharp.Pcap.CaptureFileWriter.Reason(e));
        }
        base.CloseTarget();
    }
}
