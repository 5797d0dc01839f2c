using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

// labreasharp A/B: the engine benchmarks of two builds (say, main and the commit before a change),
// each loaded into its own AssemblyLoadContext, set up once, then run in alternating slices of a
// few hundred milliseconds in one process. This VM's speed drifts by a third over minutes; two
// builds measured minutes apart compare the drift as much as the code, while slices a fraction
// of a second apart see the same machine. Prints each side's ns per frame over all its slices,
// and the ratio of each pair of slices (median and quartiles).
//
//   dotnet LaBreaSharp.AbHarness.dll BENCH_DIR_A BENCH_DIR_B METHOD SECONDS
//   (BENCH_DIR: a built bench/LaBreaSharp.Benchmarks/bin/Release/net10.0; METHOD: e.g. SynToSynAckBatched)
if (args.Length != 4 || !int.TryParse(args[3], out int seconds))
{
    Console.Error.WriteLine("usage: BENCH_DIR_A BENCH_DIR_B METHOD SECONDS");
    return 2;
}
var a = Side.Load("A", args[0], args[2]);
var b = Side.Load("B", args[1], args[2]);
const int FramesPerCall = 4096; // EngineBenchmarks.Batch
var ratios = new List<double>();
var clock = Stopwatch.StartNew();
// Warm both up (tiering, PGO) before measuring anything.
for (int i = 0; i < 3_000; i++)
{
    a.Call();
    b.Call();
}
while (clock.Elapsed.TotalSeconds < seconds)
{
    double ta = a.Slice(60), tb = b.Slice(60);
    ratios.Add(tb / ta);
}
ratios.Sort();
double Quantile(double q) => ratios[(int)Math.Min(ratios.Count - 1, q * ratios.Count)];
Console.WriteLine($"{args[2]}: A {a.NanosecondsPerFrame(FramesPerCall):F1} ns, B {b.NanosecondsPerFrame(FramesPerCall):F1} ns a frame; " +
    $"B/A per slice pair: median {Quantile(0.5):F3} (quartiles {Quantile(0.25):F3}-{Quantile(0.75):F3}) over {ratios.Count} pairs");
return 0;

sealed class Side
{
    private readonly Action _call;
    private long _calls;
    private double _elapsedNs;

    private Side(Action call) => _call = call;

    public static Side Load(string name, string directory, string method)
    {
        var context = new DirectoryContext(name, Path.GetFullPath(directory));
        var assembly = context.LoadFromAssemblyPath(Path.Combine(Path.GetFullPath(directory), "LaBreaSharp.Benchmarks.dll"));
        var type = assembly.GetType("LaBreaSharp.Benchmarks.EngineBenchmarks", throwOnError: true)!;
        object benchmarks = Activator.CreateInstance(type)!;
        type.GetMethod("Setup")!.Invoke(benchmarks, null);
        var call = type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"no benchmark method {method}");
        return new Side(call.CreateDelegate<Action>(benchmarks));
    }

    public void Call() => _call();

    /// <summary>Runs calls for about <paramref name="milliseconds"/>; returns ns per call.</summary>
    public double Slice(int milliseconds)
    {
        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < milliseconds)
        {
            _call();
            calls++;
        }
        double ns = clock.Elapsed.TotalNanoseconds;
        _calls += calls;
        _elapsedNs += ns;
        return ns / calls;
    }

    public double NanosecondsPerFrame(int framesPerCall) => _elapsedNs / (_calls * framesPerCall);

    private sealed class DirectoryContext(string name, string directory) : AssemblyLoadContext(name)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
