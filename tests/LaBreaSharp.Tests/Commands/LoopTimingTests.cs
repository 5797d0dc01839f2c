using LaBreaSharp.Commands;
using LaBreaSharp.Core;

namespace LaBreaSharp.Tests.Commands;

/// <summary>How long the live loop sleeps: until the engine's next deadline, never a moment before it.</summary>
public sealed class LoopTimingTests
{
    private const long Now = 1_795_262_400L * Time.Second;

    [Theory]
    [InlineData(0L, 0)]                        // due now
    [InlineData(-5 * Time.Second, 0)]          // overdue
    [InlineData(1L, 1)]                        // a nanosecond away: wake after it, not before
    [InlineData(Time.Millisecond, 1)]
    [InlineData(Time.Millisecond + 1, 2)]
    [InlineData(250 * Time.Millisecond, 250)]
    [InlineData(60 * Time.Second, 5_000)]      // capped: the wall clock can be stepped
    public void The_wait_runs_to_the_deadline_rounded_up_and_capped(long fromNow, int expected) =>
        Assert.Equal(expected, RunCommand.WaitMilliseconds(Now + fromNow, Now));

    [Fact]
    public void Nothing_due_is_the_cap_not_forever() =>
        Assert.Equal(5_000, RunCommand.WaitMilliseconds(long.MaxValue, Now));
}
