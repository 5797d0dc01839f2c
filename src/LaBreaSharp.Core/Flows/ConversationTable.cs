using System.Numerics;
using System.Runtime.InteropServices;

namespace LaBreaSharp.Core.Flows;

[Flags]
public enum ConversationFlags : byte
{
    None = 0,
    /// <summary>The flow is to the host's own address (its policy is the host port map's).</summary>
    HostPort = 1,
    /// <summary>The peer has sent data: an HTTP request, an SSH version line.</summary>
    PeerSpoke = 2,
    /// <summary>A line is due but the peer's window is zero: the timer is a window probe's, and the
    /// line goes as soon as a window opens.</summary>
    WindowBlocked = 4,
}

/// <summary>A flow that talks back (a banner drip over the tarpit's own TCP sender): its common
/// <see cref="FlowEntry"/> and where the tarpit's byte stream stands. 48 bytes; with its timer (16
/// bytes in a <see cref="TimerWheel"/> under the same slot number) a talking flow costs 64 bytes,
/// 32 more than a persist flow's entry. The sender keeps at most one line in flight, and a line is
/// at most 255 bytes, so what is sent and acknowledged within it fits in bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct Conversation
{
    /// <summary>The common record, moved here from the flow table when the flow starts talking.</summary>
    public FlowEntry Flow;       // 32
    /// <summary>Where the current line begins in our stream: its sequence number is ISN + 1 + this.</summary>
    public uint LineStart;       // 4
    /// <summary>The current line's number: lines are made from a keyed hash of the flow and this
    /// number, so a retransmission needs no buffer.</summary>
    public uint Line;            // 4
    /// <summary>The entry in the engine's book of link addressings that replies to this flow carry
    /// (MACs, VLAN tags): a timer's segment has no frame to answer.</summary>
    public ushort Link;          // 2
    /// <summary>The window the peer last advertised, capped at 255: a line is never longer.</summary>
    public byte PeerWindow;      // 1
    /// <summary>Bytes of the current line the peer has acknowledged.</summary>
    public byte LineAcked;       // 1
    /// <summary>Bytes of the current line sent beyond <see cref="LineAcked"/>, not yet acknowledged.</summary>
    public byte InFlight;        // 1
    /// <summary>Retransmissions (or window probes) in a row with no progress: for the backoff and the quiet end.</summary>
    public byte Retransmissions; // 1
    /// <summary>What the flow talks, in the behaviour's own numbering (a banner kind).</summary>
    public byte Kind;            // 1
    public ConversationFlags Flags; // 1

    public readonly bool IsOccupied => Flow.IsOccupied;
}

/// <summary>The second flow table, for the flows that talk: separately sized (most flows never
/// talk, and a million persist flows must not pay for it), in one preallocated array. Slots never
/// move, so a slot number can name the flow's timer in the <see cref="TimerWheel"/> (the main
/// <see cref="FlowTable"/> moves entries when it deletes, which is what keeps its probe runs
/// short). It is set-associative, eight slots to a bucket, with two candidate buckets per key (a
/// keyed hash each): a key goes into the emptier, so buckets fill evenly and the table is nearly
/// full before anything is evicted. When both are full, the least recently seen of their
/// sixteen conversations gives up its slot, and the caller gets it, to end it properly.</summary>
public sealed class ConversationTable
{
    public const int Ways = 8;

    private readonly Conversation[] _slots;
    private readonly ulong _seed0;
    private readonly ulong _seed1;
    private readonly int _bucketMask;

    /// <param name="capacity">Conversations held at most; rounded up to a power of two of buckets.</param>
    public ConversationTable(int capacity, ulong seed)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a conversation table needs room for at least one conversation");
        int buckets = (int)BitOperations.RoundUpToPowerOf2((uint)((capacity + Ways - 1) / Ways));
        _slots = new Conversation[checked(buckets * Ways)];
        _bucketMask = buckets - 1;
        _seed0 = seed ^ 0x452821E638D01377;
        _seed1 = ulong.RotateLeft(seed, 23) ^ 0xBE5466CF34E90C6C;
    }

    /// <summary>Slots, and so the ids a <see cref="TimerWheel"/> for this table needs.</summary>
    public int Capacity => _slots.Length;
    public int Count { get; private set; }
    public long Evictions { get; private set; }

    public ref Conversation this[int slot] => ref _slots[slot];

    /// <summary>The slot of <paramref name="key"/>, or -1.</summary>
    public int Find(in FlowKey key)
    {
        if (Count == 0)
            return -1;
        var (first, second) = BucketsOf(key);
        int slot = FindIn(first, key);
        return slot >= 0 ? slot : FindIn(second, key);
    }

    /// <summary>A slot for <paramref name="flow"/> (whose key must not be present), holding it and a
    /// fresh sender state. When the table had no room, <paramref name="evicted"/> is the
    /// conversation that was overwritten (its timer, under the same slot, is the caller's to end);
    /// otherwise it is empty.</summary>
    public int Add(in FlowEntry flow, out Conversation evicted)
    {
        var (first, second) = BucketsOf(flow.Key);
        // The emptier of the two buckets (the "power of two choices"): buckets stay evenly filled.
        int slot = Free(first, out int freeFirst);
        int other = Free(second, out int freeSecond);
        if (freeSecond > freeFirst)
            slot = other;
        if (slot < 0)
        {
            slot = first;
            for (int i = 0; i < Ways; i++)
            {
                if (_slots[first + i].Flow.LastSeen < _slots[slot].Flow.LastSeen)
                    slot = first + i;
                if (_slots[second + i].Flow.LastSeen < _slots[slot].Flow.LastSeen)
                    slot = second + i;
            }
        }
        evicted = _slots[slot];
        if (evicted.IsOccupied)
            Evictions++;
        else
            Count++;
        _slots[slot] = new Conversation { Flow = flow };
        return slot;
    }

    public void RemoveAt(int slot)
    {
        if (!_slots[slot].IsOccupied)
            return;
        _slots[slot] = default;
        Count--;
    }

    private int FindIn(int bucket, in FlowKey key)
    {
        var slots = _slots;
        for (int i = bucket; i < bucket + Ways; i++)
        {
            if (slots[i].IsOccupied && slots[i].Flow.Key.SameAs(key))
                return i;
        }
        return -1;
    }

    /// <summary>A free slot of the bucket (or -1), and how many it has.</summary>
    private int Free(int bucket, out int free)
    {
        int slot = -1;
        free = 0;
        for (int i = bucket; i < bucket + Ways; i++)
        {
            if (!_slots[i].IsOccupied)
            {
                slot = slot < 0 ? i : slot;
                free++;
            }
        }
        return slot;
    }

    private (int First, int Second) BucketsOf(in FlowKey key)
    {
        ulong a = (((ulong)key.Source.Value << 32) | key.Destination.Value) ^ _seed0;
        ulong h = (a * 0x9E3779B97F4A7C15) ^ ((key.Ports ^ _seed1) * 0xC2B2AE3D27D4EB4F);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9;
        h ^= h >> 29;
        int first = (int)(h & (uint)_bucketMask);
        int second = (int)((h >> 32) & (uint)_bucketMask);
        return (first * Ways, second * Ways);
    }
}
