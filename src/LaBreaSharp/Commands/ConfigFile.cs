using System.Globalization;
using System.Text.RegularExpressions;
using LaBreaSharp.Cli;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;
using Tomlyn;
using Tomlyn.Parsing;

namespace LaBreaSharp.Commands;

/// <summary>Modifiers as a file or the command line gives them: only what was said is set.</summary>
public sealed record ModifierValues
{
    public double? BannerDelaySeconds { get; init; }
    public (int Min, int Max)? AckDelayMilliseconds { get; init; }
    public double? Noise { get; init; }
    public int? DropAfterSeconds { get; init; }
    public int? BanSeconds { get; init; }

    /// <summary>These values, each one not said taken from <paramref name="under"/>.</summary>
    public ModifierValues Over(ModifierValues under) => new()
    {
        BannerDelaySeconds = BannerDelaySeconds ?? under.BannerDelaySeconds,
        AckDelayMilliseconds = AckDelayMilliseconds ?? under.AckDelayMilliseconds,
        Noise = Noise ?? under.Noise,
        DropAfterSeconds = DropAfterSeconds ?? under.DropAfterSeconds,
        BanSeconds = BanSeconds ?? under.BanSeconds,
    };

    public Modifiers ToModifiers() => new()
    {
        BannerDelayMilliseconds = (int)Math.Round((BannerDelaySeconds ?? Modifiers.DefaultBannerDelayMilliseconds / 1000.0) * 1000),
        AckDelayMinMilliseconds = AckDelayMilliseconds?.Min ?? 0,
        AckDelayMaxMilliseconds = AckDelayMilliseconds?.Max ?? 0,
        NoisePer65536 = (int)Math.Round((Noise ?? 0) * 65_536),
        DropAfterSeconds = DropAfterSeconds ?? 0,
        BanSeconds = BanSeconds ?? 0,
    };
}

/// <summary>One <c>[[ports]]</c> table: a range, what it does, its own modifiers, and where it was written.</summary>
public sealed record PortRule(PortSet Ports, string PortsText, TcpBehaviour Behaviour, BannerKind Banner, ModifierValues Modifiers, int Line);

/// <summary><c>--config FILE</c>: port ranges with a behaviour and modifiers each, in TOML (read with
/// Tomlyn's pull parser, which gives every value its line):
/// <code>
/// [defaults]              # modifiers for every range, as the command line's options
/// banner-delay = 10       # seconds
/// ack-delay = "20-200"    # milliseconds, or one number
/// noise = 0.02            # 0 to 0.5
/// drop-after = 0          # seconds; 0: never
/// ban = 0                 # seconds; 0: no ban
///
/// [[ports]]
/// ports = "22,2222"
/// behaviour = "banner"    # persist, tarpit, banner, closed or ignore
/// banner = "ssh"          # ssh, http, smtp or telnet (banner only)
/// noise = 0.05            # this range's own modifiers
/// </code>
/// A mistake is one sentence naming the file and the line.</summary>
public sealed partial record ConfigFile(ModifierValues Defaults, IReadOnlyList<PortRule> Rules)
{
    public static ConfigFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--config '{path}': {e.Message}");
        }
        var reader = new Reader(path, text);
        return reader.Document();
    }

    private sealed partial class Reader(string path, string text)
    {
        private readonly TomlParser _parser = TomlParser.Create(text);

        public ConfigFile Document()
        {
            var defaults = new ModifierValues();
            var rules = new List<PortRule>();
            Next(); // the document
            Next();
            Expect(TomlParseEventKind.StartTable, "a table");
            while (Next() == TomlParseEventKind.PropertyName)
            {
                string name = _parser.GetPropertyName();
                int line = Line;
                switch (name)
                {
                    case "defaults":
                        Next();
                        Expect(TomlParseEventKind.StartTable, "[defaults] to be a table");
                        defaults = Modifiers(inRule: false, out _, out _);
                        break;
                    case "ports":
                        Next();
                        Expect(TomlParseEventKind.StartArray, "[[ports]] tables");
                        while (Next() == TomlParseEventKind.StartTable)
                            rules.Add(Rule());
                        break;
                    default:
                        throw Error(line, $"unknown section '{name}' (there are [defaults] and [[ports]])");
                }
            }
            return new ConfigFile(defaults, rules);
        }

        private PortRule Rule()
        {
            // A table of an array of tables has no line of its own in the parser's events: its
            // first key's line stands for it.
            var values = Modifiers(inRule: true, out var keys, out int line);
            if (!keys.TryGetValue("ports", out var ports))
                throw Error(line, "a [[ports]] table needs ports = \"LIST\"");
            if (!PortSet.TryParse([ports.Text], out var set, out var error))
                throw Error(ports.Line, error);
            if (!keys.TryGetValue("behaviour", out var behaviourValue))
                throw Error(line, $"the range '{ports.Text}' needs a behaviour (persist, tarpit, banner, closed or ignore)");
            var behaviour = behaviourValue.Text switch
            {
                "persist" => TcpBehaviour.Persist,
                "tarpit" => TcpBehaviour.Tarpit,
                "banner" => TcpBehaviour.Banner,
                "closed" => TcpBehaviour.ClosedPort,
                "ignore" => TcpBehaviour.Ignore,
                _ => throw Error(behaviourValue.Line, $"behaviour must be persist, tarpit, banner, closed or ignore, not '{behaviourValue.Text}'"),
            };
            var banner = BannerKind.None;
            if (keys.TryGetValue("banner", out var bannerValue))
            {
                if (behaviour != TcpBehaviour.Banner)
                    throw Error(bannerValue.Line, $"banner = \"{bannerValue.Text}\" needs behaviour = \"banner\"");
                banner = BannerSpec.ParseKind(bannerValue.Text) ?? throw Error(bannerValue.Line, $"banner must be ssh, http, smtp or telnet, not '{bannerValue.Text}'");
            }
            else if (behaviour == TcpBehaviour.Banner)
            {
                throw Error(behaviourValue.Line, $"the banner range '{ports.Text}' needs banner = \"ssh\", \"http\", \"smtp\" or \"telnet\"");
            }
            return new PortRule(set, ports.Text, behaviour, banner, values, line);
        }

        /// <summary>The keys of one table up to its end: modifiers into the result, and (in a rule)
        /// ports, behaviour and banner into <paramref name="words"/>.</summary>
        private ModifierValues Modifiers(bool inRule, out Dictionary<string, (string Text, int Line)> words, out int firstLine)
        {
            words = new Dictionary<string, (string, int)>();
            var values = new ModifierValues();
            firstLine = 0;
            while (Next() == TomlParseEventKind.PropertyName)
            {
                string key = _parser.GetPropertyName();
                int line = Line;
                firstLine = firstLine == 0 ? line : firstLine;
                var kind = Next();
                switch (key)
                {
                    case "ports" or "behaviour" or "banner" when inRule:
                        words[key] = (Text(kind, key, line), line);
                        break;
                    case "banner-delay":
                        values = values with { BannerDelaySeconds = CommandValues.BannerDelay(Number(kind, key, line), Where(line, key)) };
                        break;
                    case "ack-delay":
                        string delay = kind == TomlParseEventKind.Integer ? Number(kind, key, line).ToString(CultureInfo.InvariantCulture) : Text(kind, key, line);
                        values = values with { AckDelayMilliseconds = CommandValues.AckDelay(delay, Where(line, key)) };
                        break;
                    case "noise":
                        values = values with { Noise = CommandValues.Noise(Number(kind, key, line), Where(line, key)) };
                        break;
                    case "drop-after":
                        values = values with { DropAfterSeconds = CommandValues.Seconds(Number(kind, key, line), Where(line, key)) };
                        break;
                    case "ban":
                        values = values with { BanSeconds = CommandValues.Seconds(Number(kind, key, line), Where(line, key)) };
                        break;
                    default:
                        throw Error(line, $"unknown key '{key}' ({(inRule ? "ports, behaviour, banner, " : "")}banner-delay, ack-delay, noise, drop-after or ban)");
                }
            }
            Expect(TomlParseEventKind.EndTable, "the table to end");
            return values;
        }

        private string Text(TomlParseEventKind kind, string key, int line) =>
            kind == TomlParseEventKind.String ? _parser.GetString() : throw Error(line, $"{key} must be a string");

        private double Number(TomlParseEventKind kind, string key, int line) => kind switch
        {
            TomlParseEventKind.Integer => _parser.Current.GetInt64(),
            TomlParseEventKind.Float => _parser.Current.GetDouble(),
            _ => throw Error(line, $"{key} must be a number"),
        };

        private int Line => _parser.Current.Line;

        private string Where(int line, string key) => $"{Path.GetFileName(path)} line {line}: {key}";

        private TomlParseEventKind Next()
        {
            try
            {
                return _parser.MoveNext() ? _parser.Current.Kind : TomlParseEventKind.EndDocument;
            }
            catch (TomlException e)
            {
                var match = Position().Match(e.Message);
                string reason = Position().Replace(e.Message, "").Trim().TrimEnd('.');
                throw match.Success ? Error(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), reason) : Error(0, reason);
            }
        }

        private void Expect(TomlParseEventKind kind, string what)
        {
            if (_parser.Current.Kind != kind)
                throw Error(Line, $"expected {what}");
        }

        private UsageException Error(int line, string message) =>
            new(line > 0 ? $"{Path.GetFileName(path)} line {line}: {message}" : $"{Path.GetFileName(path)}: {message}");

        [GeneratedRegex(@"^\((\d+),\d+\)\s*:\s*error\s*:\s*")]
        private static partial Regex Position();
    }
}
