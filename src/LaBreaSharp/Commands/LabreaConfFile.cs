using System.Globalization;
using LaBreaSharp.Cli;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Commands;

/// <summary>One address line of a labrea.conf, kept with its line for the sentence that refuses it.</summary>
public sealed record LabreaAddressLine(AddressRange Range, string Text, int Line);

/// <summary>One port line: POR (LaBrea ignored the ports: RST, or nothing with -f) or PMN (LaBrea
/// always monitored them: tarpitted).</summary>
public sealed record LabreaPortLine(PortSet Ports, string Text, bool Monitored, int Line);

/// <summary><c>--labrea-conf FILE</c>: LaBrea 2.5's labrea.conf, read as LaBrea's own reader
/// (ctl_init_arrays in its src/ctl.c) read it, so that a LaBrea user's file works unchanged. Each
/// line is a selector and a keyword; LaBrea removed every space, tab and carriage return and
/// upper-cased the line before it looked, so <c>192.0.2.5 - 192.0.2.7 exc</c> is
/// <c>192.0.2.5-192.0.2.7EXC</c>. What each keyword becomes here:
/// <list type="bullet">
/// <item>EXC: never capture these addresses: <c>-x</c>.</item>
/// <item>HAR: under LaBrea's -h, never remember a capture of these addresses (each requester waits
/// the ARP timeout again). LaBreaSharp has no -h; its nearest behaviour is space that is only ever
/// claimed by the ARP rule, so a HAR address inside <c>--hard-capture</c> is refused.</item>
/// <item>IPI: never answer these sources: <c>--ignore-source</c>.</item>
/// <item>POR: these ports are not tarpitted (RST, or nothing with -f): <c>--exclude-ports</c>, as a
/// range of the file, so a later PMN line can give a port back as LaBrea's did.</item>
/// <item>PMN: these ports are always tarpitted with <c>--mode</c> (LaBrea's "active" ports, which
/// mattered under its -f): added to <c>--ports</c>.</item>
/// </list>
/// Port lines apply in the file's order, the later winning, as LaBrea's port array did; the
/// --config file's ranges and the command line come after them. A mistake is one sentence with
/// the file and the line, where LaBrea warned and refused to start.</summary>
public sealed record LabreaConfFile(
    string Name,
    IReadOnlyList<LabreaAddressLine> Excluded,
    IReadOnlyList<LabreaAddressLine> HardExcluded,
    IReadOnlyList<LabreaAddressLine> IgnoredSources,
    IReadOnlyList<LabreaPortLine> PortLines)
{
    public static LabreaConfFile Empty { get; } = new("", [], [], [], []);

    /// <summary>The file at <paramref name="path"/>, or nothing when the option was not given.</summary>
    public static LabreaConfFile Read(string? path)
    {
        if (path is null)
            return Empty;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--labrea-conf '{path}': {e.Message}");
        }
        return Parse(Path.GetFileName(path), text);
    }

    public static LabreaConfFile Parse(string name, string text)
    {
        var excluded = new List<LabreaAddressLine>();
        var hard = new List<LabreaAddressLine>();
        var ignored = new List<LabreaAddressLine>();
        var ports = new List<LabreaPortLine>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int number = i + 1;
            string line = string.Concat(lines[i].Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
            // LaBrea skipped a '#' only in the first column and choked on one after a space;
            // both are comments here, and so is a '#' after the keyword (LaBrea ignored all of that).
            if (line.Length == 0 || line[0] == '#')
                continue;
            int selectorEnd = 0;
            while (selectorEnd < line.Length && (char.IsAsciiDigit(line[selectorEnd]) || line[selectorEnd] is '.' or '-' or '/'))
                selectorEnd++;
            int keywordEnd = selectorEnd; // the end of the letters after the selector
            while (keywordEnd < line.Length && char.IsAsciiLetter(line[keywordEnd]))
                keywordEnd++;
            if (keywordEnd == selectorEnd)
                throw Error(name, number, $"'{Shown(lines[i])}' is not a labrea.conf line (an address or port, then EXC, HAR, IPI, POR or PMN)");
            // Every keyword is three letters, and with the spaces gone "22 POR ftp" reads "22PORFTP".
            string selector = line[..selectorEnd];
            string keyword = line.Substring(selectorEnd, Math.Min(3, keywordEnd - selectorEnd));
            if (keyword is not ("EXC" or "HAR" or "IPI" or "POR" or "PMN"))
                throw Error(name, number, $"unknown keyword '{ErrorText.Cut(line[selectorEnd..keywordEnd])}' (LaBrea's are EXC, HAR, IPI, POR and PMN)");
            string rest = line[(selectorEnd + 3)..];
            if (rest.Length > 0 && rest[0] != '#')
                throw Error(name, number, $"unexpected '{ErrorText.Cut(rest)}' after {keyword} (a comment starts with #)");
            if (selector.Length == 0)
                throw Error(name, number, $"{keyword} needs {(keyword is "POR" or "PMN" ? "a port or port range" : "an address, range or prefix")} before it");
            switch (keyword)
            {
                case "EXC":
                    excluded.Add(Address(name, number, selector, keyword));
                    break;
                case "HAR":
                    hard.Add(Address(name, number, selector, keyword));
                    break;
                case "IPI":
                    ignored.Add(Address(name, number, selector, keyword));
                    break;
                default:
                    ports.Add(new LabreaPortLine(Ports(name, number, selector, keyword), selector, keyword == "PMN", number));
                    break;
            }
        }
        return new LabreaConfFile(name, excluded, hard, ignored, ports);
    }

    /// <summary>-x's items, this file's EXC lines after the command line's.</summary>
    public IEnumerable<string> ExcludedItems(IEnumerable<string> command) => command.Concat(Excluded.Select(e => e.Range.ToString()));

    /// <summary>--ignore-source's items, this file's IPI lines after the command line's.</summary>
    public IEnumerable<string> IgnoredSourceItems(IEnumerable<string> command) => command.Concat(IgnoredSources.Select(e => e.Range.ToString()));

    /// <summary>A HAR address must never be hard-captured: refused when --hard-capture claims it.</summary>
    public void CheckNotHardCaptured(IReadOnlyList<Cidr> hardCapture)
    {
        foreach (var line in HardExcluded)
        {
            foreach (var block in hardCapture)
            {
                if (AddressRange.From(block).Overlaps(line.Range))
                    throw Error(Name, line.Line, $"HAR says {line.Text} is never hard-captured, and --hard-capture {block} claims it from the start");
            }
        }
    }

    /// <summary>The --config file with this file's port lines before its own ranges (so the TOML file,
    /// then the command line, win over them); null when there is neither.</summary>
    public ConfigFile? Under(ConfigFile? file, EngineOptions options)
    {
        if (PortLines.Count == 0)
            return file;
        var tarpitted = options.Mode == ModeOption.Tarpit ? TcpBehaviour.Tarpit : TcpBehaviour.Persist;
        var notTarpitted = options.Firewall ? TcpBehaviour.Ignore : TcpBehaviour.ClosedPort;
        var rules = PortLines.Select(p => new PortRule(p.Ports, p.Text, p.Monitored ? tarpitted : notTarpitted, BannerKind.None, new ModifierValues(), p.Line));
        return new ConfigFile(file?.Defaults ?? new ModifierValues(), [.. rules, .. file?.Rules ?? []]);
    }

    private static LabreaAddressLine Address(string name, int line, string selector, string keyword)
    {
        // LaBrea masked a prefix's host bits (10.2.3.4/24 IPI ignored 10.2.3.0/24), so this does too.
        int slash = selector.IndexOf('/');
        if (slash >= 0)
        {
            if (!Ipv4Address.TryParse(selector.AsSpan(0, slash), out var network) ||
                !int.TryParse(selector.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > 32)
                throw Error(name, line, $"{keyword}: '{selector}' is not a CIDR prefix (expected a.b.c.d/len, len 0 to 32)");
            return new LabreaAddressLine(AddressRange.From(Cidr.Of(network, length)), selector, line);
        }
        if (!AddressSet.TryParseItem(selector, out var range, out string error))
            throw Error(name, line, $"{keyword}: {error}");
        return new LabreaAddressLine(range, selector, line);
    }

    private static PortSet Ports(string name, int line, string selector, string keyword)
    {
        string[] ends = selector.Split('-');
        if (ends.Length > 2 || ends.Any(e => !int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65_535))
            throw Error(name, line, $"{keyword}: '{selector}' is not a port or port range (N or N-M, 0 to 65535)");
        int first = int.Parse(ends[0], CultureInfo.InvariantCulture);
        int last = int.Parse(ends[^1], CultureInfo.InvariantCulture);
        if (last < first)
            throw Error(name, line, $"{keyword}: '{selector}' is an empty range: {last} comes before {first}");
        if (last == 0)
            throw Error(name, line, $"{keyword}: port 0 is no port a SYN can be sent to");
        // LaBrea's own files start ranges at 0 ("0-1023 POR"); port 0 is never tarpitted here anyway.
        first = Math.Max(first, 1);
        return PortSet.Of([.. Enumerable.Range(first, last - first + 1).Select(p => (ushort)p)]);
    }

    private static string Shown(string line) => ErrorText.Cut(line.Trim());

    private static UsageException Error(string name, int line, string message) => new($"{name} line {line}: {message}");
}
