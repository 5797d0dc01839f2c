using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>One JSON object per line, written with <see cref="Utf8JsonWriter"/> into a reused
/// buffer: <c>{"time":"…Z","event":"connect","src":"192.0.2.2","sport":40000,"dst":"192.0.2.100","dport":80}</c>.
/// Fields that do not apply to a kind are left out rather than written as null.</summary>
internal sealed class JsonLineFormatter : EventLineFormatter
{
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText Src = JsonEncodedText.Encode("src");
    private static readonly JsonEncodedText Sport = JsonEncodedText.Encode("sport");
    private static readonly JsonEncodedText Dst = JsonEncodedText.Encode("dst");
    private static readonly JsonEncodedText Dport = JsonEncodedText.Encode("dport");
    private static readonly JsonEncodedText Mac = JsonEncodedText.Encode("mac");
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText Count = JsonEncodedText.Encode("count");
    private static readonly JsonEncodedText Counters = JsonEncodedText.Encode("counters");

    private static readonly JsonEncodedText[] KindNames =
        Enumerable.Range(0, EventNames.KindCount).Select(k => JsonEncodedText.Encode(EventNames.Of((TarpitEventKind)k))).ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

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
        if ((uint)e.Kind < (uint)KindNames.Length)
            _writer.WriteString(Event, KindNames[(int)e.Kind]);
        else
            _writer.WriteString(Event, EventNames.Of(e.Kind));

        switch (e.Kind)
        {
            case TarpitEventKind.Capture:
                // The claimed address is dst (where traffic is going); src is who asked for it.
                WriteAddress(Dst, e.Destination);
                if (e.Source != Ipv4Address.Any)
                    WriteAddress(Src, e.Source);
                break;
            case TarpitEventKind.Release:
                WriteAddress(Dst, e.Destination);
                WriteMac(e.Mac);
                break;
            case TarpitEventKind.Ping:
                WriteAddress(Src, e.Source);
                WriteAddress(Dst, e.Destination);
                break;
            case TarpitEventKind.LimitDrop:
                if (e.Source != Ipv4Address.Any)
                    WriteAddress(Src, e.Source);
                _writer.WriteNumber(Count, e.Count);
                break;
            case TarpitEventKind.Stats:
                if (e.Counters is { } counters)
                    WriteCounters(counters);
                break;
            default:
                WriteAddress(Src, e.Source);
                _writer.WriteNumber(Sport, e.SourcePort);
                WriteAddress(Dst, e.Destination);
                _writer.WriteNumber(Dport, e.DestinationPort);
                break;
        }
        if (e.Reason != TarpitEventReason.None)
            _writer.WriteString(Reason, EventNames.Of(e.Reason));

        _writer.WriteEndObject();
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private void WriteAddress(JsonEncodedText name, Ipv4Address address)
    {
        Span<char> text = stackalloc char[15];
        address.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        _writer.WriteString(name, text[..length]);
    }

    private void WriteMac(MacAddress mac)
    {
        Span<char> text = stackalloc char[17];
        mac.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        _writer.WriteString(Mac, text[..length]);
    }

    private void WriteCounters(EngineCounters counters)
    {
        _writer.WriteStartObject(Counters);
        Span<char> key = stackalloc char[64];
        foreach (var (name, value) in counters.Fields())
            _writer.WriteNumber(key[..EventNames.WriteCounterKey(name, key)], value);
        _writer.WriteEndObject();
    }
}
