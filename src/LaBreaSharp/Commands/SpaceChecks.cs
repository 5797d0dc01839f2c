using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Commands;

/// <summary>Address space and ports that cannot be meant, refused in one sentence before anything
/// is opened; and what is legal but surprising, said as a warning.</summary>
public static class SpaceChecks
{
    /// <summary>Space no host may claim: answering ARP or IP for it would speak for this-network,
    /// loopback, multicast, class E or the limited broadcast.</summary>
    private static readonly (AddressRange Range, string What)[] Reserved =
    [
        (AddressRange.From(Cidr.Parse("0.0.0.0/8")), "0.0.0.0/8, this network"),
        (AddressRange.From(Cidr.Parse("127.0.0.0/8")), "127.0.0.0/8, loopback"),
        (AddressRange.From(Cidr.Parse("224.0.0.0/4")), "224.0.0.0/4, multicast"),
        (AddressRange.From(Cidr.Parse("240.0.0.0/4")), "240.0.0.0/4, reserved and the limited broadcast"),
    ];

    public static void CheckSpace(IReadOnlyList<(string Option, Cidr Prefix)> spaces, HostIdentity host, Action<string> warn)
    {
        foreach (var (option, prefix) in spaces)
        {
            var range = AddressRange.From(prefix);
            foreach (var (reserved, what) in Reserved)
            {
                if (range.Overlaps(reserved))
                    throw new UsageException($"{option} {prefix} covers {what}, which no host may answer for; name the unused space itself");
            }
            if (host.Ip is not { } ip || !prefix.Contains(ip))
                continue;
            if (prefix.Size == 1 || (prefix.PrefixLength == 31 && option != "--network"))
                throw new UsageException($"{option} {prefix} is the host's own address {ip}, which the tarpit never answers for");
            if (option == "--hard-capture")
                warn($"--hard-capture {prefix} contains the host's own address {ip}; it is left out");
        }
        if (host.Subnet is { } subnet)
        {
            foreach (var (option, prefix) in spaces.Where(s => s.Option == "--network"))
            {
                if (!AddressRange.From(prefix).Overlaps(AddressRange.From(subnet)))
                    warn($"--network {prefix} is not on this link (the interface's subnet is {subnet}); ARP for it comes only from hosts that think it is, so unused space routed here wants --routed");
            }
        }
    }

    /// <summary>Something must be left to answer for once the exclusions are taken out.</summary>
    public static void CheckSomethingLeft(IReadOnlyList<Cidr> claimable, AddressSet excluded, string excludeText, bool otherSpace)
    {
        if (otherSpace || claimable.Count == 0 || excluded.IsEmpty)
            return;
        if (claimable.All(prefix => Covered(excluded, AddressRange.From(prefix))))
            throw new UsageException($"-x/--exclude {excludeText} excludes all of {string.Join(", ", claimable)}: nothing is left to claim");
    }

    /// <summary>At least one port must trap or talk, or the tarpit only answers closed ports (or nothing).</summary>
    public static void CheckPortsLeft(PortMap ports)
    {
        for (int port = 1; port <= ushort.MaxValue; port++)
        {
            if (ports.BehaviourOf((ushort)port) is TcpBehaviour.Persist or TcpBehaviour.Tarpit or TcpBehaviour.Banner)
                return;
        }
        throw new UsageException("the port options leave no port to tarpit (every port is excluded or ignored)");
    }

    /// <summary>The tarpit host's own address, as --my-ip names it: a unicast host address.</summary>
    public static void CheckHostAddress(Ipv4Address ip, int? prefixLength, string given)
    {
        if (ip.IsThisNetwork || ip.IsLoopback || ip.Value >= 0xE000_0000)
            throw new UsageException($"--my-ip {given} is not a host's address (this-network, loopback, multicast, reserved or broadcast)");
        if (prefixLength is { } length and <= 30)
        {
            var subnet = Cidr.Of(ip, length);
            if (ip == subnet.First || ip == subnet.Broadcast)
                throw new UsageException($"--my-ip {given} is the {(ip == subnet.First ? "network" : "broadcast")} address of {subnet}, not a host's");
        }
    }

    private static bool Covered(AddressSet set, AddressRange range)
    {
        ulong next = range.First.Value;
        foreach (var r in set.Ranges.OrderBy(r => r.First.Value))
        {
            if (r.Last.Value < next)
                continue;
            if (r.First.Value > next)
                return false;
            next = (ulong)r.Last.Value + 1;
            if (next > range.Last.Value)
                return true;
        }
        return next > range.Last.Value;
    }
}
