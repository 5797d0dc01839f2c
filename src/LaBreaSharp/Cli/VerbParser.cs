using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using CommandLine;
using CommandLine.Text;

namespace LaBreaSharp.Cli;

/// <summary>Parses the command line into one verb's options. Errors become one sentence naming
/// the mistake (exit 2); help and version requests print the generated text (exit 0).</summary>
public static class VerbParser
{
    public static readonly Type[] Verbs = [typeof(RunOptions), typeof(ReplayOptions), typeof(InspectOptions), typeof(StatusOptions)];

    /// <summary>CommandLineParser builds each verb's options by reflection (constructor, properties,
    /// their attributes). The native (AOT) build keeps all of that for the verb types listed here, and
    /// nothing else is reached by reflection.</summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(RunOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ReplayOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(InspectOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(StatusOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(EngineOptions))]
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<object, int> dispatch)
    {
        using var parser = new Parser(settings =>
        {
            settings.HelpWriter = null;
            settings.CaseSensitive = true;
            settings.CaseInsensitiveEnumValues = true;
            settings.AutoVersion = true;
            settings.AutoHelp = true;
            settings.AllowMultiInstance = true;
        });
        if (TrailingOptionWithoutValue(args) is { } missing)
        {
            error.WriteLine($"labreasharp: option {missing} needs a value");
            return ExitCodes.Usage;
        }
        var result = parser.ParseArguments(args, Verbs);
        if (result is Parsed<object> parsed)
        {
            if (parsed.Value is IVerbOptions { Unexpected: var words } && words.FirstOrDefault() is { } word)
            {
                error.WriteLine($"labreasharp: unexpected argument '{word}' (every value belongs to an option; labreasharp {args[0]} --help lists them)");
                return ExitCodes.Usage;
            }
            return dispatch(parsed.Value);
        }

        var errors = ((NotParsed<object>)result).Errors.ToList();
        if (errors.Any(e => e.Tag is ErrorType.HelpRequestedError or ErrorType.HelpVerbRequestedError or ErrorType.VersionRequestedError))
        {
            output.WriteLine(HelpText.AutoBuild(result, h => HelpText.DefaultParsingErrorsHandler(result, h), e => e, verbsIndex: errors.Any(e => e is HelpVerbRequestedError { Matched: false })));
            return ExitCodes.Success;
        }
        if (errors.Any(e => e.Tag == ErrorType.NoVerbSelectedError))
        {
            error.WriteLine("labreasharp: no verb given; one of: " + string.Join(", ", VerbNames()) + " (labreasharp --help lists them)");
            return ExitCodes.Usage;
        }
        error.WriteLine("labreasharp: " + ErrorText.Shorten(EnumMistake(args, errors.First()) ?? Describe(errors.First())));
        return ExitCodes.Usage;
    }

    /// <summary>An option whose values are an enum's names, given something else: name the choices.</summary>
    private static string? EnumMistake(string[] args, Error error)
    {
        if (error is not BadFormatConversionError { NameInfo: var info } || args.Length == 0)
            return null;
        var property = VerbProperties(args[0]).FirstOrDefault(p =>
            (Attribute.GetCustomAttribute(p, typeof(OptionAttribute)) as OptionAttribute)?.LongName == info.LongName);
        if (property?.PropertyType is not { IsEnum: true } type)
            return null;
        string name = "--" + info.LongName;
        int at = Array.FindLastIndex(args, a => a == name || (info.ShortName.Length > 0 && a == "-" + info.ShortName));
        string? given = at >= 0 && at + 1 < args.Length ? args[at + 1]
            : args.LastOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        var choices = Enum.GetNames(type).Select(n => n.ToLowerInvariant()).ToArray();
        string list = choices.Length == 1 ? choices[0] : string.Join(", ", choices[..^1]) + " or " + choices[^1];
        return given is null ? $"{name} must be {list}" : $"{name} must be {list}, not '{given}'";
    }

    /// <summary>CommandLineParser quietly takes the default when a value option is the last
    /// token ("--window" with nothing after it); that is a mistake, and is reported as one.</summary>
    private static string? TrailingOptionWithoutValue(string[] args)
    {
        if (args.Length < 2)
            return null;
        string last = args[^1];
        foreach (var property in VerbProperties(args[0]))
        {
            if (Attribute.GetCustomAttribute(property, typeof(OptionAttribute)) is not OptionAttribute option ||
                property.PropertyType == typeof(bool) || option.FlagCounter)
                continue;
            if (last == "--" + option.LongName || (option.ShortName.Length > 0 && last == "-" + option.ShortName))
                return option.ShortName.Length > 0 ? $"-{option.ShortName}/--{option.LongName}" : "--" + option.LongName;
        }
        return null;
    }

    /// <summary>The public properties of the verb named <paramref name="verb"/> (none for an unknown
    /// verb). They are kept in the native build by the DynamicDependency attributes on <see cref="Run"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "the verb types' members are kept by DynamicDependency on Run")]
    private static PropertyInfo[] VerbProperties(string verb) =>
        Verbs.FirstOrDefault(t => VerbName(t) == verb)?.GetProperties() ?? [];

    private static string VerbName(Type options) => ((VerbAttribute)Attribute.GetCustomAttribute(options, typeof(VerbAttribute))!).Name;

    private static IEnumerable<string> VerbNames() => Verbs.Select(VerbName);

    /// <summary>One sentence for the first thing wrong on the command line.</summary>
    public static string Describe(Error error) => error switch
    {
        BadVerbSelectedError e => $"unknown verb '{e.Token}'; one of: {string.Join(", ", VerbNames())}",
        UnknownOptionError e => $"unknown option '{Dashes(e.Token)}'",
        MissingRequiredOptionError e => $"missing required option {Name(e.NameInfo)}",
        MissingValueOptionError e => $"option {Name(e.NameInfo)} needs a value",
        BadFormatConversionError e => $"option {Name(e.NameInfo)} has a value of the wrong form",
        BadFormatTokenError e => $"cannot make sense of '{e.Token}'",
        RepeatedOptionError e => $"option {Name(e.NameInfo)} is given more than once",
        SequenceOutOfRangeError e => $"option {Name(e.NameInfo)} has the wrong number of values",
        SetValueExceptionError e => $"option {Name(e.NameInfo)}: {e.Exception.Message}",
        MutuallyExclusiveSetError e => $"option {Name(e.NameInfo)} cannot be combined with the options of set '{e.SetName}'",
        _ => $"cannot parse the command line ({error.Tag})",
    };

    private static string Dashes(string token) => token.Length == 1 ? "-" + token : "--" + token;

    private static string Name(NameInfo info) =>
        info.ShortName.Length > 0 && info.LongName.Length > 0 ? $"-{info.ShortName}/--{info.LongName}"
        : info.LongName.Length > 0 ? "--" + info.LongName
        : "-" + info.ShortName;
}
