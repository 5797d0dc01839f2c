using LaBreaSharp.Cli;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Commands;

/// <summary>The command line's and the --config file's port options as the engine's two port maps.
/// In order, later winning: every port in --ports (all of them by default) with --mode; the
/// file's [[ports]] ranges; each --banner; --exclude-ports, which answer as closed ports (or not
/// at all with -f). Modifiers come from the file's [defaults] under a range's own, and the
/// command line's options over both. The host's own address answers only on --host-ports: with
/// --mode, or the banner a --banner or file range gives the port.</summary>
public static class PortRules
{
    public static (PortMap Ports, PortMap HostPorts) Build(EngineOptions options, PortSet hostPorts, ConfigFile? file)
    {
        var command = new ModifierValues
        {
            BannerDelaySeconds = options.BannerDelay is { } delay ? CommandValues.BannerDelay(delay, "--banner-delay") : null,
            AckDelayMilliseconds = options.AckDelay is { } ackDelay ? CommandValues.AckDelay(ackDelay, "--ack-delay") : null,
            Noise = options.Noise is { } noise ? CommandValues.Noise(noise, "--noise") : null,
            DropAfterSeconds = options.DropAfter is { } dropAfter ? CommandValues.Seconds(dropAfter, "--drop-after") : null,
            BanSeconds = options.Ban is { } ban ? CommandValues.Seconds(ban, "--ban") : null,
        };
        var defaults = command.Over(file?.Defaults ?? new ModifierValues());
        Modifiers Of(ModifierValues range) => command.Over(range.Over(defaults)).ToModifiers();

        var mode = new PortPolicy(options.Mode == ModeOption.Tarpit ? TcpBehaviour.Tarpit : TcpBehaviour.Persist) { Modifiers = Of(new()) };
        var ports = options.Ports is null ? PortSet.All : Parse(options.Ports);
        // Stealth narrows the default every-port trap to each address's own ports; named ones stay open everywhere.
        var defaultMode = options.Ports is null ? mode with { PersonalityPorts = true } : mode;
        var excluded = options.ExcludePorts is null ? PortSet.None : Parse(options.ExcludePorts);
        var other = new PortPolicy(options.Firewall ? TcpBehaviour.Ignore : TcpBehaviour.ClosedPort);

        var rules = new List<(PortSet, PortPolicy)> { (ports, defaultMode) };
        var banners = new List<(PortSet, PortPolicy)>();
        foreach (var rule in file?.Rules ?? [])
        {
            var policy = new PortPolicy(rule.Behaviour, rule.Banner) { Modifiers = Of(rule.Modifiers) };
            rules.Add((rule.Ports, policy));
            if (rule.Behaviour == TcpBehaviour.Banner)
                banners.Add((rule.Ports, policy));
        }
        foreach (var spec in options.Banners.Select(BannerSpec.Parse))
        {
            if (Overlap(spec.Ports, excluded) is { } port)
                throw new UsageException($"--banner {spec.PortsText}={EventName(spec.Kind)}: port {port} is also in --exclude-ports");
            var policy = new PortPolicy(TcpBehaviour.Banner, spec.Kind) { Modifiers = Of(new()) };
            rules.Add((spec.Ports, policy));
            banners.Add((spec.Ports, policy));
        }
        rules.Add((excluded, other));

        var hostRules = new List<(PortSet, PortPolicy)> { (hostPorts, mode) };
        hostRules.AddRange(banners.Select(b => (Intersect(b.Item1, hostPorts), b.Item2)));
        var map = PortMap.Build(other, rules);
        var hostMap = PortMap.Build(new PortPolicy(TcpBehaviour.Ignore), hostRules);
        CheckBansCanHappen(map, hostMap);
        return (map, hostMap);
    }

    /// <summary>A ban follows a drop: --ban with no --drop-after anywhere would never ban anyone.</summary>
    private static void CheckBansCanHappen(PortMap map, PortMap hostMap)
    {
        var policies = map.Policies.Concat(hostMap.Policies).ToList();
        if (policies.Any(p => p.Modifiers.BanSeconds > 0) && !policies.Any(p => p.Modifiers.DropAfterSeconds > 0))
            throw new UsageException("--ban bans the source of a dropped flow, and nothing drops flows: give --drop-after too");
    }

    private static PortSet Parse(string text) =>
        PortSet.TryParse([text], out var set, out var error) ? set : throw new UsageException(error);

    private static int? Overlap(PortSet a, PortSet b)
    {
        for (int port = 1; port <= 65_535; port++)
        {
            if (a.Contains((ushort)port) && b.Contains((ushort)port))
                return port;
        }
        return null;
    }

    private static PortSet Intersect(PortSet a, PortSet b)
    {
        var both = new List<ushort>();
        for (int port = 1; port <= 65_535; port++)
        {
            if (a.Contains((ushort)port) && b.Contains((ushort)port))
                both.Add((ushort)port);
        }
        return PortSet.Of([.. both]);
    }

    private static string EventName(BannerKind kind) => Core.Tarpit.EventCatalogue.NameOf(kind);
}
