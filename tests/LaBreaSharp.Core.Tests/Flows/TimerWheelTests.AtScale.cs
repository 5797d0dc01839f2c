using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tests.Flows;

/// <summary>The wheel with many timers and long randomized runs, each checked against what the
/// test itself knows of every timer.</summary>
public partial class TimerWheelTests
{
    /// <summary>A million deadlines from the origin to five days on, one in a hundred 50 to 80 days
    /// on (beyond the wheel's 49.7 days), a few on the origin itself and on tick boundaries.</summary>
    private static long[] MillionDeadlines()
    {
        var random = new Random(17);
        var deadlines = new long[1_000_000];
        for (int i = 0; i < deadlines.Length; i++)
        {
            deadlines[i] = (i % 100) switch
            {
                0 => Origin + random.NextInt64(50 * Day, 80 * Day),
                1 => Origin + random.Next(0, 5) * Tick,
                2 => Origin + random.NextInt64(0, 5 * Day) / Tick * Tick,
                _ => Origin + random.NextInt64(0, 5 * Day),
            };
        }
        return deadlines;
    }

    private static TimerWheel Armed(long[] deadlines)
    {
        var wheel = new TimerWheel(deadlines.Length, Origin);
        for (int i = 0; i < deadlines.Length; i++)
            wheel.Arm(i, deadlines[i]);
        return wheel;
    }

    /// <summary>Steps from a microsecond to a quarter of an hour, as many of each order of magnitude.</summary>
    private static long Step(Random random) => random.Next(1_000, 10_000) * (long)Math.Pow(10, random.Next(0, 9));

    [Fact]
    public void A_million_timers_each_fire_once_never_early_never_late_and_in_tick_order()
    {
        var deadlines = MillionDeadlines();
        var wheel = Armed(deadlines);
        Assert.Equal(deadlines.Length, wheel.Count);
        var fired = new bool[deadlines.Length];
        var random = new Random(4);
        // The timers on the origin itself were past when armed, and are due at the first Advance.
        long previous = Origin - 1;
        long now = Origin;
        long lastDue = long.MinValue;
        int firedCount = 0;
        while (now < Origin + 81 * Day)
        {
            now += Step(random);
            wheel.Advance(now);
            while (wheel.TryTakeDue(out int id))
            {
                Assert.False(fired[id]);
                fired[id] = true;
                firedCount++;
                long due = DueAt(deadlines[id]);
                Assert.InRange(due, previous + 1, now);
                Assert.True(due >= lastDue, $"timer {id} due at {due} came after one due at {lastDue}");
                lastDue = due;
                Assert.False(wheel.IsArmed(id));
            }
            Assert.Equal(deadlines.Length - firedCount, wheel.Count);
            previous = now;
        }
        Assert.Equal(deadlines.Length, firedCount);
        Assert.Equal(long.MaxValue, wheel.NextDeadline);
    }

    [Fact]
    public void One_big_jump_and_small_steps_fire_the_same_timers()
    {
        var deadlines = MillionDeadlines();
        long end = Origin + 2 * Day + 12 * 3600 * Second + 123_456_789;

        var jumped = Armed(deadlines);
        jumped.Advance(end);
        var byJump = new bool[deadlines.Length];
        long lastDue = long.MinValue;
        while (jumped.TryTakeDue(out int id))
        {
            byJump[id] = true;
            long due = DueAt(deadlines[id]);
            Assert.True(due >= lastDue && due <= end);
            lastDue = due;
        }

        var stepped = Armed(deadlines);
        var random = new Random(8);
        var byStep = new bool[deadlines.Length];
        for (long now = Origin; now < end;)
        {
            now = Math.Min(end, now + Step(random));
            stepped.Advance(now);
            while (stepped.TryTakeDue(out int id))
                byStep[id] = true;
        }

        Assert.Equal(byJump, byStep);
        int fired = byJump.Count(f => f);
        Assert.InRange(fired, 400_000, 600_000);
        Assert.Equal(deadlines.Length - fired, jumped.Count);
        Assert.Equal(jumped.Count, stepped.Count);
    }

    [Fact]
    public void NextDeadline_is_never_later_than_the_earliest_due_time()
    {
        const int timers = 500;
        var wheel = new TimerWheel(timers, Origin);
        var deadlines = new long?[timers];
        var random = new Random(31);
        long now = Origin;
        for (int step = 0; step < 60_000; step++)
        {
            int id = random.Next(timers);
            switch (random.Next(4))
            {
                case 0 or 1:
                    // Distances from the past to a hundred days, every level and the overflow.
                    long deadline = now - Second + (long)Math.Pow(10, random.NextDouble() * 16.0);
                    wheel.Arm(id, deadline);
                    deadlines[id] = deadline;
                    break;
                case 2:
                    Assert.Equal(deadlines[id] is not null, wheel.Cancel(id));
                    deadlines[id] = null;
                    break;
                default:
                    now += (long)Math.Pow(10, random.NextDouble() * 14.0);
                    wheel.Advance(now);
                    while (wheel.TryTakeDue(out int taken))
                    {
                        Assert.True(DueAt(deadlines[taken]!.Value) <= now);
                        deadlines[taken] = null;
                    }
                    // Nothing due may be left behind.
                    foreach (long? d in deadlines)
                        Assert.False(d is not null && DueAt(d.Value) <= now);
                    break;
            }
            long earliest = long.MaxValue;
            int armed = 0;
            for (int i = 0; i < timers; i++)
            {
                if (deadlines[i] is long d)
                {
                    earliest = Math.Min(earliest, Math.Max(DueAt(d), now));
                    armed++;
                    Assert.Equal(d, wheel.DeadlineOf(i));
                }
                Assert.Equal(deadlines[i] is not null, wheel.IsArmed(i));
            }
            Assert.Equal(armed, wheel.Count);
            Assert.True(wheel.NextDeadline <= earliest, $"step {step}: next {wheel.NextDeadline}, earliest {earliest}");
            if (armed == 0)
                Assert.Equal(long.MaxValue, wheel.NextDeadline);
        }
    }

    [Fact]
    public void Following_NextDeadline_fires_every_timer_at_its_tick_and_ends()
    {
        const int timers = 100_000;
        var wheel = new TimerWheel(timers, Origin);
        var random = new Random(12);
        var deadlines = new long[timers];
        for (int i = 0; i < timers; i++)
        {
            deadlines[i] = Origin + (i % 50 == 0 ? random.NextInt64(1, 120 * Day) : random.NextInt64(1, 3 * Day));
            wheel.Arm(i, deadlines[i]);
        }
        var fired = new bool[timers];
        int advances = 0;
        while (wheel.NextDeadline != long.MaxValue)
        {
            long now = wheel.NextDeadline;
            wheel.Advance(now);
            advances++;
            while (wheel.TryTakeDue(out int id))
            {
                Assert.Equal(DueAt(deadlines[id]), now);
                Assert.False(fired[id]);
                fired[id] = true;
            }
        }
        Assert.All(fired, Assert.True);
        // A wake for each timer's tick and at most one for each of its cascades: no busy loop.
        Assert.InRange(advances, timers / 2, 4 * timers);
    }

    [Fact]
    public void A_timer_rearmed_from_the_drain_loop_fires_a_thousand_times()
    {
        // As a banner flow does: each firing arms the next line ten seconds on, give or take one.
        const int background = 5_000;
        var wheel = new TimerWheel(background + 2, Origin);
        var random = new Random(44);
        for (int i = 2; i < background + 2; i++)
            wheel.Arm(i, Origin + random.NextInt64(0, 20 * Second));
        long deadline = Origin + 10 * Second;
        wheel.Arm(0, deadline);
        // Timer 1 is re-armed into the past each time it fires: once an Advance, and the drain
        // loop must still end.
        wheel.Arm(1, Origin - Second);
        int fires = 0, lateFires = 0, advances = 0;
        long previous = Origin;
        for (long now = Origin; fires < 1000;)
        {
            now += random.NextInt64(1, 3 * Second);
            wheel.Advance(now);
            advances++;
            while (wheel.TryTakeDue(out int id))
            {
                long next = now + 10 * Second + random.NextInt64(-Second, Second);
                if (id == 1)
                {
                    lateFires++;
                    wheel.Arm(1, now - Second);
                    continue;
                }
                if (id != 0)
                {
                    wheel.Arm(id, next);
                    continue;
                }
                Assert.InRange(DueAt(deadline), previous + 1, now);
                fires++;
                deadline = next;
                wheel.Arm(0, deadline);
            }
            previous = now;
        }
        Assert.Equal(advances, lateFires);
        Assert.Equal(background + 2, wheel.Count);
    }

    [Fact]
    public void Arming_advancing_taking_and_cancelling_allocate_nothing()
    {
        const int timers = 1 << 20;
        var wheel = new TimerWheel(timers, Origin);
        var random = new Random(9);
        var offsets = new long[timers];
        for (int i = 0; i < timers; i++)
        {
            offsets[i] = random.NextInt64(1, 30 * Day);
            wheel.Arm(i, Origin + offsets[i]);
        }
        long now = Origin;
        int taken = 0;
        void Round()
        {
            for (int i = 0; i < 4000; i++)
            {
                now += offsets[i] % (30 * Second);
                wheel.Advance(now);
                while (wheel.TryTakeDue(out int id))
                {
                    wheel.Arm(id, now + offsets[id]);
                    taken++;
                }
                int other = (int)(offsets[i] % timers);
                if (!wheel.Cancel(other))
                    wheel.Arm(other, now + offsets[other] / 8);
                wheel.Arm((other + 1) % timers, now - Second);
            }
        }
        Round();
        Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(taken > 10_000);
        Assert.True(wheel.NextDeadline < long.MaxValue);
    }
}
