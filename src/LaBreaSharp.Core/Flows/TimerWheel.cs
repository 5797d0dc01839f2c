using System.Numerics;
using System.Runtime.CompilerServices;

namespace LaBreaSharp.Core.Flows;

/// <summary>At most one pending deadline for each of <see cref="Capacity"/> ids, the caller's (the
/// slots of a table with stable slots, say): a hierarchical timing wheel after Varghese and Lauck
/// and Linux before 4.8, so that arming, moving and cancelling cost the same at a million timers
/// as at ten, and nothing is allocated after construction.
///
/// Four levels of 256 slots, of 1 ms, 256 ms, 65.5 s and 4.66 h: 2^32 ticks (49.7 days) in all. A
/// timer goes to the level its distance from the current tick calls for, in the slot its own
/// tick's bits at that level name, as Linux's <c>internal_add_timer</c> did; when the wheel reaches
/// a coarse slot's start, its timers are placed again relative to the new tick, falling a level or
/// more, until level 0 hands them to the due list. Timers beyond 2^32 ticks wait in an overflow
/// list, looked at again only when its nearest timer can no longer be out of range.
///
/// Time moves only through <see cref="Advance"/>, which jumps from one non-empty slot to the next
/// (found in a bitmap of slots per level), so skipping a hundred days costs in proportion to the
/// timers and slots met on the way, not to the ticks. The time of the next such event is cached,
/// so that an Advance on every packet costs a comparison or two until something is due.</summary>
public sealed class TimerWheel
{
    public const long TickNanoseconds = 1_000_000;

    private const int Levels = 4;
    private const int SlotBits = 8;
    private const int Slots = 1 << SlotBits;
    private const long Span = 1L << (Levels * SlotBits);

    /// <summary>One node per id, then the sentinels of the circular lists: so a node is unlinked
    /// without knowing which list holds it, and lists cost no allocation.</summary>
    private readonly Node[] _nodes;
    /// <summary>Per level, 256 bits of slots that may be non-empty. A cancel leaves its bit set
    /// (finding the slot's last node would cost more than the visit that clears it later).</summary>
    private readonly ulong[] _occupied = new ulong[Levels * Slots / 64];
    private readonly int _overflow;
    private readonly int _due;
    /// <summary>Timers armed with a deadline already past: due at the next Advance, not at once,
    /// so that a drain loop that re-arms into the past still ends.</summary>
    private readonly int _late;

    /// <summary>The largest time given so far; its tick is the current tick.</summary>
    private long _now;
    /// <summary>No later than the first tick after the current one at which a slot must be visited
    /// (a cancel may leave it early).</summary>
    private long _nextTick = long.MaxValue;
    /// <summary>The time of <see cref="_nextTick"/>, or <see cref="long.MinValue"/> while late timers
    /// wait: below it, Advance has nothing to do.</summary>
    private long _wakeAt = long.MaxValue;
    /// <summary>The tick at which the nearest overflow timer comes within 2^32 ticks.</summary>
    private long _overflowTick = long.MaxValue;

    public TimerWheel(int capacity, long now)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a timer wheel needs room for at least one timer");
        Capacity = capacity;
        _overflow = capacity + Levels * Slots;
        _due = _overflow + 1;
        _late = _overflow + 2;
        _nodes = new Node[checked(_late + 1)];
        for (int i = 0; i < capacity; i++)
            _nodes[i].Next = -1;
        for (int s = capacity; s < _nodes.Length; s++)
            _nodes[s].Next = _nodes[s].Prev = s;
        _now = now;
    }

    public int Capacity { get; }

    /// <summary>Armed timers, including those due and not yet taken.</summary>
    public int Count { get; private set; }

    /// <summary>No later than the earliest moment an armed timer becomes due: the current time when
    /// some are due already, the exact tick for a timer in level 0, the cascade that will bring it
    /// down for one above; <see cref="long.MaxValue"/> when nothing is armed. Calling Advance with
    /// it, again and again, fires every timer on time.</summary>
    public long NextDeadline =>
        Count == 0 ? long.MaxValue
        : _nodes[_due].Next != _due || _nodes[_late].Next != _late ? _now
        : TimeOf(_nextTick);

    /// <summary>Arms <paramref name="id"/> to become due at the first Advance to or past its
    /// <paramref name="deadline"/> rounded up to a whole tick; an armed or due timer is moved.
    /// A deadline already past is due at the next Advance.</summary>
    public void Arm(int id, long deadline)
    {
        CheckId(id);
        if (_nodes[id].Next >= 0)
            Unlink(id);
        else
            Count++;
        _nodes[id].Deadline = deadline;
        long tick = CeilingTick(deadline);
        long current = FloorTick(_now);
        if (tick <= current)
        {
            Append(_late, id);
            _wakeAt = long.MinValue;
            return;
        }
        long visit = Place(id, tick, current);
        _nextTick = Math.Min(_nextTick, visit);
        _wakeAt = Math.Min(_wakeAt, TimeOf(visit));
    }

    /// <summary>Disarms <paramref name="id"/>; true if it was armed, or due and not yet taken.</summary>
    public bool Cancel(int id)
    {
        CheckId(id);
        if (_nodes[id].Next < 0)
            return false;
        Unlink(id);
        Count--;
        return true;
    }

    public bool IsArmed(int id) => _nodes[CheckId(id)].Next >= 0;

    /// <summary>The deadline last given to <see cref="Arm"/> for <paramref name="id"/>, to the
    /// nanosecond; meaningful only while it is armed.</summary>
    public long DeadlineOf(int id) => _nodes[CheckId(id)].Deadline;

    /// <summary>Moves the wheel on to <paramref name="now"/> and makes due every timer whose tick
    /// has come, in tick order. Time never goes back: a smaller <paramref name="now"/> is ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(long now)
    {
        if (now < _wakeAt)
        {
            if (now > _now)
                _now = now;
            return;
        }
        AdvanceThroughEvents(now);
    }

    /// <summary>Takes the earliest due timer, which is then disarmed and may be armed again at once.</summary>
    public bool TryTakeDue(out int id)
    {
        id = _nodes[_due].Next;
        if (id == _due)
        {
            id = -1;
            return false;
        }
        Unlink(id);
        Count--;
        return true;
    }

    private void AdvanceThroughEvents(long now)
    {
        if (now < _now)
            return;
        _now = now;
        Splice(_due, _late);
        long target = FloorTick(now);
        while (_nextTick <= target)
        {
            long tick = _nextTick;
            VisitTick(tick);
            _nextTick = NextEventAfter(tick);
        }
        _wakeAt = TimeOf(_nextTick);
    }

    /// <summary>Everything that happens at <paramref name="tick"/>: coarser slots starting there
    /// fall a level or more, the overflow is looked at if its time has come, and level 0's slot
    /// goes to the due list.</summary>
    private void VisitTick(long tick)
    {
        for (int level = 1; level < Levels && (tick & ((1L << (level * SlotBits)) - 1)) == 0; level++)
        {
            int slot = (int)((tick >> (level * SlotBits)) & (Slots - 1));
            _occupied[(level * Slots + slot) >> 6] &= ~(1UL << slot);
            Replace(SlotList(level, slot), tick);
        }
        if (tick == _overflowTick)
        {
            _overflowTick = long.MaxValue;
            Replace(_overflow, tick);
        }
        int first = (int)(tick & (Slots - 1));
        _occupied[first >> 6] &= ~(1UL << first);
        Splice(_due, SlotList(0, first));
    }

    /// <summary>Takes every node out of <paramref name="list"/> and places it again relative to
    /// <paramref name="tick"/>. The list is emptied first, so a node that belongs to the same list's
    /// next round (a coarse slot whose index equals the current one) goes back into it safely.</summary>
    private void Replace(int list, long tick)
    {
        var nodes = _nodes;
        int id = nodes[list].Next;
        nodes[list].Next = nodes[list].Prev = list;
        while (id != list)
        {
            int next = nodes[id].Next;
            long due = CeilingTick(nodes[id].Deadline);
            if (due <= tick)
                Append(_due, id);
            else
                Place(id, due, tick);
            id = next;
        }
    }

    /// <summary>Puts <paramref name="id"/>, due at <paramref name="tick"/> (after <paramref
    /// name="current"/>), in the level its distance calls for; returns the tick at which it will
    /// next be looked at.</summary>
    private long Place(int id, long tick, long current)
    {
        long distance = tick - current;
        if (distance >= Span)
        {
            Append(_overflow, id);
            _overflowTick = Math.Min(_overflowTick, tick - (Span - 1));
            return _overflowTick;
        }
        int level = BitOperations.Log2((ulong)distance) / SlotBits;
        int shift = level * SlotBits;
        int slot = (int)((tick >> shift) & (Slots - 1));
        _occupied[(level * Slots + slot) >> 6] |= 1UL << slot;
        Append(SlotList(level, slot), id);
        return (tick >> shift) << shift;
    }

    /// <summary>The first tick after <paramref name="tick"/> at which an occupied slot is visited,
    /// or the overflow looked at.</summary>
    private long NextEventAfter(long tick)
    {
        long next = _overflowTick;
        for (int level = 0; level < Levels; level++)
        {
            int shift = level * SlotBits;
            long round = tick >> shift;
            int distance = DistanceToOccupied(level, (int)(round & (Slots - 1)));
            if (distance != 0)
                next = Math.Min(next, (round + distance) << shift);
        }
        return next;
    }

    /// <summary>How many slots on from <paramref name="current"/> the next occupied slot of
    /// <paramref name="level"/> lies, 1 to 256 (the current slot itself, a round later), or 0.</summary>
    private int DistanceToOccupied(int level, int current)
    {
        int start = (current + 1) & (Slots - 1);
        int word = start >> 6;
        ulong bits = _occupied[level * 4 + word] & (ulong.MaxValue << (start & 63));
        // Five words: the starting word is looked at again, whole, for the bits before start.
        for (int n = 0; n < 5; n++)
        {
            if (bits != 0)
            {
                int slot = (word << 6) + BitOperations.TrailingZeroCount(bits);
                return ((slot - start) & (Slots - 1)) + 1;
            }
            word = (word + 1) & 3;
            bits = _occupied[level * 4 + word];
        }
        return 0;
    }

    private int SlotList(int level, int slot) => Capacity + level * Slots + slot;

    private void Append(int list, int id)
    {
        var nodes = _nodes;
        int last = nodes[list].Prev;
        nodes[id].Next = list;
        nodes[id].Prev = last;
        nodes[last].Next = id;
        nodes[list].Prev = id;
    }

    /// <summary>Moves all of <paramref name="from"/> to the end of <paramref name="to"/>.</summary>
    private void Splice(int to, int from)
    {
        var nodes = _nodes;
        int first = nodes[from].Next;
        if (first == from)
            return;
        int last = nodes[from].Prev;
        int tail = nodes[to].Prev;
        nodes[tail].Next = first;
        nodes[first].Prev = tail;
        nodes[last].Next = to;
        nodes[to].Prev = last;
        nodes[from].Next = nodes[from].Prev = from;
    }

    private void Unlink(int id)
    {
        var nodes = _nodes;
        int next = nodes[id].Next, prev = nodes[id].Prev;
        nodes[prev].Next = next;
        nodes[next].Prev = prev;
        nodes[id].Next = -1;
    }

    // Division rounds towards zero; times may be negative (the origin is the caller's).
    private static long FloorTick(long time) => time / TickNanoseconds - (time % TickNanoseconds < 0 ? 1 : 0);

    private static long CeilingTick(long time) => time / TickNanoseconds + (time % TickNanoseconds > 0 ? 1 : 0);

    /// <summary>The start of <paramref name="tick"/>; a tick starting beyond <see cref="long.MaxValue"/>
    /// never comes, and says so.</summary>
    private static long TimeOf(long tick) => tick > long.MaxValue / TickNanoseconds ? long.MaxValue : tick * TickNanoseconds;

    private int CheckId(int id)
    {
        if ((uint)id >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"timer ids run from 0 to {Capacity - 1}");
        return id;
    }

    /// <summary>16 bytes: a million timers take 16 MB.</summary>
    private struct Node
    {
        public long Deadline;
        public int Next;
        public int Prev;
    }
}
