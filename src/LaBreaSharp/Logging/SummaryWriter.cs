using System.Globalization;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Logging;

/// <summary>The end-of-run summary of <c>run</c> and <c>replay</c>: one counter per line, names
/// aligned on the left and values on the right, in <see cref="EngineCounters.Fields"/> order.</summary>
public static class SummaryWriter
{
    /// <summary>Writes the engine's counters, then <paramref name="extra"/> ones (the live loop's
    /// capture and injection figures) in the same columns.</summary>
    /// <summary>The lines that say what was lost: events the log's destinations did not take, frames
    /// the capture files did not take. Any but zero makes the exit code <see cref="ExitCodes.Incomplete"/>.</summary>
    public static (string Name, long Value)[] Losses(EventLog log, params CaptureFileWriter?[] files) =>
        [("events lost", log.EventsLost), ("frames not recorded", files.Sum(f => f?.FramesNotRecorded ?? 0))];

    /// <summary><see cref="ExitCodes.Incomplete"/> when <see cref="Losses"/> counts anything, else <paramref name="otherwise"/>.</summary>
    public static int ExitCode(EventLog log, int otherwise, params CaptureFileWriter?[] files) =>
        Losses(log, files).Any(l => l.Value > 0) ? ExitCodes.Incomplete : otherwise;

    public static void Write(TextWriter output, EngineCounters counters, params (string Name, long Value)[] extra)
    {
        var fields = counters.Fields().Concat(extra).Select(f => (Label: f.Name + ":", Value: f.Value.ToString(CultureInfo.InvariantCulture))).ToList();
        int labelWidth = fields.Max(f => f.Label.Length);
        int valueWidth = fields.Max(f => f.Value.Length);
        foreach (var (label, value) in fields)
            output.WriteLine(label.PadRight(labelWidth) + " " + value.PadLeft(valueWidth));
    }
}
