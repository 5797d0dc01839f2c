using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Commands;

/// <summary>The nftables rules a live tarpit needs beside it. libpcap sees frames before netfilter
/// does, so dropping them in netfilter silences the kernel without blinding the tarpit: without
/// these rules the kernel answers SYNs to host ports with RSTs, and routes (or refuses with ICMP)
/// traffic for routed unused space.</summary>
public static class FirewallRules
{
    public static string For(TarpitConfiguration configuration, string interfaceName)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("# labreasharp: load with  labreasharp run ... --print-firewall | nft -f -");
        text.AppendLine("table inet labreasharp");
        text.AppendLine("delete table inet labreasharp");
        text.AppendLine("table inet labreasharp {");
        if (configuration.HostPorts.Answers && configuration.HostIp is { } hostIp)
        {
            text.AppendLine("  chain host_ports {");
            text.AppendLine("    type filter hook input priority -150; policy accept;");
            text.AppendLine($"    iifname \"{interfaceName}\" ip daddr {hostIp} tcp dport {{ {PortList(configuration)} }} counter drop comment \"tarpitted by labreasharp\"");
            text.AppendLine("  }");
        }
        if (configuration.Routed.Count > 0)
        {
            text.AppendLine("  chain routed_space {");
            text.AppendLine("    type filter hook prerouting priority -150; policy accept;");
            text.AppendLine($"    iifname \"{interfaceName}\" ip daddr {{ {string.Join(", ", configuration.Routed)} }} counter drop comment \"tarpitted by labreasharp\"");
            text.AppendLine("  }");
        }
        text.AppendLine("}");
        return text.ToString();
    }

    private static string PortList(TarpitConfiguration configuration) =>
        string.Join(", ", configuration.HostPorts.AnsweredRanges().Select(r => r.First == r.Last ? $"{r.First}" : $"{r.First}-{r.Last}"));
}
