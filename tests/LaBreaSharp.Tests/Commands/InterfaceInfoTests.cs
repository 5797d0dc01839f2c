using LaBreaSharp.Commands;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Tests.Commands;

/// <summary>The interface as the kernel describes it over netlink, in a namespace of the test's own,
/// entered with setns only (no sysfs of its own is mounted, so /sys/class/net would show the
/// machine's interfaces, not these).</summary>
public sealed class InterfaceInfoTests
{
    [RootFact]
    public void An_interface_reads_as_its_index_mac_and_first_ipv4_address_and_the_wrong_kinds_are_refused()
    {
        using var ns = new NetworkNamespace("ifi");
        ns.Exec("ip", "link add a0 address 02:00:00:00:02:07 type veth peer name b0");
        ns.Exec("ip", "link set a0 up");
        ns.Exec("ip", "addr add 192.0.2.7/24 dev a0");
        ns.Exec("ip", "addr add 198.51.100.7/28 dev a0");
        ns.Exec("ip", "link set lo up");
        ns.Exec("ip", "tuntap add t0 mode tun");
        int index = int.Parse(ns.Exec("ip", "-o link show a0").Split(':')[0]);

        var (a0, b0) = ns.Inside(() => (InterfaceInfo.Read("a0"), InterfaceInfo.Read("b0")));
        Assert.Equal(new HostIdentity(Ipv4Address.Parse("192.0.2.7"), 24, MacAddress.Parse("02:00:00:00:02:07"), index), a0);
        Assert.Null(b0.Ip);
        Assert.Null(b0.PrefixLength);
        Assert.NotEqual(index, b0.InterfaceIndex);

        string Refusal(string name) => ns.Inside(() => Assert.Throws<UsageException>(() => InterfaceInfo.Read(name)).Message);
        Assert.Equal("interface 'eth9' does not exist ('ip link' lists the interfaces)", Refusal("eth9"));
        Assert.StartsWith("interface 'lo' is the loopback interface", Refusal("lo"));
        Assert.Equal("interface 't0' is not an Ethernet interface (it has no 6-byte MAC address)", Refusal("t0"));
    }
}
