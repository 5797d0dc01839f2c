using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Monitoring;

/// <summary>What a scrape or a status request gets: the engine's view, taken on the loop's thread,
/// the loop's own figures (the kernel's capture counters, inject failures, what the log and the
/// recording lost) in the summary's names, and the events the log took, by kind.</summary>
public sealed record LiveSnapshot(TrappedView View, IReadOnlyList<(string Name, long Value)> Extras)
{
    public IReadOnlyList<(string Kind, long Count)> Events { get; init; } = [];
}

/// <summary>How another thread (the metrics listener's, the control socket's) looks into the engine
/// without touching it: the engine and its tables belong to the loop's thread alone. An asker
/// leaves a request and wakes the loop (<see cref="LiveCapture.Wake"/>); the loop, after its next
/// batch, sees the flag, builds the snapshot and hands it back. The loop pays one volatile read per
/// batch when nobody asks, and nothing at all per packet. One asker at a time: a second waits its
/// turn, and an asker that waited <see cref="Timeout"/> in vain gets nothing (the loop is stopping,
/// or stuck) rather than hanging its client.</summary>
public sealed class EngineWindow(Action wake)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly object _askers = new();
    private readonly object _gate = new();
    private volatile bool _asked;
    private int _top;
    private LiveSnapshot? _answer;

    /// <summary>Called on the loop's thread after every batch: answers a waiting request, if any.</summary>
    public void Serve(Func<int, LiveSnapshot> take)
    {
        if (!_asked)
            return;
        int top;
        lock (_gate)
        {
            if (!_asked)
                return;
            top = _top;
        }
        var snapshot = take(top);
        lock (_gate)
        {
            if (!_asked)
                return; // the asker gave up meanwhile
            _answer = snapshot;
            _asked = false;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>A snapshot with the <paramref name="top"/> longest-held flows, or null when the loop
    /// did not answer within <see cref="Timeout"/>.</summary>
    public LiveSnapshot? Ask(int top)
    {
        lock (_askers)
        {
            var deadline = DateTime.UtcNow + Timeout;
            lock (_gate)
            {
                _answer = null;
                _top = top;
                _asked = true;
            }
            wake();
            lock (_gate)
            {
                while (_answer is null)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                    {
                        if (_answer is not null)
                            break;
                        _asked = false;
                        return null;
                    }
                }
                var answer = _answer;
                _answer = null;
                return answer;
            }
        }
    }
}
