using System.Numerics;
using System.Runtime.InteropServices;

namespace LaBreaSharp.Core.Flows;

/// <summary>A flow that talks back (a banner drip, a sender with retransmissions): its common
/// <see cref="FlowEntry"/> and where the tarpit's own byte stream stands. 44 bytes; with its timer
/// (16 bytes in the <see cref="TimerWheel"/>, under the same slot number) a talking flow costs 60
/// bytes, 32 more than a persist flow's 28.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct Conversation
{
    /// <summary>The common record, moved here from the flow table when the flow starts talking.</summary>
    public FlowEntry Flow;       // 28
    /// <summary>Bytes of our stream sent so far: snd_nxt − ISN − 1.</summary>
    public uint Sent;            // 4
    /// <summary>Bytes of our stream the peer has acknowledged: snd_una − ISN − 1.</summary>
    public uint Acknowledged;    // 4
    /// <summary>The number of the line that begins at <see cref="Acknowledged"/>: lines are made
    /// from a keyed hash of the flow and this number, so a retransmission needs no buffer.</summary>
    public uint Line;            // 4
    /// <summary>The window the peer last advertised, unscaled.</summary>
    public ushort PeerWindow;    // 2
    /// <summary>Retransmissions in a row of what is unacknowledged, for the backoff and the quiet end.</summary>
    public byte Retransmissions; // 1
    /// <summary>What this flow talks (which banner), in the behaviour's own numbering.</summary>
    public byte Kind;            // 1

    public readonly bool IsOccupied => Flow.IsOccupied;
}

/// <summary>The second flow table, for the flows that talk: separately sized (most flows never
/// talk, and a million persist flows must not pay for it), in one preallocated array. It is
/// set-associative, eight slots to a bucket, so that a slot never moves: the slot number is the
/// flow's name in the <see cref="TimerWheel"/>. (The main <see cref="FlowTable"/> moves entries
/// when it deletes, which is what keeps its probe runs short.) A key whose bucket is full takes
/// the slot of the bucket's least recently seen conversation, and the caller is told, so that it
/// can end that conversation's timer. Bucket choice is a keyed hash, as in the flow table.</summary>
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
        int first = BucketOf(key);
        var slots = _slots;
        for (int i = first; i < first + Ways; i++)
        {
            if (slots[i].IsOccupied && slots[i].Flow.Key.SameAs(key))
                return i;
        }
        return -1;
    }

    /// <summary>A slot for <paramref name="flow"/> (whose key must not be present), holding it and a
    /// fresh sender state. <paramref name="evicted"/> says whether another conversation was
    /// overwritten to make room: its timer, under the same slot, is the caller's to end.</summary>
    public int Add(in FlowEntry flow, out bool evicted)
    {
        int first = BucketOf(flow.Key);
        int slot = -1;
        for (int i = first; i < first + Ways; i++)
        {
            if (!_slots[i].IsOccupied)
            {
                slot = i;
                break;
            }
            if (slot < 0 || _slots[i].Flow.LastSeen < _slots[slot].Flow.LastSeen)
                slot = i;
        }
        evicted = _slots[slot].IsOccupied;
        if (evicted)
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

    private int BucketOf(in FlowKey key)
    {
        ulong a = (((ulong)key.Source.Value << 32) | key.Destination.Value) ^ _seed0;
        ulong h = (a * 0x9E3779B97F4A7C15) ^ ((key.Ports ^ _seed1) * 0xC2B2AE3D27D4EB4F);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9;
        return (int)((h >> 32) & (uint)_bucketMask) * Ways;
    }
}
