using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tests.Flows;

/// <summary>The wheel on small cases, a behaviour a test; the runs with many timers are in
/// TimerWheelTests.AtScale.cs.</summary>
public partial class TimerWheelTests
{
    private const long Tick = TimerWheel.TickNanoseconds;
    private const long Second = 1_000_000_000;
    private const long Day = 86_400 * Second;
    /// <summary>A pcap-like origin: Unix-epoch nanoseconds, a whole tick.</summary>
    private const long Origin = 1_700_000_000 * Second;

    /// <summary>The moment a (positive) deadline is due: rounded up to a whole tick.</summary>
    private static long DueAt(long deadline) => (deadline + Tick - 1) / Tick * Tick;

    [Fact]
    public void Cancelled_timers_never_fire_even_when_already_due_and_Count_follows()
    {
        const int timers = 10_000;
        var wheel = new TimerWheel(timers, Origin);
        var random = new Random(21);
        var cancelled = new bool[timers];
        for (int i = 0; i < timers; i++)
            wheel.Arm(i, Origin + random.NextInt64(1, 2 * Day));
        int armed = timers;
        for (int i = 0; i < timers; i += 3)
        {
            Assert.True(wheel.Cancel(i));
            Assert.False(wheel.Cancel(i));
            Assert.False(wheel.IsArmed(i));
            cancelled[i] = true;
            Assert.Equal(--armed, wheel.Count);
        }

        // Due but not taken: cancelling them must still keep them from being handed out.
        wheel.Advance(Origin + Day);
        for (int i = 1; i < timers; i += 3)
        {
            if (wheel.DeadlineOf(i) <= Origin + Day)
            {
                Assert.True(wheel.Cancel(i));
                cancelled[i] = true;
                Assert.Equal(--armed, wheel.Count);
            }
        }
        wheel.Advance(Origin + 3 * Day);
        int fired = 0;
        while (wheel.TryTakeDue(out int id))
        {
            Assert.False(cancelled[id]);
            Assert.False(wheel.Cancel(id));
            fired++;
            Assert.Equal(--armed, wheel.Count);
        }
        Assert.Equal(timers - cancelled.Count(c => c), fired);
        Assert.InRange(cancelled.Count(c => c), timers / 3 + 1000, timers * 2 / 3);
        Assert.Equal(0, wheel.Count);
        Assert.Equal(long.MaxValue, wheel.NextDeadline);
    }

    [Fact]
    public void Rearming_earlier_or_later_fires_once_at_the_new_deadline()
    {
        var wheel = new TimerWheel(2, Origin);
        wheel.Arm(0, Origin + 10 * Second);
        wheel.Arm(1, Origin + 10 * Second);
        wheel.Arm(0, Origin + 5 * Second);
        wheel.Arm(1, Origin + 20 * Second);
        Assert.Equal(2, wheel.Count);
        Assert.Equal(Origin + 20 * Second, wheel.DeadlineOf(1));
        Assert.Equal([(0, Origin + 5 * Second), (1, Origin + 20 * Second)], FireTimes(wheel, Origin + 60 * Second, Tick));
    }

    [Fact]
    public void Rearming_a_due_timer_before_it_is_taken_waits_for_its_new_deadline()
    {
        var wheel = new TimerWheel(3, Origin);
        for (int i = 0; i < 3; i++)
            wheel.Arm(i, Origin + Second);
        wheel.Advance(Origin + 2 * Second);
        wheel.Arm(0, Origin + 30 * Second);
        wheel.Arm(1, Origin + 2 * Second + 500);
        Assert.Equal(3, wheel.Count);
        Assert.True(wheel.TryTakeDue(out int id));
        Assert.Equal(2, id);
        Assert.False(wheel.TryTakeDue(out _));
        Assert.Equal([(1, Origin + 2 * Second + Tick), (0, Origin + 30 * Second)], FireTimes(wheel, Origin + 60 * Second, Tick));
    }

    /// <summary>Advances by <paramref name="step"/> up to <paramref name="end"/>, taking after each
    /// Advance: the id and the time of the Advance that handed it out, in order.</summary>
    private static List<(int Id, long At)> FireTimes(TimerWheel wheel, long end, long step)
    {
        var fires = new List<(int, long)>();
        for (long now = Origin; now <= end; now += step)
        {
            wheel.Advance(now);
            while (wheel.TryTakeDue(out int id))
                fires.Add((id, now));
        }
        return fires;
    }

    [Fact]
    public void Far_deadlines_fire_on_time_and_the_farthest_never_within_300_days()
    {
        var wheel = new TimerWheel(3, Origin);
        long sixty = Origin + 60 * Day + 7 * Tick + 1;
        long twoHundred = Origin + 200 * Day + 3 * Second;
        wheel.Arm(0, sixty);
        wheel.Arm(1, twoHundred);
        wheel.Arm(2, long.MaxValue / 2);
        var fires = new List<(int Id, long At)>();
        var random = new Random(2);
        // Steps of up to two hours, with a stop a nanosecond before each deadline's tick and one on it.
        long[] stops = [DueAt(sixty) - 1, DueAt(sixty), DueAt(twoHundred) - 1, DueAt(twoHundred)];
        for (long now = Origin; now < Origin + 300 * Day;)
        {
            long next = now + random.NextInt64(1, 2 * 3600 * Second);
            foreach (long stop in stops)
            {
                if (stop > now && stop < next)
                    next = stop;
            }
            now = next;
            wheel.Advance(now);
            while (wheel.TryTakeDue(out int id))
                fires.Add((id, now));
        }
        Assert.Equal([(0, DueAt(sixty)), (1, DueAt(twoHundred))], fires);
        Assert.True(wheel.IsArmed(2));
        Assert.Equal(1, wheel.Count);
    }

    [Fact]
    public void Huge_jumps_finish_and_fire_exactly_what_is_due()
    {
        // A wheel that stepped through the ticks would take hours over a hundred days, and
        // forever to the end of time.
        var wheel = new TimerWheel(1000, 0);
        var random = new Random(6);
        var deadlines = new long[1000];
        for (int i = 0; i < deadlines.Length; i++)
        {
            deadlines[i] = i % 10 == 0 ? random.NextInt64(long.MaxValue / 4, long.MaxValue / 2) : random.NextInt64(0, 200 * Day);
            wheel.Arm(i, deadlines[i]);
        }
        long[] stops = [100 * Day, 200 * Day, long.MaxValue / 3, long.MaxValue - 2 * Tick];
        var fired = new bool[deadlines.Length];
        long previous = -1;
        foreach (long now in stops)
        {
            wheel.Advance(now);
            while (wheel.TryTakeDue(out int id))
            {
                Assert.InRange(DueAt(deadlines[id]), previous + 1, now);
                fired[id] = true;
            }
            for (int i = 0; i < deadlines.Length; i++)
                Assert.Equal(DueAt(deadlines[i]) <= now, fired[i]);
            previous = now;
        }
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void A_deadline_in_the_past_is_due_at_the_next_Advance()
    {
        var wheel = new TimerWheel(1, Origin);
        wheel.Advance(Origin + 5 * Second);
        wheel.Arm(0, Origin + Second);
        Assert.False(wheel.TryTakeDue(out _));
        Assert.True(wheel.NextDeadline <= Origin + 5 * Second);
        wheel.Advance(Origin + 5 * Second);
        Assert.True(wheel.TryTakeDue(out int id));
        Assert.Equal(0, id);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Advance_to_an_earlier_time_does_nothing()
    {
        var wheel = new TimerWheel(2, Origin);
        wheel.Arm(0, Origin + 5 * Tick);
        wheel.Advance(Origin + 3 * Tick);
        wheel.Arm(1, Origin + 2 * Tick + 1);
        wheel.Advance(Origin + Tick);
        Assert.False(wheel.TryTakeDue(out _));
        wheel.Advance(Origin + 10 * Tick);
        wheel.Advance(Origin + 4 * Tick);
        Assert.True(wheel.TryTakeDue(out int first));
        Assert.True(wheel.TryTakeDue(out int second));
        Assert.Equal((1, 0), (first, second));
        // The wheel is at 10 ms, not 4: a deadline of 8 ms is already past.
        wheel.Arm(0, Origin + 8 * Tick);
        wheel.Advance(Origin + 10 * Tick);
        Assert.True(wheel.TryTakeDue(out _));
    }

    [Fact]
    public void A_coarse_slot_whose_index_is_the_current_one_waits_a_full_round()
    {
        // Each case puts a timer in the coarse slot the wheel is in now, which it has passed:
        // the timer belongs to that slot's next round, 256 slots on.
        (long Current, long Distance)[] cases =
        [
            (255, 65_535),
            (256 * 7 + 255, 65_535),
            (65_535, (1 << 24) - 1),
            ((1L << 24) - 1, (1L << 32) - 1),
            ((1L << 40) + (1L << 24) - 1, (1L << 32) - 1),
            (255, 1L << 32),
            (255, (1L << 32) + 12_345),
            // Any origin: times before it are negative, and ticks round towards minus infinity.
            (-256 * 3 + 255, 65_535),
            (-(1L << 32) - 1, (1L << 32) - 1),
        ];
        foreach (var (current, distance) in cases)
        {
            var wheel = new TimerWheel(1, current * Tick);
            long due = (current + distance) * Tick;
            wheel.Arm(0, due - Tick / 2);
            Assert.Equal([due], FollowNextDeadline(wheel));

            // And in plain steps a seventh of the way, then the last ticks one by one.
            wheel = new TimerWheel(1, current * Tick);
            wheel.Arm(0, due);
            for (long now = current * Tick; now < due - 3 * Tick; now += distance / 7 * Tick)
            {
                wheel.Advance(now);
                Assert.False(wheel.TryTakeDue(out _), $"early at {now / Tick} for {current}+{distance}");
            }
            for (long now = due - 3 * Tick; now < due; now += Tick / 2)
            {
                wheel.Advance(now);
                Assert.False(wheel.TryTakeDue(out _), $"early at {now / Tick} for {current}+{distance}");
            }
            wheel.Advance(due);
            Assert.True(wheel.TryTakeDue(out _), $"not due at {due / Tick} for {current}+{distance}");
        }
    }

    [Fact]
    public void Times_before_the_origin_round_to_ticks_as_later_ones_do()
    {
        // The origin is the caller's: a wheel may start before it, between two ticks, where
        // dividing by the tick rounds the wrong way (towards zero).
        var wheel = new TimerWheel(3, -5 * Tick / 2);
        wheel.Arm(0, -2 * Tick);
        wheel.Arm(1, -2 * Tick - Tick / 3);
        wheel.Arm(2, -Tick - Tick / 2);
        Assert.Equal(-2 * Tick, wheel.NextDeadline);
        wheel.Advance(-5 * Tick / 2 + 1);
        wheel.Advance(-2 * Tick - 1);
        Assert.False(wheel.TryTakeDue(out _));
        wheel.Advance(-2 * Tick);
        Assert.True(wheel.TryTakeDue(out int first));
        Assert.True(wheel.TryTakeDue(out int second));
        Assert.Equal(1, first + second);
        Assert.False(wheel.TryTakeDue(out _));
        wheel.Arm(0, 0);
        wheel.Advance(-Tick / 2);
        Assert.True(wheel.TryTakeDue(out int third));
        Assert.Equal(2, third);
        Assert.False(wheel.TryTakeDue(out _));
        wheel.Advance(0);
        Assert.True(wheel.TryTakeDue(out int fourth));
        Assert.Equal(0, fourth);
    }

    /// <summary>Advances to <see cref="TimerWheel.NextDeadline"/> until nothing is armed; the
    /// times at which timers came out, one entry a timer.</summary>
    private static List<long> FollowNextDeadline(TimerWheel wheel)
    {
        var fires = new List<long>();
        while (wheel.NextDeadline != long.MaxValue)
        {
            long now = wheel.NextDeadline;
            wheel.Advance(now);
            while (wheel.TryTakeDue(out _))
                fires.Add(now);
        }
        return fires;
    }

    [Fact]
    public void NextDeadline_is_long_MaxValue_when_nothing_is_armed_and_exact_in_the_finest_level()
    {
        var wheel = new TimerWheel(4, Origin);
        Assert.Equal(long.MaxValue, wheel.NextDeadline);
        wheel.Arm(3, Origin + 100 * Tick + 300);
        Assert.Equal(Origin + 101 * Tick, wheel.NextDeadline);
        wheel.Cancel(3);
        Assert.Equal(long.MaxValue, wheel.NextDeadline);
        wheel.Arm(3, Origin + Day);
        Assert.InRange(wheel.NextDeadline, Origin + 1, Origin + Day);
        wheel.Advance(Origin + Day);
        Assert.Equal(Origin + Day, wheel.NextDeadline);
        Assert.True(wheel.TryTakeDue(out _));
        Assert.Equal(long.MaxValue, wheel.NextDeadline);
    }

    [Fact]
    public void Ids_out_of_range_throw()
    {
        var wheel = new TimerWheel(10, Origin);
        foreach (int id in (ReadOnlySpan<int>)[-1, 10, int.MaxValue, int.MinValue])
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => wheel.Arm(id, Origin));
            Assert.Throws<ArgumentOutOfRangeException>(() => wheel.Cancel(id));
            Assert.Throws<ArgumentOutOfRangeException>(() => wheel.IsArmed(id));
            Assert.Throws<ArgumentOutOfRangeException>(() => wheel.DeadlineOf(id));
        }
        Assert.Equal(0, wheel.Count);
        wheel.Arm(9, Origin);
        Assert.Equal(1, wheel.Count);
    }

    [Fact]
    public void A_capacity_below_one_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimerWheel(0, Origin));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimerWheel(-5, Origin));
        Assert.Equal(1, new TimerWheel(1, Origin).Capacity);
    }
}
