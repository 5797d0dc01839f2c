using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>The distinct link addressings (the peer's MAC, ours, the VLAN tags) of the flows that
/// talk, each stored once and named by a 16-bit number. A segment that a timer sends answers no
/// frame, so it needs the addressing the flow's frames came with; the attackers behind a router
/// share one, so a conversation keeps two bytes instead of twenty. Only flows that completed a
/// handshake (the SYN cookie proves it) come here, so spoofed floods cannot fill it; when it is
/// full, new addressings are refused and their flows are held the plain way.</summary>
internal sealed class LinkBook(int capacity = LinkBook.MaxEntries)
{
    public const int MaxEntries = 65_536;

    private readonly Dictionary<LinkAddressing, ushort> _numbers = new();
    private readonly LinkAddressing[] _links = new LinkAddressing[Math.Min(capacity, MaxEntries)];

    public int Count => _numbers.Count;

    public LinkAddressing this[ushort number] => _links[number];

    /// <summary>The number of <paramref name="link"/>, entered if new; -1 when the book is full.</summary>
    public int Intern(in LinkAddressing link)
    {
        if (_numbers.TryGetValue(link, out ushort number))
            return number;
        if (_numbers.Count == _links.Length)
            return -1;
        number = (ushort)_numbers.Count;
        _links[number] = link;
        _numbers.Add(link, number);
        return number;
    }
}
