using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Commands;

/// <summary>Who the tarpit host is on its link: the interface's IPv4 address and prefix (if it
/// has one) and its MAC, and the interface's index (-1 in a replay). Live runs read it from the
/// interface; replays take it from options.</summary>
public sealed record HostIdentity(Ipv4Address? Ip, int? PrefixLength, MacAddress Mac, int InterfaceIndex = -1)
{
    public Cidr? Subnet => Ip is { } ip && PrefixLength is { } length ? Cidr.Of(ip, length) : null;

    /// <summary>The default tarpit MAC: the interface's MAC made locally administered and unicast,
    /// and different from it; the same every time for the same interface.</summary>
    public MacAddress DerivedTarpitMac()
    {
        ulong value = Mac.Value;
        ulong firstOctet = (value >> 40) & 0xFF;
        ulong adjusted = (firstOctet | 0x02) & 0xFE;
        var candidate = new MacAddress((value & 0x00FF_FFFF_FFFF) | (adjusted << 40));
        if (candidate == Mac)
            candidate = new MacAddress(candidate.Value ^ (0x04UL << 40)); // already local: flip another bit of the first octet
        return candidate;
    }
}
