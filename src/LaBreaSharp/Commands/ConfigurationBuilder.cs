using LaBreaSharp.Cli;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Commands;

/// <summary>Turns command-line options into a checked <see cref="TarpitConfiguration"/>. Every
/// mistake becomes a <see cref="UsageException"/> with one sentence naming it, before anything
/// is opened or sent.</summary>
public static class ConfigurationBuilder
{
    public const int MaxTableSize = 1 << 26;

    /// <param name="warn">Told, in one sentence each, what is legal but probably not what was meant.</param>
    public static TarpitConfiguration Build(EngineOptions options, HostIdentity host, string hostDescription, Action<string>? warn = null)
    {
        warn ??= _ => { };
        var networks = ParsePrefixes(options.Networks, "--network");
        var hard = ParsePrefixes(options.HardCapture, "--hard-capture");
        var labrea = LabreaConfFile.Read(options.LabreaConf);
        labrea.CheckNotHardCaptured(hard);
        var routed = ParsePrefixes(options.Routed, "--routed");
        var hostPorts = options.HostPorts is null ? PortSet.None : ParsePorts(options.HostPorts);

        if (networks.Count == 0 && hard.Count == 0 && routed.Count == 0 && hostPorts.IsEmpty)
        {
            if (host.Subnet is not { } subnet)
                throw new UsageException($"nothing to tarpit: {hostDescription} has no IPv4 subnet to default to; give -n, --hard-capture, --routed or --host-ports");
            networks.Add(subnet);
        }
        var spaces = networks.Select(n => ("--network", n)).Concat(hard.Select(n => ("--hard-capture", n))).Concat(routed.Select(n => ("--routed", n))).ToList();
        CheckNoOverlap(spaces);
        SpaceChecks.CheckSpace(spaces, host, warn);
        if (!hostPorts.IsEmpty && host.Ip is null)
            throw new UsageException($"--host-ports needs the host's own address, and {hostDescription} has none");
        if (host.Ip is { } ip && routed.Any(r => r.Contains(ip)))
            throw new UsageException($"--routed {routed.First(r => r.Contains(ip))} contains the host's own address {ip}");

        var exclude = labrea.ExcludedItems(options.Exclude).ToList();
        if (!AddressSet.TryParse(exclude, out var excluded, out var error))
            throw new UsageException($"--exclude: {error}");
        if (!AddressSet.TryParse(labrea.IgnoredSourceItems(options.IgnoreSource), out var ignored, out error))
            throw new UsageException($"--ignore-source: {error}");
        SpaceChecks.CheckSomethingLeft(networks.Concat(hard).ToList(), excluded, string.Join(",", exclude), routed.Count > 0 || !hostPorts.IsEmpty);

        var file = labrea.Under(options.Config is null ? null : ConfigFile.Read(options.Config), options);
        var (portMap, hostPortMap) = PortRules.Build(options, hostPorts, file);
        SpaceChecks.CheckPortsLeft(networks.Count + hard.Count + routed.Count > 0 ? portMap : hostPortMap);
        MacAddress tarpitMac = host.DerivedTarpitMac();
        if (options.Mac is not null)
        {
            if (!MacAddress.TryParse(options.Mac, out tarpitMac))
                throw new UsageException($"--mac '{options.Mac}' is not a MAC address (expected six hex octets like 02:00:5e:00:53:01)");
            if (tarpitMac.Value == 0)
                throw new UsageException($"--mac {tarpitMac} is the all-zero MAC, which no interface may send from");
            if (tarpitMac.IsGroup)
                throw new UsageException($"--mac {tarpitMac} is a group (multicast) address; the tarpit needs a unicast MAC");
            if (tarpitMac == host.Mac)
                throw new UsageException($"--mac {tarpitMac} is the interface's own MAC; claimed addresses need a MAC of their own");
        }

        return new TarpitConfiguration
        {
            HostIp = host.Ip,
            HostMac = host.Mac,
            HostSubnet = host.Subnet,
            TarpitMac = tarpitMac,
            Networks = networks,
            HardCapture = hard,
            Routed = routed,
            Ports = portMap,
            HostPorts = hostPortMap,
            Excluded = excluded,
            IgnoredSources = ignored,
            ArpTimeout = Range(options.ArpTimeout, "--arp-timeout", 0, 3600) * TarpitConfiguration.Second,
            AliveHold = Range(options.AliveHold, "--alive-hold", 0, 7 * 86400) * TarpitConfiguration.Second,
            ProbeWait = Range(options.ArpProbeWait, "--arp-probe-wait", 0, 60_000) * Core.Time.Millisecond,
            Window = (ushort)Range(options.Window, "--window", 0, 65535),
            Profile = options.Profile,
            AnswerSynAckWithRst = !options.NoSynAckRst,
            AnswerPing = !options.NoPing,
            MaxRateKbits = Range(options.MaxRate, "--max-rate", 0, 100_000_000),
            MaxPacketsPerSecond = Range(options.MaxPps, "--max-pps", 0, 100_000_000),
            MaxPacketsPerSecondPerSource = Range(options.MaxPpsPerSource, "--max-pps-per-source", 0, 100_000_000),
            TableSize = (int)Range(options.TableSize, "--table-size", 1, MaxTableSize),
            ClaimTableSize = (int)Range(options.ClaimTableSize, "--claim-table-size", ClaimTable.Ways, MaxTableSize),
            ConversationTableSize = (int)Range(options.ConversationTableSize, "--conversation-table-size", ConversationTable.Ways, MaxTableSize),
            BanListSize = (int)Range(options.BanTableSize, "--ban-table-size", BanList.Ways, MaxTableSize),
            FlowIdle = Range(options.FlowIdle, "--flow-idle", 1, 30 * 86400) * TarpitConfiguration.Second,
            StatsInterval = Range(options.StatsInterval, "--stats-interval", 0, 86400) * TarpitConfiguration.Second,
        };
    }

    private static List<Cidr> ParsePrefixes(IEnumerable<string> values, string option)
    {
        var prefixes = new List<Cidr>();
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Cidr.TryParse(value, out var cidr, out var error))
                throw new UsageException($"{option}: {error}");
            prefixes.Add(cidr);
        }
        return prefixes;
    }

    private static PortSet ParsePorts(string value) =>
        PortSet.TryParse([value], out var ports, out var error) ? ports : throw new UsageException(error);

    private static void CheckNoOverlap(List<(string Option, Cidr Prefix)> prefixes)
    {
        for (int i = 0; i < prefixes.Count; i++)
        {
            for (int j = i + 1; j < prefixes.Count; j++)
            {
                var (a, b) = (prefixes[i], prefixes[j]);
                if (AddressRange.From(a.Prefix).Overlaps(AddressRange.From(b.Prefix)))
                    throw new UsageException($"{a.Option} {a.Prefix} overlaps {b.Option} {b.Prefix}; each address may be claimed one way only");
            }
        }
    }

    private static long Range(long value, string option, long min, long max) =>
        value >= min && value <= max ? value : throw new UsageException($"{option} must be from {min} to {max}, not {value}");
}
