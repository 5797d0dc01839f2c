using BenchmarkDotNet.Running;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Benchmarks;

public static class Program
{
    /// <summary>
    ///   LaBreaSharp.Benchmarks [BenchmarkDotNet arguments]    run benchmarks (e.g. --filter '*Engine*')
    ///   LaBreaSharp.Benchmarks generate-syns FILE COUNT         write COUNT SYNs from distinct sources to a pcap
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "generate-syns")
        {
            if (args.Length != 3 || !int.TryParse(args[2], out int count) || count < 1)
            {
                Console.Error.WriteLine("usage: generate-syns FILE COUNT");
                return 2;
            }
            return GenerateSyns(args[1], count);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>COUNT SYNs, each from its own source 4-tuple, one microsecond apart, to 192.0.2.64/26
    /// with the tarpit's MAC as destination (replay them with --hard-capture 192.0.2.64/26 --mac 06:00:00:00:02:01).</summary>
    private static int GenerateSyns(string path, int count)
    {
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
}
