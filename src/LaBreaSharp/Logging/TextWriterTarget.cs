using NLog.Common;
using NLog.Targets;

namespace LaBreaSharp.Logging;

/// <summary>Writes each rendered line to a <see cref="TextWriter"/> the caller owns (standard output
/// for the CLI, a StringWriter in tests). Closing the target flushes the writer but leaves it open.</summary>
internal sealed class TextWriterTarget : TargetWithLayout
{
    private readonly TextWriter _writer;

    public TextWriterTarget(TextWriter writer, string name)
    {
        _writer = writer;
        Name = name;
    }

    protected override void Write(NLog.LogEventInfo logEvent) => _writer.WriteLine(RenderLogEvent(Layout, logEvent));

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
        _writer.Flush();
        base.CloseTarget();
    }
}
