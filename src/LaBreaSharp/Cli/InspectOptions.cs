using CommandLine;

namespace LaBreaSharp.Cli;

[Verb("inspect", HelpText = "Print each frame of a capture file (pcap or pcapng) on one line, as the tarpit parses it.")]
public sealed class InspectOptions
{
    [Option('r', "read", Required = true, MetaValue = "FILE", HelpText = "Capture file to read (pcap or pcapng).")]
    public string Read { get; set; } = "";

    [Option('e', "link", HelpText = "Show the Ethernet addresses of each frame.")]
    public bool ShowLink { get; set; }

    [Option('c', "count", MetaValue = "N", HelpText = "Stop after N frames.")]
    public long? Count { get; set; }
}
