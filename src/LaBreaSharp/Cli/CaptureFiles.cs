using LaBreaSharp.Logging;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Cli;

/// <summary>Capture files named on the command line: a file that cannot be opened is a mistake in
/// the command, reported as one sentence (exit 2) before anything else happens.</summary>
public static class CaptureFiles
{
    public static CaptureFileReader OpenForReading(string path)
    {
        try
        {
            return CaptureFileReader.Open(path);
        }
        catch (PcapException e) when (e is not PcapLibraryMissingException)
        {
            throw new UsageException($"cannot read capture file '{path}': {e.Message}");
        }
    }

    /// <summary>A write that fails later is not an error but a loss, counted and said in <paramref name="loss"/>.</summary>
    public static CaptureFileWriter CreateForWriting(string path, WriteLoss? loss = null)
    {
        try
        {
            return CaptureFileWriter.Create(path, lost: loss is null ? null : loss.Failed, written: loss is null ? null : loss.Succeeded);
        }
        catch (PcapException e) when (e is not PcapLibraryMissingException)
        {
            throw new UsageException($"cannot write '{path}': {e.Message}");
        }
    }
}
