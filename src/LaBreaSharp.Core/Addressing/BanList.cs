using System.Numerics;

namespace LaBreaSharp.Core.Addressing;

/// <summary>Sources that get no answer at all until a time: set-associative, eight to a bucket, in
/// one preallocated array of 8-byte entries. Bans expire ("IP-based bans shouldn't last forever");
/// when a bucket is full, the ban that ends soonest gives way. A keyed hash chooses the bucket.</summary>
public sealed class BanList
{
    public const int Ways = 8;

    private struct Ban
    {
        public uint Address;
        /// <summary>Whole seconds on the engine's clock; 0 is an empty slot.</summary>
        public uint Until;
    }

    private readonly Ban[] _slots;
    private readonly ulong _seed;
    private readonly int _bucketMask;
    private int _sweepCursor;

    public BanList(int capacity, ulong seed)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a ban list needs room for at least one source");
        int buckets = (int)BitOperations.RoundUpToPowerOf2((uint)((capacity + Ways - 1) / Ways));
        _slots = new Ban[buckets * Ways];
        _bucketMask = buckets - 1;
        _seed = seed | 1;
    }

    public int Capacity => _slots.Length;
    /// <summary>Entries held, expired ones included until a sweep or a new ban takes their slot.</summary>
    public int Count { get; private set; }
    public long Evictions { get; private set; }

    /// <summary>Is <paramref name="address"/> banned at <paramref name="now"/> (whole seconds)?</summary>
    public bool IsBanned(uint address, uint now)
    {
        if (Count == 0)
            return false;
        int first = BucketOf(address);
        for (int i = first; i < first + Ways; i++)
        {
            if (_slots[i].Address == address && _slots[i].Until > now)
                return true;
        }
        return false;
    }

    /// <summary>Bans <paramref name="address"/> until <paramref name="until"/> (whole seconds, above 0),
    /// or lengthens its ban to then.</summary>
    public void Add(uint address, uint until, uint now)
    {
        int first = BucketOf(address);
        int slot = -1;
        for (int i = first; i < first + Ways; i++)
        {
            if (_slots[i].Until != 0 && _slots[i].Address == address)
            {
                _slots[i].Until = Math.Max(_slots[i].Until, until);
                return;
            }
            if (slot < 0 || _slots[i].Until < _slots[slot].Until)
                slot = i; // empty (0) first, then expired, then the one that ends soonest
        }
        if (_slots[slot].Until == 0)
            Count++;
        else if (_slots[slot].Until > now)
            Evictions++;
        _slots[slot] = new Ban { Address = address, Until = Math.Max(1, until) };
    }

    /// <summary>Active bans: counted by a walk of the table, for the summary, not for the packet path.</summary>
    public int ActiveAt(uint now)
    {
        int active = 0;
        foreach (var ban in _slots)
            active += ban.Until > now ? 1 : 0;
        return active;
    }

    /// <summary>Empties up to <paramref name="maxSlots"/> slots whose ban has ended.</summary>
    public void Sweep(uint now, int maxSlots)
    {
        for (int n = 0; n < maxSlots && n < _slots.Length; n++)
        {
            ref var ban = ref _slots[_sweepCursor];
            if (ban.Until != 0 && ban.Until <= now)
            {
                ban = default;
                Count--;
            }
            if (++_sweepCursor == _slots.Length)
                _sweepCursor = 0;
        }
    }

    private int BucketOf(uint address) => AddressHash.Bucket(address, _seed, _bucketMask) * Ways;
}
