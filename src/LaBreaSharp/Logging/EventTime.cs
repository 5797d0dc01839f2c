namespace LaBreaSharp.Logging;

/// <summary>Event times are Unix nanoseconds (the engine's clock, pcap time on replay), never the
/// wall clock at formatting time, so a replayed log carries the capture's times.</summary>
internal static class EventTime
{
    private static readonly long MinTicks = -DateTime.UnixEpoch.Ticks;
    private static readonly long MaxTicks = DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks;

    public static DateTime ToUtc(long unixNanoseconds) =>
        DateTime.UnixEpoch.AddTicks(Math.Clamp(unixNanoseconds / TimeSpan.NanosecondsPerTick, MinTicks, MaxTicks));

    /// <summary>Whole seconds since the epoch, rounded down like time(2) would have been.</summary>
    public static long EpochSeconds(long unixNanoseconds)
    {
        long seconds = Math.DivRem(unixNanoseconds, 1_000_000_000L, out long remainder);
        return remainder < 0 ? seconds - 1 : seconds;
    }
}
