using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit.Stealth;

/// <summary>Stealth: a SYN-ACK whose handshake ACK does not come is sent again, as the address's
/// stack would (Linux: five times, 1, 2, 4, 8 and 16 s apart), with the same sequence number and a
/// fresh timestamp, until the flow leaves <see cref="FlowState.SynAcked"/> or the peer resets it. A fixed pool of
/// <see cref="Capacity"/> pending SYN-ACKs (about a listen backlog's worth) on a
/// <see cref="TimerWheel"/>: when it is full, a SYN-ACK is sent once and never again (counted), which
/// is what Linux does when a SYN flood has it answering with syncookies. So a flood of spoofed
/// SYNs costs one reply each, as before; only the first few thousand pending ones are repeated.</summary>
internal sealed class SynAckRetransmits
{
    public const int Capacity = 4096;

    private struct Pending
    {
        public LinkAddressing Link;
        public FlowKey Key;
        public uint AckPoint;
        public OfferedOptions Offered;
        public byte Attempt;
    }

    private readonly Pending[] _pending = new Pending[Capacity];
    private readonly int[] _free = new int[Capacity];
    private int _freeCount;
    private readonly TimerWheel _timers;
    private readonly FlowTable _flows;
    private readonly Personalities _faces;
    private readonly ReplyWriter _replies;
    private readonly EngineCounters _counters;
    private readonly EngineClock _clock;

    public SynAckRetransmits(FlowTable flows, Personalities faces, ReplyWriter replies, EngineCounters counters, EngineClock clock)
    {
        for (int i = 0; i < Capacity; i++)
            _free[i] = Capacity - 1 - i;
        _freeCount = Capacity;
        _timers = new TimerWheel(Capacity, 0);
        _flows = flows;
        _faces = faces;
        _replies = replies;
        _counters = counters;
        _clock = clock;
    }

    public int Count => Capacity - _freeCount;
    public long NextDeadline => _timers.NextDeadline;

    /// <summary>Remembers a SYN-ACK just sent for a new flow, to be sent again if its handshake stalls.</summary>
    public void Sent(LinkAddressing link, in FlowKey key, uint ackPoint, in OfferedOptions offered, StackProfile stack)
    {
        if (stack.SynAckRetries == 0)
            return;
        if (_freeCount == 0)
        {
            _counters.SynAckRetransmitsSkipped++;
            return;
        }
        int id = _free[--_freeCount];
        _pending[id] = new Pending
        {
            Link = link, Key = key, AckPoint = ackPoint, Offered = offered,
        };
        _timers.Arm(id, _clock.Now + stack.SynAckFirstRetry);
    }

    /// <summary>The engine's clock moved (to the first time, too): sends what is due.</summary>
    public void Advance(long now)
    {
        _timers.Advance(now);
        while (_timers.TryTakeDue(out int id))
        {
            ref var p = ref _pending[id];
            int index = _flows.Find(p.Key);
            var stack = _faces.Of(p.Key.Destination).Stack;
            if (index < 0 || _flows[index].State != FlowState.SynAcked || _flows[index].AckPoint != p.AckPoint
                || (_flows[index].Flags & FlowFlags.CloseIgnored) != 0)
            {
                _free[_freeCount++] = id; // the handshake finished, the peer reset it, or the flow is gone
                continue;
            }
            Resend(p, _flows[index].Cookie, stack, now);
            if (++p.Attempt < stack.SynAckRetries)
                _timers.Arm(id, now + (stack.SynAckFirstRetry << p.Attempt));
            else
                _free[_freeCount++] = id;
        }
    }

    private void Resend(in Pending p, uint isn, StackProfile stack, long now)
    {
        var offered = p.Offered;
        Span<byte> options = stackalloc byte[40];
        int length = stack.WriteSynAckOptions(options, offered, _faces.Of(p.Key.Destination).TimestampValue(now, p.Key.Source));
        if (_replies.Tcp(p.Link, p.Key, new TcpReply
            {
                Sequence = isn, Acknowledgment = p.AckPoint, Flags = TcpFlags.SynAck, Window = stack.WindowFor(offered), Options = options[..length],
            }))
            _counters.SynAckRetransmits++;
    }
}
