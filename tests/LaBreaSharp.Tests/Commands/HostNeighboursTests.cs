using LaBreaSharp.Commands;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Tests.Commands;

/// <summary>What the live claim check reads from a real kernel: the routing table's gateways and the
/// neighbour table over netlink, in a namespace of the test's own.</summary>
public sealed class HostNeighboursTests
{
    private static readonly MacAddress TarpitMac = MacAddress.Parse("06:00:00:00:02:01");

    [RootFact]
    public void Gateways_and_neighbours_in_use_are_refused_and_stale_or_our_own_entries_are_not()
    {
        using var ns = new NetworkNamespace("nb");
        ns.Exec("ip", "link add a0 type veth peer name b0");
        ns.Exec("ip", "link set a0 up");
        ns.Exec("ip", "link set b0 up");
        ns.Exec("ip", "addr add 192.0.2.1/24 dev a0");
        ns.Exec("ip", "route add default via 192.0.2.254 dev a0");
        ns.Exec("ip", "neigh replace 192.0.2.60 lladdr 02:00:00:00:02:3c dev a0 nud permanent");
        ns.Exec("ip", "neigh replace 192.0.2.61 lladdr 02:00:00:00:02:3d dev a0 nud reachable");
        ns.Exec("ip", "neigh replace 192.0.2.62 lladdr 02:00:00:00:02:3e dev a0 nud stale");
        ns.Exec("ip", $"neigh replace 192.0.2.63 lladdr {TarpitMac} dev a0 nud permanent"); // a claim of ours the host learnt
        ns.Exec("ip", "neigh replace 192.0.2.64 lladdr 02:00:00:00:02:40 dev b0 nud permanent"); // another interface
        int index = int.Parse(ns.Exec("ip", "-o link show a0").Split(':')[0]);

        var answers = ns.Inside(() =>
        {
            var host = new HostNeighbours("a0", index, TarpitMac);
            return new[] { "192.0.2.254", "192.0.2.60", "192.0.2.61", "192.0.2.62", "192.0.2.63", "192.0.2.64", "192.0.2.77" }
                .Select(a => host.Check(Ipv4Address.Parse(a))).ToArray();
        });
        Assert.Equal([ClaimRefusal.Gateway, ClaimRefusal.Neighbour, ClaimRefusal.Neighbour, ClaimRefusal.None,
            ClaimRefusal.None, ClaimRefusal.None, ClaimRefusal.None], answers);
    }
}
