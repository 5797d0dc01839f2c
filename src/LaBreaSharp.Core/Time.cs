namespace LaBreaSharp.Core;

/// <summary>The core's unit of time: nanoseconds, as an <see cref="long"/>, from whatever origin
/// the caller's clock has (the live loop and replays use Unix-epoch time). The core never reads a
/// clock itself; these are the units its callers and options are converted with.</summary>
public static class Time
{
    public const long Second = 1_000_000_000L;
    public const long Millisecond = 1_000_000L;
}
