using System.Globalization;
using System.Text;
using System.Text.Json;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Monitoring;

/// <summary>Who is trapped now, as JSON: what the control socket answers and the metrics
/// listener's <c>/trapped</c> serves, and what <c>labreasharp status</c> reads back and prints.
/// Written and read with the reader and writer of System.Text.Json (no reflection, so the native
/// build needs nothing kept for it). Times are UTC, in ISO 8601.</summary>
public static class TrappedReport
{
    /// <summary>The most flows a request may ask for.</summary>
    public const int MaxTop = 10_000;

    public static byte[] ToJson(LiveSnapshot snapshot)
    {
        var view = snapshot.View;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("now", Time(view.Now));
            json.WriteNumber("total", view.Total);
            json.WriteStartArray("by_state");
            foreach (var ((state, behaviour), count) in view.ByState.OrderBy(s => s.Key.State, StringComparer.Ordinal).ThenBy(s => s.Key.Behaviour, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("state", state);
                json.WriteString("behaviour", behaviour);
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("ended", view.Ended.TotalCount);
            json.WriteNumber("ended_held_seconds", view.Ended.TotalSeconds);
            json.WriteStartArray("flows");
            foreach (var flow in view.Longest)
            {
                json.WriteStartObject();
                json.WriteString("source", flow.Key.Source.ToString());
                json.WriteNumber("source_port", flow.Key.SourcePort);
                json.WriteString("destination", flow.Key.Destination.ToString());
                json.WriteNumber("port", flow.Key.DestinationPort);
                json.WriteString("state", flow.State);
                json.WriteString("behaviour", flow.Behaviour);
                json.WriteString("since", Time(flow.Since));
                json.WriteString("last_seen", Time(flow.LastSeen));
                json.WriteNumber("held_seconds", Math.Max(0, (view.Now - flow.Since) / 1_000_000_000));
                json.WriteNumber("probes", flow.Probes);
                json.WriteNumber("lines", flow.Lines);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("counters");
            foreach (var (name, value) in view.Counters.Fields().Concat(snapshot.Extras))
                json.WriteNumber(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Time(long nanoseconds) =>
        Logging.EventTime.ToUtc(nanoseconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The table <c>labreasharp status</c> prints: longest held first, then the totals.</summary>
    public static string ToTable(JsonElement report)
    {
        var text = new StringBuilder();
        var rows = new List<string[]> { new[] { "SOURCE", "DPORT", "STATE", "BEHAVIOUR", "SINCE", "HELD", "PROBES/LINES" } };
        foreach (var flow in report.GetProperty("flows").EnumerateArray())
        {
            string behaviour = flow.GetProperty("behaviour").GetString()!;
            bool talks = flow.GetProperty("state").GetString() == "talking";
            rows.Add([
                $"{flow.GetProperty("source").GetString()}:{flow.GetProperty("source_port").GetInt32()}",
                flow.GetProperty("port").GetInt32().ToString(CultureInfo.InvariantCulture),
                flow.GetProperty("state").GetString()!,
                behaviour,
                flow.GetProperty("since").GetString()!,
                Duration(flow.GetProperty("held_seconds").GetInt64()),
                talks ? $"{flow.GetProperty("lines").GetInt64()} lines" : $"{flow.GetProperty("probes").GetInt64()} probes",
            ]);
        }
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        if (rows.Count > 1)
            foreach (var row in rows)
                text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        long total = report.GetProperty("total").GetInt64();
        var parts = report.GetProperty("by_state").EnumerateArray()
            .Select(s => $"{s.GetProperty("count").GetInt64()} {s.GetProperty("state").GetString()} ({s.GetProperty("behaviour").GetString()})");
        int shown = rows.Count - 1;
        text.Append(CultureInfo.InvariantCulture, $"{total} held now");
        if (total > 0)
            text.Append(": ").Append(string.Join(", ", parts));
        if (shown < total)
            text.Append(CultureInfo.InvariantCulture, $"; the {shown} longest shown");
        text.AppendLine();
        return text.ToString();
    }

    /// <summary>4s, 12m05s, 3h02m, 2d04h.</summary>
    public static string Duration(long seconds) => seconds switch
    {
        < 60 => $"{seconds}s",
        < 3_600 => $"{seconds / 60}m{seconds % 60:00}s",
        < 86_400 => $"{seconds / 3_600}h{seconds % 3_600 / 60:00}m",
        _ => $"{seconds / 86_400}d{seconds % 86_400 / 3_600:00}h",
    };
}
