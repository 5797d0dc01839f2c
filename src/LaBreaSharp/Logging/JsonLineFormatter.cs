using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>One JSON object per line, written with <see cref="Utf8JsonWriter"/> into a reused
/// buffer: <c>{"time":"…Z","event":"connect","src":"192.0.2.2","sport":40000,"dst":"192.0.2.100","dport":80}</c>.
/// The fields are those the event's text template in <see cref="EventCatalogue"/> names, in its
/// order, under the template's names, and then the reason; a field in an optional group that is not
/// present is left out rather than written as null.</summary>
internal sealed class JsonLineFormatter : EventLineFormatter
{
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText[] FieldNames =
        Enum.GetValues<EventField>().Select(f => JsonEncodedText.Encode(EventTemplate.NameOf(f))).ToArray();
    private static readonly JsonEncodedText[] KindNames =
        EventCatalogue.All.Select(d => JsonEncodedText.Encode(d.Name)).ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private bool _reasonWritten;

    public JsonLineFormatter() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false });

    public override bool LeadsWithTimestamp => false;

    public override string Format(in TarpitEvent e)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();

        Span<char> text = stackalloc char[32];
        EventTime.ToUtc(e.TimeNanoseconds).TryFormat(text, out int length, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);
        _writer.WriteString(Time, text[..length]);
        _writer.WriteString(Event, KindNames[(int)e.Kind]);
        _reasonWritten = false;
        WriteFields(EventCatalogue.Of(e.Kind).Text.Parts, e);
        if (!_reasonWritten && e.Reason != TarpitEventReason.None)
            WriteField(EventField.Reason, e);

        _writer.WriteEndObject();
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private void WriteFields(IReadOnlyList<TemplatePart> parts, in TarpitEvent e)
    {
        foreach (var part in parts)
        {
            if (part is FieldPart field)
                WriteField(field.Field, e);
            else if (part is OptionalPart group && EventTemplate.IsPresent(group, e))
                WriteFields(group.Parts, e);
        }
    }

    private void WriteField(EventField field, in TarpitEvent e)
    {
        var name = FieldNames[(int)field];
        switch (field)
        {
            case EventField.Source: WriteAddress(name, e.Source); break;
            case EventField.SourcePort: _writer.WriteNumber(name, e.SourcePort); break;
            case EventField.Destination: WriteAddress(name, e.Destination); break;
            case EventField.DestinationPort: _writer.WriteNumber(name, e.DestinationPort); break;
            case EventField.Mac: WriteMac(name, e.Mac); break;
            case EventField.Reason:
                _writer.WriteString(name, EventNames.Of(e.Reason));
                _reasonWritten = true;
                break;
            case EventField.Count: _writer.WriteNumber(name, e.Count); break;
            case EventField.Counters when e.Counters is { } counters: WriteCounters(name, counters); break;
            case EventField.Banner: _writer.WriteString(name, EventCatalogue.NameOf(e.Banner)); break;
            case EventField.Lines: _writer.WriteNumber(name, e.Lines); break;
            case EventField.Bytes: _writer.WriteNumber(name, e.Bytes); break;
            case EventField.Seconds: _writer.WriteNumber(name, e.Seconds); break;
            case EventField.Folded: _writer.WriteString(name, KindNames[(int)e.Folded]); break;
            case EventField.Sources: _writer.WriteNumber(name, e.Sources); break;
            case EventField.Top: _writer.WriteString(name, e.Top); break;
            case EventField.System: _writer.WriteString(name, e.System); break;
            // The note and LaBrea's flag are for people and LaBrea parsers; JSON has the reason.
        }
    }

    private void WriteAddress(JsonEncodedText name, Ipv4Address address)
    {
        Span<char> text = stackalloc char[15];
        address.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        _writer.WriteString(name, text[..length]);
    }

    private void WriteMac(JsonEncodedText name, MacAddress mac)
    {
        Span<char> text = stackalloc char[17];
        mac.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        _writer.WriteString(name, text[..length]);
    }

    private void WriteCounters(JsonEncodedText name, EngineCounters counters)
    {
        _writer.WriteStartObject(name);
        Span<char> key = stackalloc char[64];
        foreach (var (counter, value) in counters.Fields())
            _writer.WriteNumber(key[..EventNames.WriteCounterKey(counter, key)], value);
        _writer.WriteEndObject();
    }
}
