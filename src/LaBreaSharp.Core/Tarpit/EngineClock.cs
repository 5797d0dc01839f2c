namespace LaBreaSharp.Core.Tarpit;

/// <summary>The engine's time, shared by its parts: the latest time the caller handed in, and the
/// start, from which the flow table's whole-second times count.</summary>
internal sealed class EngineClock
{
    public long Now { get; private set; }
    public long Epoch { get; private set; }
    public bool Started { get; private set; }

    /// <summary><see cref="Now"/> in whole seconds since <see cref="Epoch"/>, as flow entries keep
    /// time: worked out when the clock moves, not each time a flow is touched.</summary>
    public uint Seconds { get; private set; }

    public void Start(long now)
    {
        Started = true;
        Now = now;
        Epoch = now;
        Seconds = 0;
    }

    /// <summary>Moves the clock to <paramref name="now"/>; false (and no move) when that is not later.</summary>
    public bool MoveTo(long now)
    {
        if (now <= Now)
            return false;
        Now = now;
        Seconds = (uint)((now - Epoch) / Time.Second);
        return true;
    }
}
