using System.Globalization;

namespace LaBreaSharp.Core.Addressing;

/// <summary>A 48-bit Ethernet address in the low bits of a ulong, first octet most significant.</summary>
public readonly record struct MacAddress(ulong Value) : ISpanFormattable
{
    public const int Length = 6;

    public static MacAddress Broadcast => new(0xFFFF_FFFF_FFFF);
    public static MacAddress Zero => new(0);

    public static MacAddress Read(ReadOnlySpan<byte> source) =>
        new(((ulong)source[0] << 40) | ((ulong)source[1] << 32) | ((ulong)source[2] << 24) |
            ((ulong)source[3] << 16) | ((ulong)source[4] << 8) | source[5]);

    public void Write(Span<byte> destination)
    {
        destination[5] = (byte)Value;
        destination[4] = (byte)(Value >> 8);
        destination[3] = (byte)(Value >> 16);
        destination[2] = (byte)(Value >> 24);
        destination[1] = (byte)(Value >> 32);
        destination[0] = (byte)(Value >> 40);
    }

    /// <summary>Bit 0 of the first octet: group (multicast or broadcast) address.</summary>
    public bool IsGroup => ((Value >> 40) & 0x01) != 0;

    /// <summary>Bit 1 of the first octet: locally administered, not from a vendor's OUI.</summary>
    public bool IsLocallyAdministered => ((Value >> 40) & 0x02) != 0;

    public static MacAddress Parse(string text) =>
        TryParse(text, out var mac) ? mac : throw new FormatException($"'{text}' is not a MAC address (expected six hex octets like 02:00:5e:00:53:01)");

    /// <summary>Six two-digit hex octets separated by ':' or '-'.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress mac)
    {
        mac = default;
        if (text.Length != 17)
            return false;
        ulong value = 0;
        for (int i = 0; i < 6; i++)
        {
            if (i > 0 && text[i * 3 - 1] != ':' && text[i * 3 - 1] != '-')
                return false;
            if (!byte.TryParse(text.Slice(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte octet))
                return false;
            value = (value << 8) | octet;
        }
        mac = new MacAddress(value);
        return true;
    }

    public override string ToString() => string.Create(17, Value, static (chars, value) =>
    {
        const string hex = "0123456789abcdef";
        for (int i = 0; i < 6; i++)
        {
            byte octet = (byte)(value >> (40 - 8 * i));
            chars[i * 3] = hex[octet >> 4];
            chars[i * 3 + 1] = hex[octet & 0xF];
            if (i < 5)
                chars[i * 3 + 2] = ':';
        }
    });

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (destination.Length < 17)
            return false;
        ToString().AsSpan().CopyTo(destination);
        charsWritten = 17;
        return true;
    }
}
