namespace LaBreaSharp.Logging;

/// <summary>What one destination (the log file, standard output, a capture file) failed to write:
/// counted, said once on stderr when writing starts failing and once when it works again, so a full
/// disk is neither silent nor a flood of messages. The writers call it on whatever thread they write
/// on; it keeps its own lock.</summary>
public sealed class WriteLoss(string destination, string unit, string losing, TextWriter? report)
{
    private readonly Lock _lock = new();
    private long _lost;
    private volatile bool _failing;

    /// <summary>The log's destinations, which lose events.</summary>
    public static WriteLoss Events(string destination, TextWriter? report) => new(destination, "events", "events are being lost", report);

    /// <summary>A capture file, which loses frames.</summary>
    public static WriteLoss Frames(string destination, TextWriter? report) => new(destination, "frames", "frames are not being recorded", report);

    /// <summary>The last write failed.</summary>
    public bool Failing => _failing;

    public long Lost
    {
        get { lock (_lock) return _lost; }
    }

    /// <summary>A write failed and lost <paramref name="count"/> of the unit (possibly none: a header).</summary>
    public void Failed(long count, string reason)
    {
        lock (_lock)
        {
            _lost += count;
            if (_failing)
                return;
            _failing = true;
            Say($"labreasharp: warning: cannot write {destination} ({reason}): {losing} until it can be written again; the tarpit goes on");
        }
    }

    /// <summary>A write worked: if writes had been failing, say that they work again. One volatile read otherwise.</summary>
    public void Succeeded()
    {
        if (!_failing)
            return;
        lock (_lock)
        {
            if (!_failing)
                return;
            _failing = false;
            Say($"labreasharp: {destination} is being written again; {_lost} {unit} were lost");
        }
    }

    private void Say(string line)
    {
        if (report is null)
            return;
        try
        {
            lock (report)
            {
                report.WriteLine(line);
                report.Flush();
            }
        }
        catch (IOException)
        {
            // stderr itself is gone; the count and the exit code still say it.
        }
    }
}
