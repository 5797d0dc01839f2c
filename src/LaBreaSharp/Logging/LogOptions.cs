namespace LaBreaSharp.Logging;

/// <summary>How each event becomes one line.</summary>
public enum LogFormat
{
    /// <summary>For people: ISO 8601 UTC time, the event name, addresses.</summary>
    Text,
    /// <summary>One JSON object per line, for jq and log shippers.</summary>
    Json,
    /// <summary>LaBrea 2.5's own lines (its -O epoch form), so existing LaBrea log parsers keep working.</summary>
    Labrea,
}

/// <summary>Where the event log goes and how much of it; the CLI fills this from its options.</summary>
public sealed record LogOptions
{
    public LogFormat Format { get; init; } = LogFormat.Text;

    /// <summary>Append to this file as well; reopened on <see cref="EventLog.Reopen"/> so logrotate can move it away.</summary>
    public string? LogFile { get; init; }

    /// <summary>Send to the local syslog daemon (facility daemon) as well.</summary>
    public bool Syslog { get; init; }

    /// <summary>How many -v were given: 1 or more logs every window probe, not just the periodic counts.</summary>
    public int Verbosity { get; init; }

    /// <summary>Write to standard output.</summary>
    public bool Console { get; init; } = true;

    /// <summary>Per-connection events a second written one by one; past it they fold into <c>flood</c>
    /// lines (<see cref="FloodFolder"/>). 0: never fold. -v (any <see cref="Verbosity"/>) never folds.</summary>
    public int FloodRate { get; init; } = 100;

    /// <summary>Events the queue between the engine and the writer thread holds (rounded up to a power of two).</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>When the queue is full, wait for room instead of counting the event lost (replays: nothing is live).</summary>
    public bool BlockWhenFull { get; init; }

    /// <summary>The local syslog socket; only tests point it elsewhere.</summary>
    internal string SyslogSocketPath { get; init; } = SyslogTarget.DefaultSocketPath;
}
