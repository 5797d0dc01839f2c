namespace LaBreaSharp.Core.Tarpit;

/// <summary>A value an event can carry, by the name its templates and the JSON log use.</summary>
public enum EventField : byte
{
    /// <summary><c>src</c>: the attacker's (or requester's) address.</summary>
    Source,
    /// <summary><c>sport</c></summary>
    SourcePort,
    /// <summary><c>dst</c>: the tarpitted (or claimed) address.</summary>
    Destination,
    /// <summary><c>dport</c></summary>
    DestinationPort,
    /// <summary><c>mac</c></summary>
    Mac,
    /// <summary><c>reason</c>: the reason's name.</summary>
    Reason,
    /// <summary><c>count</c></summary>
    Count,
    /// <summary><c>counters</c>: every engine counter (stats).</summary>
    Counters,
    /// <summary><c>note</c>: the reason's note for people, if it has one (text only).</summary>
    Note,
    /// <summary><c>flag</c>: LaBrea's alternating '*' / ' ' (LaBrea lines only).</summary>
    Flag,
    /// <summary><c>banner</c>: which greeting (ssh, http, smtp, telnet).</summary>
    Banner,
    /// <summary><c>lines</c>: banner lines sent.</summary>
    Lines,
    /// <summary><c>bytes</c>: banner bytes sent.</summary>
    Bytes,
    /// <summary><c>seconds</c>: how long the flow was held, or a ban lasts.</summary>
    Seconds,
    /// <summary><c>of</c>: the name of the events a flood line folds.</summary>
    Folded,
    /// <summary><c>sources</c>: distinct sources of a flood line's events.</summary>
    Sources,
    /// <summary><c>top</c>: a flood line's busiest sources, with their counts.</summary>
    Top,
    /// <summary><c>system</c>: the system a stealth address passes for (capture).</summary>
    System,
}

/// <summary>One piece of a template: literal text, a field, or an optional group.</summary>
public abstract record TemplatePart;
public sealed record LiteralPart(string Text) : TemplatePart;
public sealed record FieldPart(EventField Field) : TemplatePart;
/// <summary>Written only when every field inside it is present in the event.</summary>
public sealed record OptionalPart(IReadOnlyList<TemplatePart> Parts) : TemplatePart;

/// <summary>A line's shape: <c>{dst} (alive at {mac})[ {note}]</c>. Braces name a field; square
/// brackets enclose a group that is written only when all its fields are present (an address
/// other than 0.0.0.0, a port other than 0, a MAC, a reason other than none, a note, counters).
/// Parsed once, when the catalogue is built; formatters walk the parts.</summary>
public sealed class EventTemplate
{
    private static readonly Dictionary<string, EventField> FieldNames = new()
    {
        ["src"] = EventField.Source, ["sport"] = EventField.SourcePort, ["dst"] = EventField.Destination,
        ["dport"] = EventField.DestinationPort, ["mac"] = EventField.Mac, ["reason"] = EventField.Reason,
        ["count"] = EventField.Count, ["counters"] = EventField.Counters, ["note"] = EventField.Note, ["flag"] = EventField.Flag,
        ["banner"] = EventField.Banner, ["lines"] = EventField.Lines, ["bytes"] = EventField.Bytes, ["seconds"] = EventField.Seconds,
        ["of"] = EventField.Folded, ["sources"] = EventField.Sources, ["top"] = EventField.Top, ["system"] = EventField.System,
    };

    private EventTemplate(string text, IReadOnlyList<TemplatePart> parts)
    {
        Text = text;
        Parts = parts;
    }

    public string Text { get; }
    public IReadOnlyList<TemplatePart> Parts { get; }

    public static string NameOf(EventField field) => FieldNames.First(p => p.Value == field).Key;

    /// <summary>Is <paramref name="field"/> of <paramref name="e"/> worth writing?</summary>
    public static bool IsPresent(EventField field, in TarpitEvent e) => field switch
    {
        EventField.Source => e.Source.Value != 0,
        EventField.SourcePort => e.SourcePort != 0,
        EventField.Destination => e.Destination.Value != 0,
        EventField.DestinationPort => e.DestinationPort != 0,
        EventField.Mac => e.Mac.Value != 0,
        EventField.Reason => e.Reason != TarpitEventReason.None,
        EventField.Note => EventCatalogue.Of(e.Reason).Note is not null,
        EventField.Counters => e.Counters is not null,
        EventField.Banner => e.Banner != Behaviours.BannerKind.None,
        EventField.Top => e.Top is not null,
        EventField.System => e.System is not null,
        _ => true,
    };

    /// <summary>Are all the fields in <paramref name="group"/> present in <paramref name="e"/>?</summary>
    public static bool IsPresent(OptionalPart group, in TarpitEvent e)
    {
        foreach (var part in group.Parts)
        {
            if (part is FieldPart field && !IsPresent(field.Field, e))
                return false;
            if (part is OptionalPart inner && !IsPresent(inner, e))
                return false;
        }
        return true;
    }

    /// <exception cref="FormatException">An unknown field, or unbalanced braces or brackets.</exception>
    public static EventTemplate Parse(string text)
    {
        int at = 0;
        var parts = ParseParts(text, ref at, nested: false);
        return new EventTemplate(text, parts);
    }

    private static List<TemplatePart> ParseParts(string text, ref int at, bool nested)
    {
        var parts = new List<TemplatePart>();
        var literal = new System.Text.StringBuilder();
        while (at < text.Length)
        {
            char c = text[at];
            if (c == ']')
            {
                if (!nested)
                    throw new FormatException($"template '{text}': ']' without '['");
                at++;
                Flush(literal, parts);
                return parts;
            }
            if (c == '[')
            {
                at++;
                Flush(literal, parts);
                parts.Add(new OptionalPart(ParseParts(text, ref at, nested: true)));
                continue;
            }
            if (c == '{')
            {
                int end = text.IndexOf('}', at);
                if (end < 0 || !FieldNames.TryGetValue(text[(at + 1)..end], out var field))
                    throw new FormatException($"template '{text}': bad field at {at}");
                Flush(literal, parts);
                parts.Add(new FieldPart(field));
                at = end + 1;
                continue;
            }
            literal.Append(c);
            at++;
        }
        if (nested)
            throw new FormatException($"template '{text}': '[' without ']'");
        Flush(literal, parts);
        return parts;
    }

    private static void Flush(System.Text.StringBuilder literal, List<TemplatePart> parts)
    {
        if (literal.Length > 0)
            parts.Add(new LiteralPart(literal.ToString()));
        literal.Clear();
    }
}
