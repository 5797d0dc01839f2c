using BenchmarkDotNet.Running;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Benchmarks;

public static class Program
{
    /// <summary>
    ///   LaBreaSharp.Benchmarks [BenchmarkDotNet arguments]    run benchmarks (e.g. --filter '*Engine*')
    ///   LaBreaSharp.Benchmarks generate-syns FILE COUNT [CIDR]  write COUNT SYNs from distinct sources to a pcap
    ///                                                           (with CIDR: each from its own address in it, as a spoofed flood)
    ///   LaBreaSharp.Benchmarks loop BENCHMARK SECONDS           run one engine benchmark's body in a loop, for perf
    ///   LaBreaSharp.Benchmarks flood-paced IFACE RATE SECONDS DSTMAC DSTIP [PORT]   an evenly paced SYN flood (lab only)
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "generate-syns")
        {
            Cidr spoofed = default;
            if (args.Length is < 3 or > 4 || !int.TryParse(args[2], out int count) || count < 1
                || (args.Length == 4 && (!Cidr.TryParse(args[3], out spoofed, out _) || spoofed.Size < (ulong)count)))
            {
                Console.Error.WriteLine("usage: generate-syns FILE COUNT [CIDR with at least COUNT addresses]");
                return 2;
            }
            return GenerateSyns(args[1], count, args.Length == 4 ? spoofed : null);
        }
        if (args.Length >= 1 && args[0] == "generate-banner-handshakes")
        {
            if (args.Length != 4 || !int.TryParse(args[2], out int flows) || flows < 1 || !ulong.TryParse(args[3], out ulong seed))
            {
                Console.Error.WriteLine("usage: generate-banner-handshakes FILE COUNT SEED");
                return 2;
            }
            return GenerateHandshakes(args[1], flows, seed);
        }
        if (args.Length >= 1 && args[0] == "flood-paced")
            return PacedFlood.Run(args);
        if (args.Length >= 1 && args[0] == "loop")
        {
            if (args.Length != 3 || !int.TryParse(args[2], out int seconds) || seconds < 1)
            {
                Console.Error.WriteLine("usage: loop syn|syn-cached|syn-batched|probe|probe-batched SECONDS");
                return 2;
            }
            return Loop(args[1], seconds);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>Runs one engine benchmark's body over and over for SECONDS, so that a sampling
    /// profiler (perf record with DOTNET_PerfMapEnabled=1) can see where the time goes.</summary>
    private static int Loop(string name, int seconds)
    {
        var benchmarks = new EngineBenchmarks();
        benchmarks.Setup();
        Action body = name switch
        {
            "syn" => benchmarks.SynToSynAck,
            "syn-cached" => benchmarks.SynToSynAckCached,
            "probe" => benchmarks.ProbeToAck,
            "syn-batched" => benchmarks.SynToSynAckBatched,
            "probe-batched" => benchmarks.ProbeToAckBatched,
            _ => null!,
        };
        if (body is null)
        {
            Console.Error.WriteLine($"unknown benchmark '{name}': syn, syn-cached, syn-batched, probe or probe-batched");
            return 2;
        }
        Console.Error.WriteLine($"looping {name} for {seconds} s");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            body();
            calls++;
        }
        double nanoseconds = clock.Elapsed.TotalNanoseconds / (calls * EngineBenchmarks.Batch);
        Console.WriteLine($"{name}: {nanoseconds:F1} ns a frame over {calls * EngineBenchmarks.Batch} frames");
        return 0;
    }

    /// <summary>COUNT SYNs, each from its own source 4-tuple, one microsecond apart, to 192.0.2.64/26
    /// with the tarpit's MAC as destination (replay them with --hard-capture 192.0.2.64/26 --mac 06:00:00:00:02:01).
    /// With <paramref name="spoofed"/>, each comes from its own address in that prefix: replayed with
    /// -n set to it, every source is a sign of life the claim rule must remember (or forget).
    /// The file is for offline replay only; nothing in it is ever sent.</summary>
    private static int GenerateSyns(string path, int count, Cidr? spoofed)
    {
        if (spoofed is { } sources)
            return GenerateSpoofedSyns(path, count, sources);
        const int chunk = 65_536;
        using var writer = CaptureFileWriter.Create(path);
        long start = 1_700_000_000L * 1_000_000_000L;
        for (int first = 0; first < count; first += chunk)
        {
            var frames = SyntheticFrames.Syns(Math.Min(chunk, count - first), firstFlow: first);
            for (int i = 0; i < frames.Count; i++)
                writer.Write(start + (first + i) * 1000L, frames[i]);
        }
        Console.WriteLine($"wrote {count} SYNs to {path}");
        return 0;
    }

    /// <summary>COUNT handshakes (SYN, then the ACK of the SYN-ACK a tarpit started with --seed SEED
    /// sends), each its own flow, to port 80 of 192.0.2.64/26: replayed with --banner 80=http, each
    /// becomes a banner conversation. The cookie key is drawn as the engine draws it, first from the
    /// seeded source. For offline replay only.</summary>
    private static int GenerateHandshakes(string path, int count, ulong seed)
    {
        var cookie = Core.Tarpit.SynCookie.FromRandom(new Core.Tarpit.RandomSource(seed));
        using var writer = CaptureFileWriter.Create(path);
        long start = 1_700_000_000L * 1_000_000_000L;
        var frame = new byte[SyntheticFrames.PlainFrame];
        var link = new LinkAddressing(SyntheticFrames.TarpitMac, SyntheticFrames.AttackerMac, default);
        for (int i = 0; i < count; i++)
        {
            var (source, port, target) = SyntheticFrames.Flow(i);
            int length = FrameWriter.WriteTcp(frame, link, source, target, 1, 64, port, 80, 1000, 0, TcpFlags.Syn, 64240);
            writer.Write(start + i * 2000L, frame.AsSpan(0, length));
            uint isn = cookie.For(new Core.Flows.FlowKey(source, target, port, 80));
            length = FrameWriter.WriteTcp(frame, link, source, target, 2, 64, port, 80, 1001, isn + 1, TcpFlags.Ack, 64240);
            writer.Write(start + i * 2000L + 1000, frame.AsSpan(0, length));
        }
        Console.WriteLine($"wrote {count} handshakes to {path}");
        return 0;
    }

    private static int GenerateSpoofedSyns(string path, int count, Cidr sources)
    {
        using var writer = CaptureFileWriter.Create(path);
        long start = 1_700_000_000L * 1_000_000_000L;
        var frame = new byte[SyntheticFrames.PlainFrame];
        var link = new LinkAddressing(SyntheticFrames.TarpitMac, SyntheticFrames.AttackerMac, default);
        for (int i = 0; i < count; i++)
        {
            var source = new Ipv4Address(sources.First.Value + 1 + (uint)i);
            var target = new Ipv4Address(SyntheticFrames.Targets.First.Value + 1 + (uint)(i % 62));
            int length = FrameWriter.WriteTcp(frame, link, source, target, 1, 64, 40000, 80, 1000, 0, TcpFlags.Syn, 64240);
            writer.Write(start + i * 1000L, frame.AsSpan(0, length));
        }
        Console.WriteLine($"wrote {count} SYNs from distinct sources in {sources} to {path}");
        return 0;
    }
}
