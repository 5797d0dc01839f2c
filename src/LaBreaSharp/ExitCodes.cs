namespace LaBreaSharp;

/// <summary>Process exit codes, the same for every verb.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Something failed at run time (an I/O error, libpcap gave up).</summary>
    public const int Failure = 1;
    /// <summary>The command line or its inputs are wrong: a bad option, a missing or unreadable file,
    /// an output that is the input or another output, a capture file damaged (at its header or part-way).</summary>
    public const int Usage = 2;
    /// <summary>The machine is not ready: libpcap missing, no privilege, no such interface.</summary>
    public const int Environment = 3;
    /// <summary>The run ended, but the log or a capture file lost something (a full disk, an I/O
    /// error): the summary's "events lost" and "frames not recorded" say how much.</summary>
    public const int Incomplete = 4;
    /// <summary>A replay stopped by SIGINT (128 + 2, as a shell reports it) or SIGTERM (128 + 15),
    /// after flushing its outputs and printing the summary.</summary>
    public const int Sigint = 130;
    public const int Sigterm = 143;
}

/// <summary>A mistake in what the user asked for; its message is one sentence for stderr.</summary>
public sealed class UsageException(string message) : Exception(message);
