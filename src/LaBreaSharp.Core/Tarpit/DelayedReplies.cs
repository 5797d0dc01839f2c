using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>ACKs held back by --ack-delay: each a whole description of the segment (where it goes,
/// seq, ack, window), in a fixed pool whose slots are ids of a <see cref="TimerWheel"/>. Due ones
/// leave through the <see cref="ReplyWriter"/>, limits and all, at their time. When the pool is
/// full an ACK leaves at once instead (counted): a delay is a flourish, never a reason to lose one.</summary>
internal sealed class DelayedReplies
{
    private struct Pending
    {
        public LinkAddressing Link;
        public FlowKey Key;
        public uint Sequence;
        public uint Acknowledgment;
        public ushort Window;
        public TcpFlags Flags;
        public bool Timestamped;
        public uint TimestampEcho;
    }

    private readonly Pending[] _pending;
    private readonly int[] _free;
    private int _freeCount;
    private readonly TimerWheel _timers;
    private readonly ReplyWriter _replies;
    private readonly EngineCounters _counters;

    public DelayedReplies(int capacity, long now, ReplyWriter replies, EngineCounters counters)
    {
        _pending = new Pending[capacity];
        _free = new int[capacity];
        for (int i = 0; i < capacity; i++)
            _free[i] = capacity - 1 - i;
        _freeCount = capacity;
        _timers = new TimerWheel(capacity, now);
        _replies = replies;
        _counters = counters;
    }

    public int Count => _pending.Length - _freeCount;
    public long NextDeadline => _timers.NextDeadline;

    /// <summary>Sends <paramref name="reply"/> (no options but a timestamp, no payload: an ACK) at <paramref name="due"/>.</summary>
    public void Send(LinkAddressing link, in FlowKey key, in TcpReply reply, long due)
    {
        if (_freeCount == 0)
        {
            _counters.AckDelayOverflows++;
            _replies.Tcp(link, key, reply);
            return;
        }
        int id = _free[--_freeCount];
        _pending[id] = new Pending
        {
            Link = link, Key = key, Sequence = reply.Sequence, Acknowledgment = reply.Acknowledgment,
            Window = reply.Window, Flags = reply.Flags, Timestamped = reply.Timestamped, TimestampEcho = reply.TimestampEcho,
        };
        _timers.Arm(id, due);
        _counters.AcksDelayed++;
    }

    /// <summary>Sends every held ACK that is due by <paramref name="now"/>.</summary>
    public void Advance(long now)
    {
        _timers.Advance(now);
        while (_timers.TryTakeDue(out int id))
        {
            ref var p = ref _pending[id];
            _replies.Tcp(p.Link, p.Key, new TcpReply
            {
                Sequence = p.Sequence, Acknowledgment = p.Acknowledgment, Flags = p.Flags, Window = p.Window,
                Timestamped = p.Timestamped, TimestampEcho = p.TimestampEcho, // its TSval is taken as it leaves
            });
            _free[_freeCount++] = id;
        }
    }
}
