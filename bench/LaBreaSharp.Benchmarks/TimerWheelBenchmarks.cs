using BenchmarkDotNet.Attributes;
using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Benchmarks;

/// <summary>The timer wheel with 1,000,000 timers armed, each re-armed 10 s ± 1 s on when it fires
/// (as a banner flow arms its next line), so about 100,000 fire a second: re-arming one timer, and
/// the engine's steady round of advancing a millisecond, taking what is due and re-arming it.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class TimerWheelBenchmarks
{
    private const int Timers = 1_000_000;
    private const int Batch = 4096;
    private const long Millisecond = TimerWheel.TickNanoseconds;
    private const long Second = 1000 * Millisecond;

    private TimerWheel _rearming = null!;
    private TimerWheel _firing = null!;
    private int[] _ids = null!;
    private long[] _jitter = null!;
    private int _next;
    private long _rearmingNow = 1_700_000_000 * Second;
    private long _firingNow = 1_700_000_000 * Second;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _rearming = new TimerWheel(Timers, _rearmingNow);
        _firing = new TimerWheel(Timers, _firingNow);
        for (int i = 0; i < Timers; i++)
        {
            long deadline = _firingNow + random.NextInt64(1, 10 * Second);
            _rearming.Arm(i, deadline);
            _firing.Arm(i, deadline);
        }
        // Drawn beforehand, so that the benchmarks time the wheel and not the generator.
        _ids = new int[1 << 20];
        _jitter = new long[1 << 20];
        for (int i = 0; i < _ids.Length; i++)
        {
            _ids[i] = random.Next(Timers);
            _jitter[i] = random.NextInt64(-Second, Second);
        }
    }

    private long NextJitter(out int id)
    {
        id = _ids[_next];
        long jitter = _jitter[_next];
        _next = (_next + 1) & (_ids.Length - 1);
        return jitter;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "re-arm a random timer 10 s on, 1M armed")]
    public void Rearm()
    {
        // The clock creeps on as it would between packets, keeping the distances realistic.
        _rearmingNow += 10_000;
        _rearming.Advance(_rearmingNow);
        for (int i = 0; i < Batch; i++)
        {
            long jitter = NextJitter(out int id);
            _rearming.Arm(id, _rearmingNow + 10 * Second + jitter);
        }
        while (_rearming.TryTakeDue(out int due))
            _rearming.Arm(due, _rearmingNow + 10 * Second);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "advance 1 ms, take and re-arm, per timer fired (100k/s)")]
    public void AdvanceAndTake()
    {
        // Exactly Batch timers a call: what is left due waits for the next call.
        for (int taken = 0; taken < Batch;)
        {
            if (!_firing.TryTakeDue(out int id))
            {
                _firingNow += Millisecond;
                _firing.Advance(_firingNow);
                continue;
            }
            _firing.Arm(id, _firingNow + 10 * Second + NextJitter(out _));
            taken++;
        }
    }
}
