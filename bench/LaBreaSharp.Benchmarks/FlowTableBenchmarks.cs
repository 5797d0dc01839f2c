using BenchmarkDotNet.Attributes;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Benchmarks;

/// <summary>The flow table at 1,000,000 entries: insertion (which evicts, the table being full),
/// lookups that hit and miss, and the expiry sweep.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class FlowTableBenchmarks
{
    private const int Entries = 1_000_000;
    private const int Batch = 4096;

    private FlowTable _full = null!;
    private FlowTable _sweeping = null!;
    private FlowKey[] _present = null!;
    private FlowKey[] _fresh = null!;
    private int _nextPresent;
    private int _nextFresh;
    private uint _now = 10;

    private static FlowKey Key(long i)
    {
        var (source, port, target) = SyntheticFrames.Flow(i);
        return new FlowKey(source, target, port, 80);
    }

    [GlobalSetup]
    public void Setup()
    {
        _full = new FlowTable(Entries, seed: 1);
        _sweeping = new FlowTable(Entries, seed: 2);
        _present = new FlowKey[Entries];
        for (int i = 0; i < Entries; i++)
        {
            _present[i] = Key(i);
            _full.Add(_present[i], FlowState.SynAcked, 1);
            _sweeping.Add(_present[i], FlowState.SynAcked, 1);
        }
        _fresh = new FlowKey[4 * Entries];
        for (int i = 0; i < _fresh.Length; i++)
            _fresh[i] = Key(Entries + i);
        // Shuffle the lookups so they do not walk memory in insertion order.
        new Random(3).Shuffle(_present);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "insert into a full 1M table (evicts one)")]
    public void InsertEvicting()
    {
        _now++;
        for (int i = 0; i < Batch; i++)
        {
            var key = _fresh[_nextFresh];
            if (++_nextFresh == _fresh.Length)
                _nextFresh = 0;
            if (_full.Find(key) < 0)
                _full.Add(key, FlowState.SynAcked, _now);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "lookup, 1M entries (hits and misses)")]
    public int Lookup()
    {
        int found = 0;
        for (int i = 0; i < Batch; i++)
        {
            if (_sweeping.Find(_present[_nextPresent]) >= 0)
                found++;
            if (++_nextPresent == _present.Length)
                _nextPresent = 0;
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "expiry sweep, per slot, nothing idle")]
    public int Sweep() => _sweeping.Sweep(now: 2, idleSeconds: 3600, maxSlots: Batch);
}
