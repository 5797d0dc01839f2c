using System.Globalization;
using System.Text;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>Writes an <see cref="EventTemplate"/> filled with one event's values, as text: what
/// the text format's body and the LaBrea lines are made of.</summary>
internal static class TemplateText
{
    /// <param name="flag">LaBrea's alternating flag, asked for only by templates that name it.</param>
    public static void Append(StringBuilder line, IReadOnlyList<TemplatePart> parts, in TarpitEvent e, LabreaFlag? flag = null)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    line.Append(literal.Text);
                    break;
                case FieldPart field:
                    AppendField(line, field.Field, e, flag);
                    break;
                case OptionalPart group when EventTemplate.IsPresent(group, e):
                    Append(line, group.Parts, e, flag);
                    break;
            }
        }
    }

    /// <summary>The text format's body: everything after the time stamp, starting with the event's name.</summary>
    public static void AppendBody(StringBuilder line, in TarpitEvent e)
    {
        var declaration = EventCatalogue.Of(e.Kind);
        line.Append(declaration.Name);
        int before = line.Length;
        line.Append(' ');
        Append(line, declaration.Text.Parts, e);
        if (line.Length == before + 1)
            line.Length = before; // nothing to say beyond the name
    }

    private static void AppendField(StringBuilder line, EventField field, in TarpitEvent e, LabreaFlag? flag)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (field)
        {
            case EventField.Source: line.Append(invariant, $"{e.Source}"); break;
            case EventField.SourcePort: line.Append(e.SourcePort); break;
            case EventField.Destination: line.Append(invariant, $"{e.Destination}"); break;
            case EventField.DestinationPort: line.Append(e.DestinationPort); break;
            case EventField.Mac: line.Append(invariant, $"{e.Mac}"); break;
            case EventField.Reason: line.Append(EventNames.Of(e.Reason)); break;
            case EventField.Count: line.Append(e.Count); break;
            case EventField.Note: line.Append(EventCatalogue.Of(e.Reason).Note); break;
            case EventField.Flag: line.Append(flag?.Next() ?? '*'); break;
            case EventField.Counters when e.Counters is { } counters: AppendCounters(line, counters); break;
            case EventField.Banner: line.Append(EventCatalogue.NameOf(e.Banner)); break;
            case EventField.Lines: line.Append(e.Lines); break;
            case EventField.Bytes: line.Append(e.Bytes); break;
            case EventField.Seconds: line.Append(e.Seconds); break;
            case EventField.Folded: line.Append(EventNames.Of(e.Folded)); break;
            case EventField.Sources: line.Append(e.Sources); break;
            case EventField.Top: line.Append(e.Top); break;
            case EventField.System: line.Append(e.System); break;
        }
    }

    private static void AppendCounters(StringBuilder line, EngineCounters counters)
    {
        Span<char> key = stackalloc char[64];
        bool first = true;
        foreach (var (name, value) in counters.Fields())
        {
            if (!first)
                line.Append(' ');
            first = false;
            line.Append(key[..EventNames.WriteCounterKey(name, key)]).Append('=').Append(value);
        }
    }
}

/// <summary>LaBrea's flag: '*' on the first line that carries one, then ' ', then '*', and so on.</summary>
internal sealed class LabreaFlag
{
    private bool _nextIsStar = true;

    public char Next()
    {
        char flag = _nextIsStar ? '*' : ' ';
        _nextIsStar = !_nextIsStar;
        return flag;
    }
}
