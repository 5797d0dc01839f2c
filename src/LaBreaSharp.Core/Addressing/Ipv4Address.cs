using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace LaBreaSharp.Core.Addressing;

/// <summary>An IPv4 address held as a 32-bit number in host order (192.0.2.1 is 0xC0000201),
/// so that ranges, masks and comparisons are plain integer arithmetic.</summary>
public readonly record struct Ipv4Address(uint Value) : IComparable<Ipv4Address>, ISpanFormattable
{
    public const int Length = 4;

    public static Ipv4Address Any => new(0);
    public static Ipv4Address Broadcast => new(0xFFFF_FFFF);

    public static Ipv4Address Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    public static Ipv4Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address (expected a.b.c.d)");

    /// <summary>Strict dotted-quad parsing: four decimal parts 0..255, nothing else (no "10.1", no hex, no spaces).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Address address)
    {
        address = default;
        uint value = 0;
        int parts = 0;
        int i = 0;
        while (parts < 4)
        {
            int start = i;
            uint part = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                part = part * 10 + (uint)(text[i] - '0');
                i++;
            }
            if (i == start || part > 255 || (i - start > 1 && text[start] == '0'))
                return false;
            value = (value << 8) | part;
            parts++;
            if (parts < 4)
            {
                if (i >= text.Length || text[i] != '.')
                    return false;
                i++;
            }
        }
        if (i != text.Length)
            return false;
        address = new Ipv4Address(value);
        return true;
    }

    public bool IsMulticast => (Value >> 28) == 0xE;                  // 224.0.0.0/4
    public bool IsLoopback => (Value >> 24) == 127;                    // 127.0.0.0/8
    public bool IsThisNetwork => (Value >> 24) == 0;                   // 0.0.0.0/8
    public bool IsLimitedBroadcast => Value == 0xFFFF_FFFF;

    public int CompareTo(Ipv4Address other) => Value.CompareTo(other.Value);

    public static bool operator <(Ipv4Address a, Ipv4Address b) => a.Value < b.Value;
    public static bool operator >(Ipv4Address a, Ipv4Address b) => a.Value > b.Value;
    public static bool operator <=(Ipv4Address a, Ipv4Address b) => a.Value <= b.Value;
    public static bool operator >=(Ipv4Address a, Ipv4Address b) => a.Value >= b.Value;

    public override string ToString() => $"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}";

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite($"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}", out charsWritten);
}
