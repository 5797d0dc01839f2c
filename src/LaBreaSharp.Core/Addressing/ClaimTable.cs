using System.Runtime.InteropServices;

namespace LaBreaSharp.Core.Addressing;

/// <summary>What the claim rule knows about one address.</summary>
public enum ClaimState : byte
{
    Empty = 0,
    /// <summary>Asked for once; waiting to see whether the same requester asks again.</summary>
    Pending,
    /// <summary>Taken over: the tarpit answers for it.</summary>
    Claimed,
    /// <summary>Seen speaking with another MAC: left alone for the alive hold.</summary>
    Alive,
    /// <summary>The rule said "claim it", and the tarpit asked for it itself (an ARP probe): claimed
    /// if nothing has answered by the next request a probe wait later. Counted as a wait.</summary>
    Verifying,
}

/// <summary>One address's record: 20 bytes. <see cref="Since"/> is when the state began (the first
/// request of a wait, the claim, the last sign of life), which is also what eviction ranks by.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct ClaimRecord
{
    public uint Address;
    /// <summary>The requester whose repeated request would complete a pending claim.</summary>
    public uint Requester;
    public long Since;
    public ClaimState State;
}

/// <summary>The claim rule's memory, bounded: a set-associative table of <see cref="ClaimRecord"/>s,
/// eight to a bucket, in one preallocated array. A flood of spoofed sources inside takeover space
/// marks each source alive, and a scan makes requests for every address; either can fill the table
/// but never grow it. A new address whose bucket is full takes the slot of the bucket's oldest
/// record that is not a claim (a wait or an alive mark, whose loss costs at most a re-learning),
/// and only when all eight are claims, the oldest claim. Slots never move, and the bucket of an
/// address comes from a keyed hash, so a sender cannot aim many addresses at one bucket.</summary>
public sealed class ClaimTable
{
    public const int Ways = 8;

    private readonly ClaimRecord[] _slots;
    private readonly ulong _seed;
    private readonly int _bucketMask;
    private int _sweepCursor;

    /// <param name="capacity">Addresses held at most; rounded up to a power of two of at least one bucket.</param>
    public ClaimTable(int capacity, ulong seed)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a claim table needs room for at least one address");
        int buckets = (int)Math.Max(1, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)((capacity + Ways - 1) / Ways)));
        _slots = new ClaimRecord[buckets * Ways];
        _bucketMask = buckets - 1;
        _seed = seed | 1;
    }

    public int Capacity => _slots.Length;
    public int Count { get; private set; }
    public int ClaimedCount { get; private set; }
    public int PendingCount { get; private set; }
    public int AliveCount { get; private set; }
    /// <summary>Records overwritten to make room; <see cref="ClaimsEvicted"/> of them were claims.</summary>
    public long Evictions { get; private set; }
    public long ClaimsEvicted { get; private set; }

    public ref ClaimRecord this[int slot] => ref _slots[slot];

    /// <summary>The slot holding <paramref name="address"/>, or -1. (0.0.0.0 is never held: an
    /// empty slot reads as address 0, so the scan compares addresses only.)</summary>
    public int Find(uint address)
    {
        // Asked for every frame to a claimed address: an empty table (hard capture alone) answers at once.
        if (Count == 0 || address == 0)
            return -1;
        int first = BucketOf(address);
        var slots = _slots;
        for (int i = first; i < first + Ways; i++)
        {
            if (slots[i].Address == address)
                return i;
        }
        return -1;
    }

    /// <summary>The state of <paramref name="address"/> (Empty when it has no record).</summary>
    public ClaimState StateOf(uint address, out long since)
    {
        int slot = Find(address);
        since = slot >= 0 ? _slots[slot].Since : 0;
        return slot >= 0 ? _slots[slot].State : ClaimState.Empty;
    }

    /// <summary>Records <paramref name="address"/> in <paramref name="state"/>, replacing its record if
    /// it has one, making room in its bucket if it has not.</summary>
    public void Set(uint address, ClaimState state, long since, uint requester = 0)
    {
        if (address == 0)
            throw new ArgumentOutOfRangeException(nameof(address), "0.0.0.0 is never claimed, waited for or alive");
        int slot = Find(address);
        if (slot < 0)
            slot = FreeSlot(BucketOf(address));
        else
            Forget(slot);
        _slots[slot] = new ClaimRecord { Address = address, Requester = requester, Since = since, State = state };
        Count++;
        Tally(state, +1);
    }

    /// <summary>Forgets <paramref name="address"/>; false when it had no record.</summary>
    public bool Remove(uint address)
    {
        int slot = Find(address);
        if (slot < 0)
            return false;
        Forget(slot);
        return true;
    }

    /// <summary>Looks at up to <paramref name="maxSlots"/> slots from where the last sweep stopped and
    /// forgets waits begun <paramref name="pendingFor"/> or more before <paramref name="now"/> and
    /// alive marks older than <paramref name="aliveFor"/>. Claims stay until something speaks for them.</summary>
    public int Sweep(long now, long pendingFor, long aliveFor, int maxSlots)
    {
        int removed = 0;
        for (int n = 0; n < maxSlots && n < _slots.Length; n++)
        {
            ref var record = ref _slots[_sweepCursor];
            if (((record.State is ClaimState.Pending or ClaimState.Verifying) && now - record.Since >= pendingFor)
                || (record.State == ClaimState.Alive && now - record.Since >= aliveFor))
            {
                Forget(_sweepCursor);
                removed++;
            }
            if (++_sweepCursor == _slots.Length)
                _sweepCursor = 0;
        }
        return removed;
    }

    private int FreeSlot(int first)
    {
        int victim = -1;
        int claim = -1;
        for (int i = first; i < first + Ways; i++)
        {
            ref var record = ref _slots[i];
            if (record.State == ClaimState.Empty)
                return i;
            if (record.State == ClaimState.Claimed)
            {
                if (claim < 0 || record.Since < _slots[claim].Since)
                    claim = i;
            }
            else if (victim < 0 || record.Since < _slots[victim].Since)
            {
                victim = i;
            }
        }
        if (victim < 0)
        {
            victim = claim;
            ClaimsEvicted++;
        }
        Evictions++;
        Forget(victim);
        return victim;
    }

    private void Forget(int slot)
    {
        Tally(_slots[slot].State, -1);
        _slots[slot] = default;
        Count--;
    }

    private void Tally(ClaimState state, int change)
    {
        switch (state)
        {
            case ClaimState.Pending or ClaimState.Verifying: PendingCount += change; break;
            case ClaimState.Claimed: ClaimedCount += change; break;
            case ClaimState.Alive: AliveCount += change; break;
        }
    }

    private int BucketOf(uint address) => AddressHash.Bucket(address, _seed, _bucketMask) * Ways;
}
