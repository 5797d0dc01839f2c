using System.Globalization;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>The end-of-run summary of <c>run</c> and <c>replay</c>: one counter per line, names
/// aligned on the left and values on the right, in <see cref="EngineCounters.Fields"/> order.</summary>
public static class SummaryWriter
{
    public static void Write(TextWriter output, EngineCounters counters)
    {
        var fields = counters.Fields().Select(f => (Label: f.Name + ":", Value: f.Value.ToString(CultureInfo.InvariantCulture))).ToList();
        int labelWidth = fields.Max(f => f.Label.Length);
        int valueWidth = fields.Max(f => f.Value.Length);
        foreach (var (label, value) in fields)
            output.WriteLine(label.PadRight(labelWidth) + " " + value.PadLeft(valueWidth));
    }
}
