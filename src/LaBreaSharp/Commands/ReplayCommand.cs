using System.Runtime.InteropServices;
using LaBreaSharp.Cli;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Commands;

/// <summary><c>labreasharp replay -r IN -w OUT</c>: the engine on a capture file, its clock the
/// file's timestamps, its replies written where they would have been sent.</summary>
public static class ReplayCommand
{
    public static int Run(ReplayOptions options, TextWriter output, TextWriter error)
    {
        var host = Identity(options);
        // The replay stands where the recorded host stood: its space is answered at whatever MAC the frames went to.
        var configuration = ConfigurationBuilder.Build(options, host, "--my-ip", w => error.WriteLine("labreasharp: warning: " + w)) with { StandIn = true };
        var random = options.Seed is { } seed ? new RandomSource(seed) : RandomSource.FromEntropy();
        OutputFiles.RefuseClashes([("-r", options.Read), ("--config", options.Config), ("--labrea-conf", options.LabreaConf)],
            [("-w", options.Write), ("--merged", options.Merged), ("--log-file", options.LogFile)]);

        var reader = CaptureFiles.OpenForReading(options.Read);
        using (reader)
        {
            if (!reader.IsEthernet)
                throw new UsageException($"'{options.Read}' holds {LinkTypes.Describe(reader.LinkType)}, not Ethernet frames; only Ethernet captures can be replayed");
            using var log = new EventLog(options.LogOptions() with { BlockWhenFull = true }, output, error); // a replay loses no line
            using var replies = CaptureFiles.CreateForWriting(options.Write, WriteLoss.Frames($"the capture file '{options.Write}'", error));
            using var merged = options.Merged is null ? null
                : CaptureFiles.CreateForWriting(options.Merged, WriteLoss.Frames($"the capture file '{options.Merged}'", error));
            var sink = new RecordingSink(replies, merged);
            var engine = new TarpitEngine(configuration, sink, log, random);

            using var interrupt = Interrupt.Register();
            try
            {
                while (!interrupt.Requested && reader.Read(out var frame) == ReceiveStatus.Frame)
                {
                    // Timers due before this frame run at their own times, as they would have live:
                    // a banner line leaves at its deadline, not with whatever frame comes next.
                    for (long due = engine.NextDeadline; due <= frame.TimestampNanoseconds && due > engine.Now; due = engine.NextDeadline)
                        engine.Advance(due);
                    merged?.Write(frame.TimestampNanoseconds, frame.Data, frame.OriginalLength);
                    engine.Process(frame.Data, frame.TimestampNanoseconds);
                }
            }
            catch (PcapException e)
            {
                Flush(log, replies, merged);
                // The frames before the damage were replayed and written; the file is still at fault (exit 2).
                error.WriteLine(ErrorText.Shorten($"labreasharp: '{options.Read}' is damaged after frame {engine.Counters.FramesRead}: {e.Message}"));
                SummaryWriter.Write(error, engine.Counters, SummaryWriter.Losses(log, replies, merged));
                return ExitCodes.Usage;
            }
            Flush(log, replies, merged);
            if (interrupt.Signal is { } signal)
                error.WriteLine($"labreasharp: interrupted by {signal.Name} after frame {engine.Counters.FramesRead}; the output holds the replies up to it");
            SummaryWriter.Write(error, engine.Counters, SummaryWriter.Losses(log, replies, merged));
            return interrupt.Signal is { } stop ? stop.ExitCode : SummaryWriter.ExitCode(log, ExitCodes.Success, replies, merged);
        }
    }

    /// <summary>SIGINT or SIGTERM during a replay: the loop stops after the frame in hand, so the output
    /// is flushed whole and the summary printed, and the exit code is the shell's 128 + the signal's
    /// number. A second signal is not caught: it ends the process at once (a read from a pipe that
    /// never ends would otherwise hold it).</summary>
    private sealed class Interrupt : IDisposable
    {
        private readonly List<PosixSignalRegistration> _registrations = [];
        private volatile StopSignal? _signal;

        public sealed record StopSignal(string Name, int ExitCode);

        public bool Requested => _signal is not null;
        public StopSignal? Signal => _signal;

        public static Interrupt Register()
        {
            var interrupt = new Interrupt();
            interrupt._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => interrupt.Take(c, new("SIGINT", ExitCodes.Sigint))));
            interrupt._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => interrupt.Take(c, new("SIGTERM", ExitCodes.Sigterm))));
            return interrupt;
        }

        private void Take(PosixSignalContext context, StopSignal signal)
        {
            if (_signal is not null)
                return; // the second: not cancelled, so the default action ends the process
            _signal = signal;
            context.Cancel = true;
        }

        public void Dispose() => _registrations.ForEach(r => r.Dispose());
    }

    /// <summary>Everything out before the summary, so that what a last write lost is in it.</summary>
    private static void Flush(EventLog log, CaptureFileWriter replies, CaptureFileWriter? merged)
    {
        log.Flush();
        replies.Flush();
        merged?.Flush();
    }

    private static HostIdentity Identity(ReplayOptions options)
    {
        if (!MacAddress.TryParse(options.MyMac, out var mac) || mac.IsGroup || mac.Value == 0)
            throw new UsageException($"--my-mac '{options.MyMac}' is not a unicast MAC address");
        if (options.MyIp is null)
            return new HostIdentity(null, null, mac);
        int slash = options.MyIp.IndexOf('/');
        var ipText = slash < 0 ? options.MyIp : options.MyIp[..slash];
        if (!Ipv4Address.TryParse(ipText, out var ip))
            throw new UsageException($"--my-ip '{options.MyIp}' is not an IPv4 address (expected a.b.c.d or a.b.c.d/len)");
        int? length = null;
        if (slash >= 0)
        {
            if (!int.TryParse(options.MyIp[(slash + 1)..], out int parsed) || parsed is < 0 or > 32)
                throw new UsageException($"--my-ip '{options.MyIp}' has a bad prefix length (0 to 32)");
            length = parsed;
        }
        SpaceChecks.CheckHostAddress(ip, length, options.MyIp);
        return new HostIdentity(ip, length, mac);
    }
}
