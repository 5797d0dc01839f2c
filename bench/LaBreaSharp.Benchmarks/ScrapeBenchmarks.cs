using BenchmarkDotNet.Attributes;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Monitoring;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace LaBreaSharp.Benchmarks;

/// <summary>What looking in costs the loop, with 10,000 and a million flows held in persist: the table walk
/// a scrape or a status request has the loop make (<see cref="TarpitEngine.Trapped"/>), and a whole
/// Prometheus scrape (the walk, then every metric set and written out as text).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ScrapeBenchmarks
{
    /// <summary>Flows held, in the default 1,048,576-flow table either way: the walk reads every slot.</summary>
    [Params(10_000, 1_000_000)]
    public int Flows { get; set; }
    private const long Second = TarpitConfiguration.Second;

    private TarpitEngine _engine = null!;
    private MetricsExporter _exporter = null!;
    private readonly MemoryStream _body = new();

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new TarpitConfiguration
        {
            HostIp = Ipv4Address.Parse("192.0.2.1"),
            HostMac = SyntheticFrames.HostMac,
            TarpitMac = SyntheticFrames.TarpitMac,
            HardCapture = [SyntheticFrames.Targets],
            TableSize = 1 << 20,
            StatsInterval = 0,
        };
        _engine = new TarpitEngine(configuration, DiscardingSink.Instance, NullEventSink.Instance, new RandomSource(2));
        long now = 1_700_000_000L * Second;
        uint Cookie(Ipv4Address s, ushort p, Ipv4Address t) => _engine.Cookie.For(new FlowKey(s, t, p, 80));
        var syns = SyntheticFrames.Syns(Flows);
        var data = SyntheticFrames.FirstData(Flows, Cookie);
        for (int i = 0; i < Flows; i++)
        {
            _engine.Process(syns[i], now + i * (Second / 1000)); // a thousand a second: first-seen times spread over 17 minutes
            _engine.Process(data[i], now + i * (Second / 1000));
        }
        if (_engine.Trapped(0).Total != Flows)
            throw new InvalidOperationException($"the setup did not trap {Flows} flows");
        _exporter = new MetricsExporter(() => new LiveSnapshot(_engine.Trapped(0), []));
    }

    [Benchmark(Description = "the loop's walk for a scrape: Trapped(0)")]
    public long WalkForScrape() => _engine.Trapped(0).Total;

    [Benchmark(Description = "the loop's walk for status: Trapped(20)")]
    public int WalkForStatus() => _engine.Trapped(20).Longest.Count;

    [Benchmark(Description = "a whole /metrics scrape")]
    public long Scrape()
    {
        _body.SetLength(0);
        _exporter.Registry.CollectAndExportAsTextAsync(_body).GetAwaiter().GetResult();
        return _body.Length;
    }

    [Benchmark(Description = "a whole status answer (walk + JSON), top 20")]
    public int StatusAnswer() => TrappedReport.ToJson(new LiveSnapshot(_engine.Trapped(20), [])).Length;
}
