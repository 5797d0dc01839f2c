using BenchmarkDotNet.Attributes;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Benchmarks;

/// <summary>What a stealth SYN-ACK costs against a classic one: the same Linux SYNs (with MSS,
/// SACK-permitted, timestamps and window scale) to port 80, named by a rule so that it is open on
/// every stealth address, one engine per profile, each with the default 1M-flow table and with a
/// table that stays in cache. Stealth adds the personality's hash (one SipHash per address, the
/// last remembered), parsing the SYN's options, writing 20 bytes of them, and the retransmission
/// pool (full after the first 4,096, so a flood is counted, not queued).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ProfileBenchmarks
{
    private const int Batch = EngineBenchmarks.Batch;
    private const long Second = TarpitConfiguration.Second;

    private TarpitEngine _classic = null!, _stealth = null!, _classicCached = null!, _stealthCached = null!;
    private SyntheticFrames _syns = null!;
    private int _nextClassic, _nextStealth, _nextClassicCached, _nextStealthCached;
    private long _now = 1_700_000_000L * Second;

    private static TarpitConfiguration Configuration(TarpitProfile profile, int tableSize) => new()
    {
        HostIp = Ipv4Address.Parse("192.0.2.1"),
        HostMac = SyntheticFrames.HostMac,
        TarpitMac = SyntheticFrames.TarpitMac,
        HardCapture = [SyntheticFrames.Targets],
        TableSize = tableSize,
        StatsInterval = 0,
        Profile = profile,
        Ports = PortMap.Build(new PortPolicy(TcpBehaviour.ClosedPort), [(PortSet.Parse("80"), new PortPolicy(TcpBehaviour.Persist))]),
    };

    [GlobalSetup]
    public void Setup()
    {
        _syns = SyntheticFrames.LinuxSyns(4 << 20);
        TarpitEngine Make(TarpitProfile profile, int table) =>
            new(Configuration(profile, table), DiscardingSink.Instance, NullEventSink.Instance, new RandomSource(1));
        _classic = Make(TarpitProfile.Classic, 1 << 20);
        _stealth = Make(TarpitProfile.Stealth, 1 << 20);
        _classicCached = Make(TarpitProfile.Classic, 1024);
        _stealthCached = Make(TarpitProfile.Stealth, 1024);
    }

    private int Run(TarpitEngine engine, int next)
    {
        _now += Second / 1000;
        for (int i = 0; i < Batch; i++)
        {
            engine.Process(_syns[next], _now);
            if (++next == _syns.Count)
                next = 0;
        }
        return next;
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true, Description = "classic SYN -> SYN-ACK, Linux SYN options, 1M-flow table")]
    public void Classic() => _nextClassic = Run(_classic, _nextClassic);

    [Benchmark(OperationsPerInvoke = Batch, Description = "stealth SYN -> SYN-ACK, Linux SYN options, 1M-flow table")]
    public void Stealth() => _nextStealth = Run(_stealth, _nextStealth);

    [Benchmark(OperationsPerInvoke = Batch, Description = "classic SYN -> SYN-ACK, Linux SYN options, table in cache")]
    public void ClassicCached() => _nextClassicCached = Run(_classicCached, _nextClassicCached);

    [Benchmark(OperationsPerInvoke = Batch, Description = "stealth SYN -> SYN-ACK, Linux SYN options, table in cache")]
    public void StealthCached() => _nextStealthCached = Run(_stealthCached, _nextStealthCached);
}
