using CommandLine;

namespace LaBreaSharp.Cli;

[Verb("inspect", HelpText = "Print each frame of a capture file (pcap or pcapng) on one line, as the tarpit parses it.")]
public sealed class InspectOptions : IVerbOptions
{
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option('r', "read", Required = true, MetaValue = "FILE", HelpText = "Capture file to read (pcap or pcapng).")]
    public string Read { get; set; } = "";

    [Option('e', "link", HelpText = "Show the Ethernet addresses of each frame.")]
    public bool ShowLink { get; set; }

    [Option('c', "count", MetaValue = "N", HelpText = "Stop after N frames (1 or more).")]
    public long? Count { get; set; }
}

/// <summary>What every verb's options have: the words left over once options and their values are taken.</summary>
public interface IVerbOptions
{
    IEnumerable<string> Unexpected { get; }
}
