using System.Globalization;
using LaBreaSharp.Cli;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Commands;

/// <summary>The modifiers' values, checked the same way whether the command line or a --config file
/// gives them. <c>label</c> starts the sentence of a mistake: "--noise" or "tarpit.toml line 4: noise".</summary>
public static class CommandValues
{
    public const double MaxNoise = 0.5;

    public static double BannerDelay(double seconds, string label) =>
        seconds is >= 0.1 and <= 3600 ? seconds : throw new UsageException($"{label} must be from 0.1 to 3600 seconds, not {Text(seconds)}");

    /// <summary>"200" or "50-300", in milliseconds.</summary>
    public static (int Min, int Max) AckDelay(string text, string label)
    {
        int dash = text.IndexOf('-');
        string first = dash < 0 ? text : text[..dash];
        string last = dash < 0 ? text : text[(dash + 1)..];
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            || min > max || max > 60_000)
            throw new UsageException($"{label} must be MS or MS-MS (milliseconds, up to 60000, the first no more than the second), not '{text}'");
        return (min, max);
    }

    public static double Noise(double rate, string label) =>
        rate is >= 0 and <= MaxNoise ? rate : throw new UsageException($"{label} must be from 0 to {Text(MaxNoise)} (a share of segments), not {Text(rate)}");

    public static int Seconds(double seconds, string label) =>
        seconds is >= 0 and <= 30 * 86_400 && seconds == Math.Floor(seconds) ? (int)seconds
            : throw new UsageException($"{label} must be whole seconds from 0 to 2592000, not {Text(seconds)}");

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary><c>--banner PORTS=KIND</c>: ports that drip a greeting of KIND.</summary>
public sealed record BannerSpec(PortSet Ports, string PortsText, BannerKind Kind)
{
    public static BannerKind? ParseKind(string text) => text.ToLowerInvariant() switch
    {
        "ssh" => BannerKind.Ssh,
        "http" => BannerKind.Http,
        "smtp" => BannerKind.Smtp,
        "telnet" => BannerKind.Telnet,
        _ => null,
    };

    public static BannerSpec Parse(string text)
    {
        int equals = text.LastIndexOf('=');
        if (equals <= 0)
            throw new UsageException($"--banner '{text}' must be PORTS=KIND, e.g. 22,2222=ssh (KIND: ssh, http, smtp or telnet)");
        string ports = text[..equals];
        var kind = ParseKind(text[(equals + 1)..])
            ?? throw new UsageException($"--banner '{text}': the kind must be ssh, http, smtp or telnet, not '{text[(equals + 1)..]}'");
        if (!PortSet.TryParse([ports], out var set, out var error))
            throw new UsageException($"--banner: {error}");
        return new BannerSpec(set, ports, kind);
    }
}
