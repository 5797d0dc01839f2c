using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LaBreaSharp.Core.Flows;

/// <summary>The table of trapped flows: one preallocated array of <see cref="FlowEntry"/>, open
/// addressing with linear probing and backward-shift deletion, so there are no tombstones and no
/// allocation after construction. The slot count is half again the capacity (a load of two
/// thirds when full), which keeps probe runs short: a new key's walk to the first empty slot is
/// about five slots, where a quarter above (a load of 0.8) made it thirteen.
///
/// A flood of spoofed sources can fill the table but never grow it: when it is full, inserting
/// evicts the least recently seen of the first few entries on the new key's probe path (a sampled
/// LRU), and counts it. Idle flows are expired by a cursor that sweeps a bounded number of slots
/// per call. The hash is keyed, so an attacker cannot aim many flows at one probe run.
///
/// At a million flows the table is far larger than the caches, so each new flow costs a trip to
/// memory. <see cref="Prefetch"/> starts that trip early: a caller holding a batch of frames
/// prefetches every frame's probe run before handling the first, and the misses overlap.</summary>
public sealed unsafe class FlowTable
{
    private const int EvictionSample = 8;
    /// <summary>Cache lines prefetched from a key's home slot: the eviction sample (8 entries,
    /// 256 bytes) starts anywhere in the first line, so it spans up to five.</summary>
    private const int PrefetchLines = 5;

    private readonly FlowEntry[] _slots;
    private readonly ulong _seed0;
    private readonly ulong _seed1;
    private readonly HeldTimes? _ended;
    private int _sweepCursor;

    /// <param name="ended">Where flows that leave the table by expiry or eviction report how long
    /// they were held (from their first to their last segment); a removal by the caller does not.</param>
    public FlowTable(int capacity, ulong seed, HeldTimes? ended = null)
    {
        _ended = ended;
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a flow table needs room for at least one flow");
        Capacity = capacity;
        // Pinned, so that Prefetch can take a slot's address without fixing the array each time.
        _slots = GC.AllocateArray<FlowEntry>(checked(capacity + capacity / 2 + 1), pinned: true);
        _seed0 = seed ^ 0x243F6A8885A308D3;
        _seed1 = ulong.RotateLeft(seed, 29) ^ 0x13198A2E03707344;
    }

    public int Capacity { get; }
    public int Count { get; private set; }
    public int SlotCount => _slots.Length;
    public long Evictions { get; private set; }
    public long Expired { get; private set; }

    /// <summary>The entry at a slot index returned by <see cref="Find"/> or <see cref="Add"/>.</summary>
    public ref FlowEntry this[int index] => ref _slots[index];

    /// <summary>Asks the processor to bring the start of <paramref name="key"/>'s probe run into the
    /// cache, without waiting for it; a later <see cref="Find"/> or <see cref="FindOrAdd"/> of the
    /// key then finds it there. A hint only: no effect on contents, and none where the processor
    /// has no prefetch instruction that .NET exposes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(in FlowKey key)
    {
        if (!Sse.IsSupported)
            return;
        // A prefetch never faults, so the lines past the array's end (a run that wraps) are harmless.
        byte* line = (byte*)Unsafe.AsPointer(ref _slots[Home(key)]);
        for (int n = 0; n < PrefetchLines; n++)
            Sse.Prefetch0(line + n * 64);
    }

    /// <summary>The slot of <paramref name="key"/>, or -1.</summary>
    public int Find(in FlowKey key)
    {
        var slots = _slots;
        int i = Home(key);
        while (true)
        {
            ref FlowEntry entry = ref slots[i];
            if (!entry.IsOccupied)
                return -1;
            if (entry.Key.SameAs(key))
                return i;
            if (++i == slots.Length)
                i = 0;
        }
    }

    /// <summary>Inserts <paramref name="key"/> (which must not be present) in <paramref name="state"/>
    /// and returns its slot. When the table is full, an old flow is evicted first.</summary>
    public int Add(in FlowKey key, FlowState state, uint now)
    {
        int index = FindOrAdd(key, state, now, out bool added);
        if (!added)
            throw new InvalidOperationException($"flow {key} is already in the table");
        return index;
    }

    /// <summary>The slot of <paramref name="key"/>, inserting it in <paramref name="state"/> if it is
    /// not there: one walk along its probe run. When the table is full, the least recently seen of
    /// the first few flows on that run is overwritten in place: the new key is reachable from its
    /// home without crossing an empty slot, and no other key loses a slot, so nothing shifts.</summary>
    public int FindOrAdd(in FlowKey key, FlowState state, uint now, out bool added)
    {
        var slots = _slots;
        int i = Home(key);
        int victim = -1;
        uint oldest = uint.MaxValue;
        int sampled = 0;
        while (true)
        {
            ref FlowEntry entry = ref slots[i];
            if (!entry.IsOccupied)
                break;
            if (entry.Key.SameAs(key))
            {
                added = false;
                return i;
            }
            if (sampled < EvictionSample)
            {
                if (entry.LastSeen <= oldest)
                {
                    oldest = entry.LastSeen;
                    victim = i;
                }
                sampled++;
            }
            if (++i == slots.Length)
                i = 0;
        }

        added = true;
        var fresh = new FlowEntry { Key = key, State = state, LastSeen = now, FirstSeen = now };
        if (Count >= Capacity)
        {
            Evictions++;
            if (victim >= 0)
            {
                _ended?.Record(slots[victim].LastSeen - slots[victim].FirstSeen);
                slots[victim] = fresh;
                return victim;
            }
            // The key's home was empty: free a slot near it instead. Backward shifting stays inside
            // the victim's own run, which lies beyond the empty slot i, so i stays free.
            int nearest = NearestVictim(i);
            _ended?.Record(slots[nearest].LastSeen - slots[nearest].FirstSeen);
            RemoveAt(nearest);
        }
        slots[i] = fresh;
        Count++;
        return i;
    }

    /// <summary>Removes the entry at <paramref name="index"/>, shifting later members of its probe
    /// run back so that lookups never stop early at the hole.</summary>
    public void RemoveAt(int index)
    {
        var slots = _slots;
        int hole = index;
        int i = index;
        while (true)
        {
            if (++i == slots.Length)
                i = 0;
            if (!slots[i].IsOccupied)
                break;
            int home = Home(slots[i].Key);
            // Move slots[i] into the hole unless its home lies cyclically in (hole, i].
            bool homeAfterHole = hole <= i ? home > hole && home <= i : home > hole || home <= i;
            if (!homeAfterHole)
            {
                slots[hole] = slots[i];
                hole = i;
            }
        }
        slots[hole] = default;
        Count--;
    }

    /// <summary>Looks at up to <paramref name="maxSlots"/> slots from where the last sweep stopped and
    /// removes flows last seen more than <paramref name="idleSeconds"/> before <paramref name="now"/>.
    /// Returns how many were removed.</summary>
    public int Sweep(uint now, uint idleSeconds, int maxSlots)
    {
        int removed = 0;
        var slots = _slots;
        for (int n = 0; n < maxSlots && n < slots.Length; n++)
        {
            int i = _sweepCursor;
            if (slots[i].IsOccupied && now - slots[i].LastSeen > idleSeconds)
            {
                _ended?.Record(slots[i].LastSeen - slots[i].FirstSeen);
                RemoveAt(i);
                removed++;
                // A later entry may have shifted into i: look at i again.
                continue;
            }
            if (++_sweepCursor == slots.Length)
                _sweepCursor = 0;
        }
        Expired += removed;
        return removed;
    }

    /// <summary>The least recently seen of the first few occupied slots after <paramref name="start"/>.</summary>
    private int NearestVictim(int start)
    {
        var slots = _slots;
        int i = start;
        int victim = -1;
        uint oldest = uint.MaxValue;
        for (int seen = 0; seen < EvictionSample;)
        {
            if (slots[i].IsOccupied)
            {
                if (slots[i].LastSeen <= oldest)
                {
                    oldest = slots[i].LastSeen;
                    victim = i;
                }
                seen++;
            }
            else if (victim >= 0)
            {
                break;
            }
            if (++i == slots.Length)
                i = 0;
        }
        return victim;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(in FlowKey key)
    {
        ulong a = (((ulong)key.Source.Value << 32) | key.Destination.Value) ^ _seed0;
        ulong b = key.Ports ^ _seed1;
        ulong h = (a * 0x9E3779B97F4A7C15) ^ (b * 0xC2B2AE3D27D4EB4F);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9;
        h ^= h >> 32;
        // Map the 32-bit hash onto [0, slots) without a division (Lemire's multiply-shift).
        return (int)(((h & 0xFFFF_FFFF) * (ulong)_slots.Length) >> 32);
    }
}
