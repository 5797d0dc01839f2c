using System.Runtime.InteropServices;
using LaBreaSharp.Cli;
using LaBreaSharp.Core;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;
using LaBreaSharp.Monitoring;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Commands;

/// <summary><c>labreasharp run -i IFACE</c>: the live loop. One thread takes whatever frames wait in
/// the capture ring (up to <see cref="BatchSize"/>), prefetches each one's flow, hands them to the
/// engine one by one, and sends all their replies in one system call; a single frame goes through
/// the same way at once, so batching adds no wait. Between frames it sleeps until the engine's
/// next deadline (<see cref="TarpitEngine.NextDeadline"/>) and then advances the engine to the
/// wall clock; under load, every frame advances it. Signals set flags and wake the loop
/// (<see cref="LiveCapture.Wake"/>), which looks at them after every wake-up. Standard output
/// carries only the event log; the banner and the summary go to standard error, so a JSON log on
/// stdout stays pure JSON.</summary>
public static class RunCommand
{
    /// <summary>The longest sleep even when nothing is due: the engine's clock is the wall clock,
    /// which can be stepped, and a step back would otherwise stretch a sleep by as much.</summary>
    private const int MaxWaitMilliseconds = 5_000;
    /// <summary>Frames taken from the ring per wake-up: enough to spread a system call and the
    /// table's cache misses over many frames, few enough that the first reply of a batch waits
    /// only tens of microseconds for the last frame's work.</summary>
    private const int BatchSize = 32;
    private const string CaptureFilter = "arp or ip or vlan";
    private const int SIGUSR1 = 10;

    public static int Run(RunOptions options, TextWriter output, TextWriter error)
    {
        var metricsAddress = options.Metrics is { } metrics ? MetricsListener.Parse(metrics) : null;
        if (options.Control is { } controlPath && (controlPath.Length == 0 || controlPath.Contains('\0')))
            throw new UsageException("--control must be a path for the control socket, or none");
        var host = InterfaceInfo.Read(options.Interface);
        var configuration = ConfigurationBuilder.Build(options, host, $"interface '{options.Interface}'", w => error.WriteLine("labreasharp: warning: " + w));
        configuration = WithHostKnowledge(configuration, options.Interface, host.InterfaceIndex, error);
        if (options.PrintFirewall)
        {
            output.Write(FirewallRules.For(configuration, options.Interface));
            return ExitCodes.Success;
        }
        var logOptions = options.LogOptions();
        OutputFiles.RefuseClashes([("--config", options.Config), ("--labrea-conf", options.LabreaConf)], [("-w", options.Write), ("--log-file", options.LogFile)]);
        var account = Privileges.Resolve(options.User);
        bool keepRoot = options.User == "root";
        // No privilege check of our own: libpcap's activation asks the kernel, and LiveCapture
        // turns its "permission denied" into the advice (root, or the two capabilities).
        PcapLibrary.EnsureLoaded();

        LiveCapture capture;
        try
        {
            capture = LiveCapture.Open(options.Interface);
            if (!capture.IsEthernet)
            {
                capture.Dispose();
                throw new UsageException($"interface '{options.Interface}' is not Ethernet: it captures {LinkTypes.Describe(capture.LinkType)}");
            }
            capture.SetFilter(CaptureFilter);
        }
        catch (PcapException e)
        {
            error.WriteLine($"labreasharp: {e.Message}");
            return ExitCodes.Environment;
        }

        using (capture)
        {
            var recording = options.Write is null ? null : CaptureFiles.CreateForWriting(options.Write, WriteLoss.Frames($"the capture file '{options.Write}'", error));
            using (recording)
            using (var log = new EventLog(logOptions, output, error))
            {
                // Both are opened as root (a port below 1024, a socket in /run) and are the
                // account's afterwards; neither touches the engine but through the window.
                var window = new EngineWindow(capture.Wake);
                using var metricsListener = metricsAddress is null ? null
                    : MetricsListener.Start(metricsAddress, new MetricsExporter(() => window.Ask(0)), window);
                using var control = options.Control == "none" ? null
                    : ControlSocket.Open(options.Control ?? ControlSocket.DefaultPath(options.Interface), options.Control is not null, account, window,
                        w => error.WriteLine("labreasharp: warning: " + ErrorText.Shorten(w)));
                try
                {
                    if (account is not null && options.LogFile is { } logFile)
                        Privileges.Give(Path.GetFullPath(logFile), account, "the log file"); // so that SIGHUP's reopen still can
                    Privileges.Drop(account, keepRoot);
                }
                catch (PrivilegeException e)
                {
                    error.WriteLine($"labreasharp: {e.Message}");
                    return ExitCodes.Environment;
                }
                var random = options.Seed is { } seed ? new RandomSource(seed) : RandomSource.FromEntropy();
                var sink = new InjectingSink(new FrameSender(capture, 2 * BatchSize, capture.SnapLength), recording, options.DryRun);
                var engine = new TarpitEngine(configuration, sink, log, random);
                error.WriteLine($"labreasharp: {Describe(options, configuration, capture, account, metricsListener, control)}");
                if (capture.ActivationWarning is { } warning)
                    error.WriteLine($"labreasharp: warning: {warning}");
                if (!capture.IgnoresOutgoingInKernel)
                    error.WriteLine($"labreasharp: warning: this kernel (before Linux 4.20) copies every frame the host sends out of {options.Interface} into the capture ring, to be skipped there: on a busy gateway that costs CPU and ring space");

                var signals = new SignalFlags(capture.Wake);
                using var registrations = signals.Register();
                int exitCode = ExitCodes.Success;
                try
                {
                    Loop(capture, engine, sink, recording, log, signals, window, error);
                }
                catch (PcapException e)
                {
                    // The interface went away (deleted, or its driver gone): nothing more can come in or go out.
                    error.WriteLine(ErrorText.Shorten($"labreasharp: capture on {options.Interface} stopped: {e.Message}; the tarpit ends here"));
                    exitCode = ExitCodes.Failure;
                }

                log.Flush();
                recording?.Flush();
                WriteSummary(error, engine, capture, sink, log, recording);
                error.Flush();
                return exitCode == ExitCodes.Success ? SummaryWriter.ExitCode(log, exitCode, recording) : exitCode;
            }
        }
    }

    /// <summary>The host's own routes and neighbours have the last word on claims; a gateway inside
    /// hard-captured space is left out from the start, with a warning.</summary>
    private static TarpitConfiguration WithHostKnowledge(TarpitConfiguration configuration, string interfaceName, int index, TextWriter error)
    {
        var neighbours = new HostNeighbours(interfaceName, index, configuration.TarpitMac);
        var excluded = new List<Core.Addressing.AddressRange>(configuration.Excluded.Ranges);
        foreach (uint value in neighbours.Gateways)
        {
            var gateway = new Core.Addressing.Ipv4Address(value);
            foreach (var prefix in configuration.HardCapture.Where(h => h.Contains(gateway)))
            {
                error.WriteLine($"labreasharp: warning: --hard-capture {prefix} contains the host's gateway {gateway}; it is never claimed");
                excluded.Add(new(gateway, gateway));
            }
        }
        return configuration with { ClaimCheck = neighbours, Excluded = Core.Addressing.AddressSet.Of(excluded) };
    }

    private static void Loop(LiveCapture capture, TarpitEngine engine, InjectingSink sink, CaptureFileWriter? recording,
        EventLog log, SignalFlags signals, EngineWindow window, TextWriter summary)
    {
        var batch = new FrameBatch(BatchSize, capture.SnapLength);
        // Made once: a lambda written in the loop would allocate a delegate every batch.
        Func<int, LiveSnapshot> snapshot = top => new LiveSnapshot(engine.Trapped(top), Extras(capture, sink, log, recording)) { Events = LoggedEvents(log) };
        engine.Advance(WallClockNanoseconds());
        while (!signals.Stop)
        {
            int count = capture.ReceiveBatch(batch, WaitMilliseconds(engine.NextDeadline, WallClockNanoseconds()));
            for (int i = 0; i < count; i++)
                engine.Prefetch(batch[i]);
            for (int i = 0; i < count; i++)
            {
                long timestamp = batch.Timestamp(i);
                recording?.Write(timestamp, batch[i], batch.OriginalLength(i));
                engine.Process(batch[i], timestamp);
            }
            // Frames carry the kernel's receive times, which trail the clock when the ring has a
            // backlog: whatever is due by now runs now, frames or not.
            long now = WallClockNanoseconds();
            if (engine.NextDeadline <= now)
                engine.Advance(now);
            sink.Flush();
            window.Serve(snapshot);
            if (signals.TakeReopen())
                log.Reopen();
            if (signals.TakeStats())
            {
                WriteSummary(summary, engine, capture, sink, log, recording);
                summary.Flush();
            }
        }
    }

    private static void WriteSummary(TextWriter output, TarpitEngine engine, LiveCapture capture, InjectingSink sink,
        EventLog log, CaptureFileWriter? recording)
    {
        SummaryWriter.Write(output, engine.Counters, Extras(capture, sink, log, recording));
        if (sink.LastFailure is { } reason)
            output.WriteLine($"last inject failure: {reason}");
    }

    /// <summary>The live loop's own lines of the summary, after the engine's counters: the kernel's
    /// capture figures, inject failures and what was lost. The metrics take the same lines.</summary>
    private static (string Name, long Value)[] Extras(LiveCapture capture, InjectingSink sink, EventLog log, CaptureFileWriter? recording)
    {
        (string, long)[] kernel;
        try
        {
            var statistics = capture.GetStatistics();
            kernel = [("captured by kernel", statistics.Received), ("dropped by kernel", statistics.DroppedByKernel)];
        }
        catch (PcapException)
        {
            kernel = []; // the interface is gone, and its counters with it
        }
        return [.. kernel, ("inject failures", sink.InjectFailures), .. SummaryWriter.Losses(log, recording)];
    }

    /// <summary>Events the log took, by kind, in the catalogue's names.</summary>
    private static (string, long)[] LoggedEvents(EventLog log) =>
        [.. EventCatalogue.All.Select(e => (e.Name, log.Logged(e.Kind)))];

    private static long WallClockNanoseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    /// <summary>How long to wait for a frame: until <paramref name="deadline"/>, rounded up to the
    /// millisecond so that the loop wakes at or after it, not just before.</summary>
    internal static int WaitMilliseconds(long deadline, long now)
    {
        if (deadline <= now)
            return 0;
        long wait = (deadline - now + Time.Millisecond - 1) / Time.Millisecond;
        return (int)Math.Min(wait, MaxWaitMilliseconds);
    }

    private static string Describe(RunOptions options, TarpitConfiguration configuration, LiveCapture capture, Account? account,
        MetricsListener? metrics, ControlSocket? control)
    {
        var parts = new List<string> { $"watching {options.Interface}" };
        if (configuration.HostIp is { } ip)
            parts.Add($"host {ip}");
        bool stealth = configuration.Profile == TarpitProfile.Stealth;
        parts.Add(stealth ? "a MAC per address (stealth)" : $"tarpit MAC {configuration.TarpitMac}");
        if (configuration.Networks.Count > 0)
            parts.Add($"ARP takeover in {string.Join(", ", configuration.Networks)}");
        if (configuration.HardCapture.Count > 0)
            parts.Add($"hard capture of {string.Join(", ", configuration.HardCapture)}");
        if (configuration.Routed.Count > 0)
            parts.Add($"routed {string.Join(", ", configuration.Routed)}");
        int hostPorts = configuration.HostPorts.AnsweredRanges().Sum(r => r.Last - r.First + 1);
        if (hostPorts > 0)
            parts.Add($"{hostPorts} host port(s)");
        parts.Add(stealth
            ? $"mode {options.Mode.ToString().ToLowerInvariant()}, profile stealth (each address a Linux, Windows, printer or router host)"
            : $"mode {options.Mode.ToString().ToLowerInvariant()}, window {configuration.Window}");
        parts.Add(account is not null ? $"running as {account.Name}" : Privileges.IsRoot ? "running as root (--user root)" : "capabilities dropped");
        if (metrics is not null)
            parts.Add($"metrics on http://{MetricsListener.Format(metrics.Address)}/metrics");
        if (control is not null)
            parts.Add($"status from {control.Path}");
        if (options.DryRun)
            parts.Add("DRY RUN: nothing is sent");
        return string.Join("; ", parts);
    }

    /// <summary>What the signal handlers ask of the loop. The handlers run on the runtime's signal
    /// thread; they only set these flags and wake the loop.</summary>
    private sealed class SignalFlags(Action wake)
    {
        private volatile bool _stop;
        private int _reopen;
        private int _stats;

        public bool Stop => _stop;
        // A plain read first: the loop asks after every batch, and a locked exchange each time is waste.
        public bool TakeReopen() => Volatile.Read(ref _reopen) != 0 && Interlocked.Exchange(ref _reopen, 0) != 0;
        public bool TakeStats() => Volatile.Read(ref _stats) != 0 && Interlocked.Exchange(ref _stats, 0) != 0;

        public IDisposable Register()
        {
            var registrations = new List<PosixSignalRegistration>
            {
                PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle(() => _stop = true)),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle(() => _stop = true)),
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, Handle(() => Interlocked.Exchange(ref _reopen, 1))),
                // SIGUSR1 has no PosixSignal name; the raw number is accepted on Unix.
                PosixSignalRegistration.Create((PosixSignal)SIGUSR1, Handle(() => Interlocked.Exchange(ref _stats, 1))),
            };
            return new Registrations(registrations);
        }

        private Action<PosixSignalContext> Handle(Action action) => context =>
        {
            context.Cancel = true; // the loop ends the process in its own time, after the summary
            action();
            wake();
        };

        private sealed class Registrations(List<PosixSignalRegistration> all) : IDisposable
        {
            public void Dispose() => all.ForEach(r => r.Dispose());
        }
    }
}
