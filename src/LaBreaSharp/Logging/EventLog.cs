using LaBreaSharp.Core.Tarpit;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace LaBreaSharp.Logging;

/// <summary>The tarpit's event log: the engine's <see cref="ITarpitEventSink"/>, writing one line per
/// event, in the chosen <see cref="LogFormat"/>, to standard output, a file and/or syslog through a
/// private NLog <see cref="LogFactory"/> configured in code (no NLog.config is read).
/// <para><see cref="Emit"/> is called on the engine's one thread: it copies the event into an
/// <see cref="EventQueue"/> and returns; a writer thread folds floods (<see cref="FloodFolder"/>),
/// formats and writes. <see cref="Reopen"/>, <see cref="Flush"/> and <see cref="Dispose"/> may come
/// from any thread; the first runs on the writer thread, between lines.</para></summary>
public sealed class EventLog : ITarpitEventSink, IDisposable
{
    private const string LoggerName = "LaBreaSharp.Events";
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly LogOptions _options;
    private readonly TextWriter _console;
    private readonly string? _logFile;
    private readonly EventLineFormatter _formatter;
    private readonly LogFactory _factory;
    private readonly Logger _logger;
    private readonly bool[] _enabled = new bool[EventNames.KindCount];
    /// <summary>Events the log took, by kind: bumped on the writer thread, read by the metrics.</summary>
    private readonly long[] _logged = new long[EventNames.KindCount];
    private readonly WriteLoss _consoleLoss;
    private readonly WriteLoss? _fileLoss;
    private readonly EventQueue _queue;
    private readonly FloodFolder? _folder;
    private readonly List<TarpitEvent> _due = [];
    private long _lostReported;
    private long _lostReportedAt = long.MinValue;
    private int _disposed;

    /// <summary>Opens every destination <paramref name="options"/> names; <paramref name="console"/> is
    /// standard output (used only when <see cref="LogOptions.Console"/> is set); <paramref name="problems"/>
    /// (standard error) hears once when a destination stops taking lines and once when it takes them
    /// again, and <see cref="EventsLost"/> counts what it did not take.</summary>
    /// <exception cref="LogTargetException">The log file cannot be written or there is no syslog socket.</exception>
    public EventLog(LogOptions options, TextWriter console, TextWriter? problems = null)
    {
        _options = options;
        _console = console;
        _consoleLoss = WriteLoss.Events("standard output", problems);
        _formatter = EventLineFormatter.For(options.Format);
        if (options.LogFile is { } path)
        {
            if (path.Length == 0 || path.Contains('\0'))
                throw new UsageException(path.Length == 0 ? "--log-file names no file (it is empty)" : "--log-file names no file (its name has a NUL character)");
            // NLog would resolve a relative path against the executable's folder; the user meant the working directory.
            _logFile = Path.GetFullPath(path);
            CheckWritable(_logFile, path);
            _fileLoss = WriteLoss.Events($"the log file '{path}'", problems);
        }
        if (options.Syslog)
            SyslogTarget.CheckReachable(options.SyslogSocketPath);

        _factory = new LogFactory();
        _factory.Configuration = BuildConfiguration();
        _logger = _factory.GetLogger(LoggerName);
        for (int kind = 0; kind < _enabled.Length; kind++)
            _enabled[kind] = _logger.IsEnabled(EventNames.LevelOf((TarpitEventKind)kind));
        _folder = options.FloodRate > 0 && options.Verbosity == 0 ? new FloodFolder(options.FloodRate) : null;
        _queue = new EventQueue(options.QueueCapacity, options.BlockWhenFull, Deliver, Idle);
        _queue.Start();
    }

    /// <summary>Events that found the queue full under a flood (the packets were answered; the lines were not written).</summary>
    public long EventsDropped => _queue.Dropped;

    /// <summary>Lines that a destination did not take (a full disk under the log file or standard
    /// output), counted once per destination that lost them; kept across <see cref="Reopen"/>.</summary>
    public long EventsLost => _consoleLoss.Lost + (_fileLoss?.Lost ?? 0) + _queue.Dropped;

    /// <summary>One array read: the engine asks this before building a per-packet event.</summary>
    public bool IsEnabled(TarpitEventKind kind) => (uint)kind < (uint)_enabled.Length && _enabled[(int)kind];

    public void Emit(in TarpitEvent tarpitEvent)
    {
        if (IsEnabled(tarpitEvent.Kind))
            _queue.Enqueue(tarpitEvent);
    }

    /// <summary>Events of <paramref name="kind"/> the log has taken so far, those folded into flood
    /// lines included (and none of a kind it does not log: probes only with -v). Any thread.</summary>
    public long Logged(TarpitEventKind kind) => (uint)kind < (uint)_logged.Length ? Volatile.Read(ref _logged[(int)kind]) : 0;

    /// <summary>The writer thread, for each event in order.</summary>
    private void Deliver(TarpitEvent e)
    {
        if ((uint)e.Kind < (uint)_logged.Length)
            Volatile.Write(ref _logged[(int)e.Kind], _logged[(int)e.Kind] + 1); // one writer: no lock needed
        if (_folder is null)
        {
            Write(e);
        }
        else
        {
            _due.Clear();
            bool folded = _folder.Fold(e, _due);
            foreach (var line in _due)
                Write(line);
            if (!folded)
                Write(e);
        }
        ReportDropped(force: false);
    }

    /// <summary>The writer thread, when the queue ran empty and before it sleeps: say what the floods of
    /// seconds now over folded (all of them when <paramref name="final"/>: a flush, the end).</summary>
    private void Idle(bool final)
    {
        if (_folder is { HasPending: true })
        {
            _due.Clear();
            if (final)
                _folder.Drain(_due);
            else
                _folder.DrainEnded((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100, _due);
            foreach (var line in _due)
                Write(line);
        }
        ReportDropped(force: true);
    }

    /// <summary>One <c>events-lost</c> line, at most a second apart, for the events the full queue refused.</summary>
    private void ReportDropped(bool force)
    {
        long dropped = _queue.Dropped;
        if (dropped == _lostReported)
            return;
        long now = Environment.TickCount64;
        if (!force && now - _lostReportedAt < 1000)
            return;
        _lostReportedAt = now;
        var line = new TarpitEvent(TarpitEventKind.EventsLost, (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100, default, 0, default, 0,
            Count: dropped - _lostReported);
        _lostReported = dropped;
        Write(line);
    }

    private void Write(in TarpitEvent e)
    {
        if (IsEnabled(e.Kind))
            _logger.Log(EventNames.LevelOf(e), _formatter.Format(e));
    }

    /// <summary>Closes the log file and opens it again at its path (and reconnects to syslog): after
    /// logrotate has moved the file away, new lines go to a new file. The run loop calls this on SIGHUP.</summary>
    public void Reopen()
    {
        if (Volatile.Read(ref _disposed) != 0)
            return;
        // Assigning a new configuration closes the old targets (flushing and closing the file) and
        // opens fresh ones; it runs on the writer thread between two lines, so none goes nowhere.
        _queue.OnWriter(() => _factory.Configuration = BuildConfiguration());
    }

    /// <summary>Writes out everything buffered (the file target buffers up to a second).</summary>
    public void Flush()
    {
        if (Volatile.Read(ref _disposed) != 0)
            return;
        _queue.Drain();
        _factory.Flush(FlushTimeout);
    }

    /// <summary>Flushes and closes every destination; the last line written is complete.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _queue.Drain();
        _queue.Dispose();
        _factory.Flush(FlushTimeout);
        _factory.Dispose();
    }

    private LoggingConfiguration BuildConfiguration()
    {
        var config = new LoggingConfiguration(_factory);
        var minimum = _options.Verbosity >= 1 ? LogLevel.Debug : LogLevel.Info;
        var message = Layout.FromString("${message}");

        if (_options.Console)
            config.AddRule(minimum, LogLevel.Fatal, new TextWriterTarget(_console, "console", _consoleLoss) { Layout = message }, LoggerName);
        if (_logFile is not null)
            config.AddRule(minimum, LogLevel.Fatal, new LogFileTarget(_logFile, _fileLoss!, "file") { Layout = message }, LoggerName);
        if (_options.Syslog)
        {
            config.AddRule(minimum, LogLevel.Fatal, new SyslogTarget("syslog")
            {
                Layout = message,
                SocketPath = _options.SyslogSocketPath,
                DropLeadingField = _formatter.LeadsWithTimestamp,
            }, LoggerName);
        }
        return config;
    }

    private static void CheckWritable(string fullPath, string asGiven)
    {
        if (Directory.Exists(fullPath))
            throw new LogTargetException($"cannot write the log file '{asGiven}': it is a directory");
        try
        {
            using var stream = new FileStream(fullPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LogTargetException($"cannot write the log file '{asGiven}': {LaBreaSharp.Pcap.CaptureFileWriter.Reason(e)}", e);
        }
    }
}
