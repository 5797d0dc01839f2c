using BenchmarkDotNet.Attributes;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Benchmarks;

/// <summary>The engine, one frame at a time, as the live loop drives it, with a table already
/// holding 1,000,000 flows. Each benchmark processes a batch of distinct frames per invocation.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class EngineBenchmarks
{
    private const int TableFlows = 1_000_000;
    internal const int Batch = 4096;
    private const long Second = TarpitConfiguration.Second;

    private TarpitEngine _synEngine = null!;
    private TarpitEngine _cachedEngine = null!;
    private TarpitEngine _probeEngine = null!;
    private SyntheticFrames _newSyns = null!;
    private SyntheticFrames _probes = null!;
    private SyntheticFrames _arp = null!;
    private byte[] _malformed = null!;
    private int _nextSyn;
    private int _nextProbe;
    private int _nextArp;
    private long _now = 1_700_000_000L * Second;

    private static TarpitConfiguration Configuration => new()
    {
        HostIp = Ipv4Address.Parse("192.0.2.1"),
        HostMac = SyntheticFrames.HostMac,
        TarpitMac = SyntheticFrames.TarpitMac,
        HardCapture = [SyntheticFrames.Targets],
        TableSize = 1 << 20, // 1,048,576: the default
        StatsInterval = 0,
    };

    [GlobalSetup]
    public void Setup()
    {
        // SYN → SYN-ACK: the table holds a million flows; the frames that follow are new flows,
        // four million of them, more than the table can hold, so each is new when it comes round.
        _synEngine = new TarpitEngine(Configuration, DiscardingSink.Instance, NullEventSink.Instance, new RandomSource(1));
        var prefill = SyntheticFrames.Syns(TableFlows);
        for (int i = 0; i < prefill.Count; i++)
            _synEngine.Process(prefill[i], _now);
        _newSyns = SyntheticFrames.Syns(4 * TableFlows, firstFlow: TableFlows);
        // The same path with a table small enough to stay in cache: what the work costs without the DRAM miss.
        _cachedEngine = new TarpitEngine(Configuration with { TableSize = 1024 }, DiscardingSink.Instance, NullEventSink.Instance, new RandomSource(3));

        // Probe → ACK: a million flows trapped in persist state, each then probing.
        _probeEngine = new TarpitEngine(Configuration, DiscardingSink.Instance, NullEventSink.Instance, new RandomSource(2));
        uint Cookie(Ipv4Address s, ushort p, Ipv4Address t) => _probeEngine.Cookie.For(new FlowKey(s, t, p, 80));
        var data = SyntheticFrames.FirstData(TableFlows, Cookie);
        for (int i = 0; i < prefill.Count; i++)
        {
            _probeEngine.Process(prefill[i], _now);
            _probeEngine.Process(data[i], _now);
        }
        _probes = SyntheticFrames.Probes(TableFlows, Cookie);
        _arp = SyntheticFrames.ArpRequests(62);
        _malformed = prefill[0][..30].ToArray(); // the IPv4 header says 40 bytes; 16 are there
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "SYN -> SYN-ACK, new flow, 1M-flow table")]
    public void SynToSynAck()
    {
        _now += Second / 1000;
        _nextSyn = RunOneByOne(_synEngine, _newSyns, _nextSyn);
    }

    /// <summary>As the live loop runs it: frames come in groups of up to <see cref="LiveBatch"/> (what
    /// one wake-up finds in the capture ring under load); each group is prefetched, then processed.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "SYN -> SYN-ACK, new flow, 1M-flow table, prefetched batches of 32")]
    public void SynToSynAckBatched() => _nextSyn = RunBatched(_synEngine, _newSyns, _nextSyn);

    [Benchmark(OperationsPerInvoke = Batch, Description = "persist probe -> window-0 ACK, 1M flows, prefetched batches of 32")]
    public void ProbeToAckBatched() => _nextProbe = RunBatched(_probeEngine, _probes, _nextProbe);

    internal const int LiveBatch = 32;

    /// <summary>As a loop without batching would: <see cref="Batch"/> frames, one after the other,
    /// going round <paramref name="frames"/>; returns where to start next time.</summary>
    private int RunOneByOne(TarpitEngine engine, SyntheticFrames frames, int next)
    {
        for (int i = 0; i < Batch; i++)
        {
            engine.Process(frames[next], _now);
            if (++next == frames.Count)
                next = 0;
        }
        return next;
    }

    private int RunBatched(TarpitEngine engine, SyntheticFrames frames, int next)
    {
        _now += Second / 1000;
        for (int done = 0; done < Batch; done += LiveBatch)
        {
            if (next + LiveBatch > frames.Count)
                next = 0;
            for (int i = 0; i < LiveBatch; i++)
                engine.Prefetch(frames[next + i]);
            for (int i = 0; i < LiveBatch; i++)
                engine.Process(frames[next + i], _now);
            next += LiveBatch;
        }
        return next;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "SYN -> SYN-ACK, new flow, 1,024-flow table (in cache)")]
    public void SynToSynAckCached()
    {
        _now += Second / 1000;
        _nextSyn = RunOneByOne(_cachedEngine, _newSyns, _nextSyn);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "persist probe -> window-0 ACK, 1M flows")]
    public void ProbeToAck()
    {
        _now += Second / 1000;
        _nextProbe = RunOneByOne(_probeEngine, _probes, _nextProbe);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "ARP request for a claimed address -> reply")]
    public void ArpReply() => _nextArp = RunOneByOne(_probeEngine, _arp, _nextArp);

    [Benchmark(OperationsPerInvoke = Batch, Description = "malformed frame -> counted drop")]
    public void Malformed()
    {
        for (int i = 0; i < Batch; i++)
            _probeEngine.Process(_malformed, _now);
    }
}

/// <summary>Where the benchmarked engines' replies go: nowhere (the engine has written them already).</summary>
internal sealed class DiscardingSink : IFrameSink
{
    public static readonly DiscardingSink Instance = new();
    public void Send(ReadOnlySpan<byte> frame, long time) { }
}
