using System.Net.NetworkInformation;
using System.Net.Sockets;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Commands;

/// <summary>What the system says about a network interface (or that it does not exist): its MAC, and its
/// first IPv4 address with prefix length.</summary>
public static class InterfaceInfo
{
    public static HostIdentity Read(string name)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name)
            ?? throw new UsageException($"interface '{name}' does not exist ('ip link' lists the interfaces)");
        if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            throw new UsageException($"interface '{name}' is the loopback interface; the tarpit watches an Ethernet interface on the network it guards");
        var bytes = nic.GetPhysicalAddress().GetAddressBytes();
        if (bytes.Length != MacAddress.Length)
            throw new UsageException($"interface '{name}' is not an Ethernet interface (it has no 6-byte MAC address)");
        var mac = MacAddress.Read(bytes);
        if (mac.Value == 0 || mac.IsGroup)
            throw new UsageException($"interface '{name}' has no unicast MAC address ({mac}), so it cannot be an Ethernet interface to answer on");
        var unicast = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        if (unicast is null)
            return new HostIdentity(null, null, mac);
        var ip = Ipv4Address.Read(unicast.Address.GetAddressBytes());
        return new HostIdentity(ip, unicast.PrefixLength, mac);
    }
}
