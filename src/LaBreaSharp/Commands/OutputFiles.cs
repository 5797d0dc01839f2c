using LaBreaSharp.Pcap;

namespace LaBreaSharp.Commands;

/// <summary>Refuses, before any output is opened (and so truncated), an output file that is one of
/// the inputs or another output: <c>replay -r x.pcap -w x.pcap</c> would empty its input before
/// reading it, and two writers on one file interleave into a file nothing can read. Files are
/// compared by device and inode, so another spelling, a symbolic or a hard link is the same file; an
/// output that does not exist yet is no input, but two outputs with the same not-yet-existing path
/// are one file. Devices, pipes and "-" (standard input or output) are not files that get truncated,
/// and are never refused.</summary>
public static class OutputFiles
{
    /// <summary>Throws a <see cref="UsageException"/> naming the first clash. Entries with a null path
    /// are options not given.</summary>
    public static void RefuseClashes(IEnumerable<(string Option, string? Path)> inputs, IEnumerable<(string Option, string? Path)> outputs)
    {
        var seen = new List<(string Option, string Path, object Key)>();
        foreach (var (option, path) in inputs)
        {
            if (Key(path, mustExist: true) is { } key)
                seen.Add((option, path!, key));
        }
        int inputCount = seen.Count;
        foreach (var (option, path) in outputs)
        {
            if (Key(path, mustExist: false) is not { } key)
                continue;
            int clash = seen.FindIndex(s => s.Key.Equals(key));
            if (clash >= 0)
            {
                var other = seen[clash];
                string what = clash < inputCount ? "the input" : "another output";
                throw new UsageException(other.Path == path
                    ? $"{option} '{path}' is also {other.Option}, {what}: give each output a file of its own"
                    : $"{option} '{path}' is the same file as {other.Option} '{other.Path}', {what}: give each output a file of its own");
            }
            seen.Add((option, path!, key));
        }
    }

    /// <summary>What names the file: its identity when it exists and is a regular file, its full path
    /// when it does not exist yet (outputs only), nothing for a device, a pipe or "-".</summary>
    private static object? Key(string? path, bool mustExist)
    {
        if (string.IsNullOrEmpty(path) || path == "-")
            return null;
        if (FileIdentity.Of(path) is { } identity)
            return identity.IsRegularFile ? identity : null;
        if (mustExist)
            return null;
        try
        {
            return Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return null; // not a path at all; opening it says so
        }
    }
}
