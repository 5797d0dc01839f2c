namespace LaBreaSharp.Core.Addressing;

/// <summary>An IPv4 prefix such as 192.0.2.0/24. The network address must have no host bits set
/// (192.0.2.1/24 is refused: it usually means a typo, and silently widening it would claim space
/// the user did not name).</summary>
public readonly record struct Cidr(Ipv4Address Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);
    public Ipv4Address First => Network;
    public Ipv4Address Last => new(Network.Value | ~Mask);
    /// <summary>The directed broadcast address (the last one) of the prefix.</summary>
    public Ipv4Address Broadcast => Last;
    public ulong Size => 1UL << (32 - PrefixLength);

    public bool Contains(Ipv4Address address) => (address.Value & Mask) == Network.Value;

    /// <summary>The prefix an interface address belongs to: 192.0.2.5 with 24 gives 192.0.2.0/24.</summary>
    public static Cidr Of(Ipv4Address address, int prefixLength)
    {
        uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        return new Cidr(new Ipv4Address(address.Value & mask), prefixLength);
    }

    public static bool TryParse(string text, out Cidr cidr, out string error)
    {
        cidr = default;
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = $"'{text}' is not a CIDR prefix (expected a.b.c.d/len)";
            return false;
        }
        if (!Ipv4Address.TryParse(text.AsSpan(0, slash), out var network))
        {
            error = $"'{text}' is not a CIDR prefix: '{text[..slash]}' is not an IPv4 address";
            return false;
        }
        var lengthText = text.AsSpan(slash + 1);
        if (lengthText.Length is 0 or > 2 || !int.TryParse(lengthText, out int length) || length is < 0 or > 32 || !char.IsAsciiDigit(lengthText[0]))
        {
            error = $"'{text}' is not a CIDR prefix: the length must be 0 to 32";
            return false;
        }
        var normal = Of(network, length);
        if (normal.Network != network)
        {
            error = $"'{text}' has host bits set; did you mean {normal}?";
            return false;
        }
        cidr = normal;
        error = "";
        return true;
    }

    public static Cidr Parse(string text) => TryParse(text, out var cidr, out var error) ? cidr : throw new FormatException(error);

    public override string ToString() => $"{Network}/{PrefixLength}";
}
