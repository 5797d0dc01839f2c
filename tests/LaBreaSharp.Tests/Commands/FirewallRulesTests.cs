using LaBreaSharp.Commands;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Tests.Commands;

public sealed class FirewallRulesTests
{
    private static readonly TarpitConfiguration Host = new() { HostIp = Ipv4Address.Parse("192.0.2.1") };

    [Fact]
    public void Routed_space_alone_gets_no_host_port_chain()
    {
        var rules = FirewallRules.For(Host with { Routed = [Cidr.Parse("198.51.100.0/24")] }, "eth0");
        Assert.Contains("ip daddr { 198.51.100.0/24 } counter drop", rules);
        Assert.DoesNotContain("host_ports", rules);
        Assert.DoesNotContain("dport", rules);
    }

    [Fact]
    public void Host_ports_are_listed_as_ranges()
    {
        var rules = FirewallRules.For(Host with { HostPorts = PortMap.ForHost(TcpBehaviour.Persist, PortSet.Parse("23,2222,2323-2325")) }, "eth1");
        Assert.Contains("iifname \"eth1\" ip daddr 192.0.2.1 tcp dport { 23, 2222, 2323-2325 } counter drop", rules);
        Assert.DoesNotContain("routed_space", rules);
    }
}
