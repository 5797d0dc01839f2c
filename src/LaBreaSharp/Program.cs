using LaBreaSharp.Cli;
using LaBreaSharp.Inspect;
using LaBreaSharp.Logging;
using LaBreaSharp.Commands;
using LaBreaSharp.Monitoring;
using LaBreaSharp.Pcap;

// A Linux tool from end to end (packet sockets, rtnetlink, Unix sockets and file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace LaBreaSharp;

public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return VerbParser.Run(args, output, error, options => options switch
            {
                RunOptions run => RunCommand.Run(run, output, error),
                ReplayOptions replay => ReplayCommand.Run(replay, output, error),
                InspectOptions inspect => InspectCommand.Run(inspect, output, error),
                StatusOptions status => StatusCommand.Run(status, output, error),
                _ => throw new InvalidOperationException($"no handler for {options.GetType().Name}"),
            });
        }
        catch (UsageException e)
        {
            error.WriteLine("labreasharp: " + ErrorText.Shorten(e.Message));
            return ExitCodes.Usage;
        }
        catch (LogTargetException e)
        {
            error.WriteLine("labreasharp: " + ErrorText.Shorten(e.Message));
            return ExitCodes.Environment;
        }
        catch (Exception e) when (e is MetricsListenerException or ControlSocketException)
        {
            error.WriteLine("labreasharp: " + ErrorText.Shorten(e.Message));
            return ExitCodes.Environment;
        }
        catch (PcapLibraryMissingException e)
        {
            error.WriteLine("labreasharp: " + ErrorText.Shorten(e.Message));
            return ExitCodes.Environment;
        }
    }
}
