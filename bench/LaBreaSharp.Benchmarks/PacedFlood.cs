using System.Diagnostics;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Benchmarks;

/// <summary>A SYN flood at an even rate, for the lab: trafgen's --rate sends each second's frames
/// in one burst at line rate, which measures how a tarpit drains a queue more than how it keeps up
/// with a rate. This one sends what is due every 100 µs (a few frames at a time, one sendmmsg),
/// spinning in between. Sources are 198.51.100.0/24 with random ports and sequence numbers; the
/// destination must be a documentation address. Bounded by a count and by time.</summary>
public static class PacedFlood
{
    private static readonly Cidr[] Allowed = [Cidr.Parse("192.0.2.0/24"), Cidr.Parse("198.51.100.0/24"), Cidr.Parse("203.0.113.0/24")];

    /// <summary>flood-paced IFACE RATE SECONDS DSTMAC DSTIP [DSTPORT]</summary>
    public static int Run(string[] args)
    {
        if (args.Length is < 6 or > 7
            || !int.TryParse(args[2], out int rate) || rate is < 1 or > 2_000_000
            || !double.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out double seconds) || seconds is <= 0 or > 60
            || !MacAddress.TryParse(args[4], out var destinationMac)
            || !Ipv4Address.TryParse(args[5], out var destination)
            || (args.Length == 7 && !ushort.TryParse(args[6], out _)))
        {
            Console.Error.WriteLine("usage: flood-paced IFACE RATE(1-2000000) SECONDS(<=60) DSTMAC DSTIP [DSTPORT]");
            return 2;
        }
        if (!Allowed.Any(c => c.Contains(destination)))
        {
            Console.Error.WriteLine($"flood-paced: {destination} is not a documentation address (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)");
            return 2;
        }
        ushort port = args.Length == 7 ? ushort.Parse(args[6]) : (ushort)80;
        long total = (long)(rate * seconds);

        using var capture = LiveCapture.Open(args[1], new LiveCaptureOptions { BufferSizeBytes = 1 << 20, Promiscuous = false });
        capture.SetFilter("ether proto 0x88b5"); // receive nothing: this handle only sends
        var sender = new FrameSender(capture, capacity: 64, slotLength: 128);
        var source = MacAddress.Parse("02:00:00:00:02:02");
        var link = new LinkAddressing(destinationMac, source, default);
        var random = new Random(1);
        Span<byte> frame = stackalloc byte[128];
        uint sourceBase = Ipv4Address.Parse("198.51.100.0").Value;

        double ticksPerFrame = (double)Stopwatch.Frequency / rate;
        long tick = Stopwatch.Frequency / 10_000; // 100 µs
        var clock = Stopwatch.StartNew();
        long sent = 0;
        long next = 0;
        while (sent < total)
        {
            long now = clock.ElapsedTicks;
            if (now < next)
            {
                Thread.SpinWait(20);
                continue;
            }
            next = now + tick;
            // After a stall (the VM descheduled), catch up at most a millisecond's worth per tick
            // rather than in one burst at line rate.
            long due = Math.Min(total, Math.Min((long)(now / ticksPerFrame) + 1, sent + Math.Max(64, rate / 1000)));
            for (; sent < due; sent++)
            {
                var from = new Ipv4Address(sourceBase + (uint)random.Next(1, 255));
                int length = FrameWriter.WriteTcp(frame, link, from, destination, (ushort)random.Next(), 64,
                    (ushort)random.Next(1024, 65536), port, (uint)random.Next() * 2u, 0, TcpFlags.Syn, 1024);
                sender.Enqueue(frame[..length]);
            }
            sender.Flush();
            if (clock.Elapsed.TotalSeconds > seconds * 2 + 5)
                break; // the machine cannot keep up: stop anyway, and say so below
        }
        sender.Flush();
        double elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"sent {sender.Sent} SYNs in {elapsed:F2} s ({sender.Sent / elapsed:F0}/s, asked {rate}/s), {sender.Failures} refused{(sender.LastFailure is { } f ? $" ({f})" : "")}");
        return sender.Sent == total ? 0 : 1;
    }
}
