using System.Text;
using LaBreaSharp.Cli;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Inspect;

/// <summary><c>labreasharp inspect -r FILE</c>: one line per frame, then a count line.</summary>
public static class InspectCommand
{
    public static int Run(InspectOptions options, TextWriter output, TextWriter error)
    {
        if (options.Count is < 1)
            throw new UsageException($"-c/--count must be 1 or more, not {options.Count}");
        var reader = CaptureFiles.OpenForReading(options.Read);
        using (reader)
        {
            if (!reader.IsEthernet)
            {
                error.WriteLine(ErrorText.Shorten($"labreasharp: '{options.Read}' holds {LinkTypes.Describe(reader.LinkType)}, not Ethernet frames; only Ethernet captures can be inspected"));
                return ExitCodes.Usage;
            }
            var counts = new long[Enum.GetValues<FrameKind>().Length];
            long frames = 0;
            var line = new StringBuilder(256);
            try
            {
                while ((options.Count is null || frames < options.Count) && reader.Read(out var frame) == ReceiveStatus.Frame)
                {
                    frames++;
                    line.Clear();
                    var kind = FrameFormatter.Format(line, frame.TimestampNanoseconds, frame.Data, frame.OriginalLength, options.ShowLink);
                    counts[(int)kind]++;
                    output.WriteLine(line);
                }
            }
            catch (PcapException e)
            {
                // A file cut off mid-frame: report what was read, then the problem.
                output.WriteLine(Summary(frames, counts));
                error.WriteLine(ErrorText.Shorten($"labreasharp: '{options.Read}' is damaged after frame {frames}: {e.Message}"));
                return ExitCodes.Usage; // the file is at fault, as with a bad header
            }
            output.WriteLine(Summary(frames, counts));
            return ExitCodes.Success;
        }
    }

    public static string Summary(long frames, long[] counts) =>
        $"{frames} frames: {counts[(int)FrameKind.Tcp]} tcp, {counts[(int)FrameKind.Udp]} udp, " +
        $"{counts[(int)FrameKind.Icmp]} icmp, {counts[(int)FrameKind.Arp]} arp, " +
        $"{counts[(int)FrameKind.OtherIpv4] + counts[(int)FrameKind.Other]} other, {counts[(int)FrameKind.Malformed]} malformed";
}
