using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>The event log off the packet path: a bounded ring of <see cref="TarpitEvent"/> values
/// (fixed-size records, no strings) between the engine's one thread and a writer thread that
/// formats and writes them. Enqueueing copies one struct and publishes an index: nothing is
/// allocated or formatted on the engine's thread. When the ring is full the event is counted, not
/// waited for (a SYN is never missed because of the log), and the writer says so with one
/// <c>events-lost</c> line; in blocking mode (replays, which lose nothing) the engine waits instead.
/// The writer spins a moment when the ring is empty, then sleeps until the next event wakes it; a
/// process-wide barrier before it sleeps makes sure no event's wake is missed without a fence on
/// every enqueue.</summary>
internal sealed class EventQueue : IDisposable
{
    /// <summary>How long a sleeping writer waits anyway: what it folded and what was lost is written
    /// within a second or two of the last event.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(2);
    private const int SpinsBeforeSleep = 64;

    private readonly TarpitEvent[] _ring;
    private readonly int _mask;
    private readonly bool _blockWhenFull;
    private readonly Action<TarpitEvent> _deliver;
    private readonly Action<bool> _idle;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _writer;
    private readonly object _gate = new();
    private long _head;      // written by the engine's thread only
    private long _tail;      // written by the writer thread only
    private long _dropped;   // written by the engine's thread only
    private long _failed;    // events whose delivery threw, written by the writer thread only
    private volatile bool _sleeping;
    private volatile bool _stopping;
    private volatile Action? _onWriter;

    /// <param name="deliver">Runs on the writer thread for each event, in order.</param>
    /// <param name="idle">Runs on the writer thread before it sleeps (false), and under <see cref="Drain"/> (true: everything is due).</param>
    public EventQueue(int capacity, bool blockWhenFull, Action<TarpitEvent> deliver, Action<bool> idle)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _ring = new TarpitEvent[size];
        _mask = size - 1;
        _blockWhenFull = blockWhenFull;
        _deliver = deliver;
        _idle = idle;
        _writer = new Thread(Run) { IsBackground = true, Name = "labreasharp-log" };
    }

    /// <summary>Starts the writer thread (once whoever holds the queue is ready for its callbacks).</summary>
    public void Start() => _writer.Start();

    public int Capacity => _ring.Length;

    /// <summary>Events that found the ring full and were not written.</summary>
    public long Dropped => Volatile.Read(ref _dropped) + Volatile.Read(ref _failed);

    /// <summary>On the engine's thread: queue <paramref name="e"/>, or count it when the ring is full.</summary>
    public void Enqueue(in TarpitEvent e)
    {
        long head = _head;
        while (head - Volatile.Read(ref _tail) >= _ring.Length)
        {
            if (!_blockWhenFull || _stopping)
            {
                Volatile.Write(ref _dropped, _dropped + 1);
                return;
            }
            _wake.Set();
            Thread.Sleep(0);
        }
        _ring[head & _mask] = e;
        Volatile.Write(ref _head, head + 1);
        if (_sleeping)
            _wake.Set();
    }

    /// <summary>Runs <paramref name="action"/> on the writer thread, between events, and waits for it.</summary>
    public void OnWriter(Action action)
    {
        WaitDelivered(Volatile.Read(ref _head)); // what was queued before the call goes first
        using var done = new ManualResetEventSlim(false);
        _onWriter = () => { action(); done.Set(); };
        _wake.Set();
        done.Wait();
    }

    /// <summary>Waits until every event queued so far has been delivered, then runs the idle step.</summary>
    public void Drain()
    {
        WaitDelivered(Volatile.Read(ref _head));
        lock (_gate)
            SafeIdle(final: true);
    }

    private void WaitDelivered(long target)
    {
        while (Volatile.Read(ref _tail) < target && _writer.IsAlive)
        {
            _wake.Set();
            Thread.Sleep(1);
        }
    }

    private void SafeIdle(bool final)
    {
        try
        {
            _idle(final);
        }
        catch (Exception) // as for a line: counted, never the end of the tarpit
        {
            Volatile.Write(ref _failed, _failed + 1);
        }
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        _wake.Set();
        _writer.Join();
        _wake.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            if (_onWriter is { } action)
            {
                _onWriter = null;
                lock (_gate)
                    action();
            }
            long tail = _tail;
            long head = Volatile.Read(ref _head);
            if (tail == head)
            {
                if (_stopping)
                    return;
                var spin = new SpinWait();
                for (int i = 0; i < SpinsBeforeSleep && Volatile.Read(ref _head) == tail; i++)
                    spin.SpinOnce(sleep1Threshold: -1);
                if (Volatile.Read(ref _head) != tail)
                    continue;
                lock (_gate)
                    SafeIdle(final: false);
                _sleeping = true;
                // The engine publishes an event and then reads _sleeping, with no fence; this barrier
                // drains its store buffer, so either we see its event now or it sees us asleep.
                Interlocked.MemoryBarrierProcessWide();
                if (Volatile.Read(ref _head) == tail && _onWriter is null && !_stopping)
                    _wake.Wait(IdleWait);
                _sleeping = false;
                _wake.Reset();
                continue;
            }
            lock (_gate)
            {
                for (; tail < head; tail++)
                {
                    ref var slot = ref _ring[tail & _mask];
                    var e = slot;
                    slot = default; // let go of a stats event's counters
                    try
                    {
                        _deliver(e);
                    }
                    catch (Exception) // a line that cannot be made must not end the tarpit: it is counted as lost
                    {
                        Volatile.Write(ref _failed, _failed + 1);
                    }
                    Volatile.Write(ref _tail, tail + 1);
                }
            }
        }
    }
}
