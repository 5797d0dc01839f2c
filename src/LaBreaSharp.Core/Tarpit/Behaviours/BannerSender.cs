using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>The tarpit's own slow TCP sender, for the flows that talk: it sends one line of a
/// greeting at a time (<see cref="BannerLines"/>), no more than the peer's window lets through,
/// waits for the line to be acknowledged, retransmits the same bytes with a doubling timeout when
/// it is not, probes a zero window as a real stack does, and ends quietly when the peer stops
/// answering. Each conversation has one timer (its slot in the <see cref="ConversationTable"/>
/// names it in the <see cref="TimerWheel"/>), due for whatever comes next: the next line, a
/// retransmission, a window probe, or the range's --drop-after.</summary>
internal sealed class BannerSender
{
    /// <summary>The receive window a banner flow's segments advertise: a desktop Linux's.</summary>
    public const ushort AdvertisedWindow = 64_240;
    private static readonly long InitialTimeout = Time.Second;  // RFC 6298 §2.1
    private static readonly long MaxTimeout = 60 * Time.Second;
    /// <summary>Retransmissions (or unanswered window probes) in a row before the quiet end: about three minutes.</summary>
    private const int MaxRetransmissions = 8;
    /// <summary>Timer slack: conversation deadlines are rounded up to this grid, so that the lines
    /// and retransmissions due in the same stretch leave together, one system call and one wake-up
    /// for dozens of them (100,000 flows at a 10 s cadence would otherwise wake the loop every
    /// millisecond). A line is jittered by seconds anyway, and a retransmission timeout is seconds.</summary>
    private const long Slack = 25 * Time.Millisecond;

    private readonly ConversationTable _conversations;
    private readonly TimerWheel _timers;
    private readonly LinkBook _links;
    private readonly ReplyWriter _replies;
    private readonly TrappedFlows _flows;
    private readonly SynCookie _lineKey;
    private readonly PortMap _ports;
    private readonly PortMap _hostPorts;
    private readonly RandomSource _random;
    private readonly EngineCounters _counters;
    private readonly EventEmitter _events;
    private readonly EngineClock _clock;
    private readonly HeldTimes? _ended;
    private readonly byte[] _line = new byte[BannerLines.MaxLength];

    public BannerSender(ConversationTable conversations, LinkBook links, ReplyWriter replies, TrappedFlows flows, SynCookie lineKey,
        PortMap ports, PortMap hostPorts, RandomSource random, EngineCounters counters, EventEmitter events, EngineClock clock,
        HeldTimes? ended = null)
    {
        _ended = ended;
        _conversations = conversations;
        _timers = new TimerWheel(conversations.Capacity, clock.Now);
        _links = links;
        _replies = replies;
        _flows = flows;
        _lineKey = lineKey;
        _ports = ports;
        _hostPorts = hostPorts;
        _random = random;
        _counters = counters;
        _events = events;
        _clock = clock;
    }

    public ConversationTable Conversations => _conversations;

    /// <summary>Arms a conversation's one timer, on the slack grid.</summary>
    private void Arm(int slot, long deadline) => _timers.Arm(slot, (deadline + Slack - 1) / Slack * Slack);
    public long NextDeadline => _timers.NextDeadline;

    /// <summary>Runs every conversation timer due by <paramref name="now"/>.</summary>
    public void Advance(long now)
    {
        _timers.Advance(now);
        while (_timers.TryTakeDue(out int slot))
            OnTimer(slot);
    }

    public ref readonly PortPolicy PolicyOf(in Conversation c) =>
        ref (c.Flags & ConversationFlags.HostPort) != 0 ? ref _hostPorts[c.Flow.Key.DestinationPort] : ref _ports[c.Flow.Key.DestinationPort];

    /// <summary>Moves <paramref name="flow"/> into the conversation table and starts its greeting.
    /// The slot, or -1 when the link book is full (the caller then holds the flow the plain way).</summary>
    public int Start(in FlowEntry flow, LinkAddressing link, ushort peerWindow, bool hostPort, BannerKind kind)
    {
        int number = _links.Intern(link);
        if (number < 0)
            return -1;
        int slot = _conversations.Add(flow, out var evicted);
        if (evicted.IsOccupied)
        {
            _timers.Cancel(slot);
            Report(evicted, TarpitEventReason.Evicted);
        }
        ref var c = ref _conversations[slot];
        c.Flow.State = FlowState.Established;
        c.Link = (ushort)number;
        c.Kind = (byte)kind;
        c.PeerWindow = (byte)Math.Min(peerWindow, (ushort)BannerLines.MaxLength);
        if (hostPort)
            c.Flags |= ConversationFlags.HostPort;
        _counters.BannerFlows++;
        if (_events.IsEnabled(TarpitEventKind.BannerStart))
            _events.Emit(new TarpitEvent(TarpitEventKind.BannerStart, _clock.Now, flow.Key.Source, flow.Key.SourcePort,
                flow.Key.Destination, flow.Key.DestinationPort, Banner: kind));
        // Mail and telnet servers speak first; an SSH tarpit, like Endlessh, lets the first line wait;
        // a web server answers the request (or, if none comes, the first delay).
        if (kind is BannerKind.Smtp or BannerKind.Telnet)
            SendLine(slot, ref c);
        else
            Arm(slot, _clock.Now + Delay(PolicyOf(c).Modifiers));
        return slot;
    }

    /// <summary>The peer's request or version line arrived: a web server answers it at once.</summary>
    public void PeerSpoke(int slot, ref Conversation c)
    {
        bool first = (c.Flags & ConversationFlags.PeerSpoke) == 0;
        c.Flags |= ConversationFlags.PeerSpoke;
        if (first && (BannerKind)c.Kind == BannerKind.Http && c.Line == 0 && c.LineAcked == 0 && c.InFlight == 0)
            SendLine(slot, ref c);
    }

    /// <summary>The acknowledgment and window of a segment from the peer: progress through the line.</summary>
    public void Acknowledged(int slot, ref Conversation c, uint acknowledgment, ushort window)
    {
        c.PeerWindow = (byte)Math.Min(window, (ushort)BannerLines.MaxLength);
        uint acked = acknowledgment - (c.Flow.Cookie + 1) - c.LineStart; // bytes of the current line, modulo 2^32
        if (acked > c.LineAcked && acked <= (uint)c.LineAcked + c.InFlight)
        {
            c.InFlight -= (byte)(acked - c.LineAcked);
            c.LineAcked = (byte)acked;
            c.Retransmissions = 0;
            if (c.InFlight > 0)
            {
                Arm(slot, _clock.Now + InitialTimeout); // progress: the timeout starts over
                return;
            }
            int length = Line(c);
            if (c.LineAcked < length)
            {
                SendLine(slot, ref c); // the rest of a line the window cut
                return;
            }
            var modifiers = PolicyOf(c).Modifiers;
            if (Noise(modifiers) && _random.NextUInt32() % 3 == 0)
                Send(c, 0, length); // resent spuriously, once: the peer sees a duplicate
            c.LineStart += (uint)length;
            c.Line++;
            c.LineAcked = 0;
            Arm(slot, _clock.Now + Delay(modifiers));
        }
        else if ((c.Flags & ConversationFlags.WindowBlocked) != 0 && c.PeerWindow > 0)
        {
            c.Retransmissions = 0;
            SendLine(slot, ref c); // the window the line was waiting for opened
        }
    }

    /// <summary>The conversation's timer fired.</summary>
    public void OnTimer(int slot)
    {
        ref var c = ref _conversations[slot];
        if (!c.IsOccupied)
            return;
        var modifiers = PolicyOf(c).Modifiers;
        if (modifiers.DropAfterSeconds > 0 && _clock.Seconds - c.Flow.FirstSeen >= (uint)modifiers.DropAfterSeconds)
        {
            End(slot, TarpitEventReason.Dropped);
            return;
        }
        if (c.PeerWindow == 0 && c.InFlight == 0)
            c.Flags |= ConversationFlags.WindowBlocked;
        if (c.InFlight > 0 || c.PeerWindow == 0)
        {
            if (c.Retransmissions >= MaxRetransmissions)
            {
                End(slot, TarpitEventReason.Unanswered);
                return;
            }
            c.Retransmissions++;
            if (c.InFlight > 0)
            {
                Send(c, c.LineAcked, c.InFlight); // the same bytes again: the line is made, not kept
                _counters.Retransmissions++;
            }
            else
            {
                // A zero-window probe, as Linux sends it: no data, one below snd_una, so the peer
                // answers with its window.
                _replies.Tcp(_links[c.Link], c.Flow.Key, new TcpReply
                {
                    Sequence = SendUnacknowledged(c) - 1, Acknowledgment = c.Flow.AckPoint, Flags = TcpFlags.Ack, Window = AdvertisedWindow,
                });
            }
            Arm(slot, _clock.Now + Math.Min(MaxTimeout, InitialTimeout << c.Retransmissions));
            return;
        }
        SendLine(slot, ref c);
    }

    /// <summary>Ends the conversation: its timer, its slot, and the log line that says what it cost.
    /// A drop leaves a silenced entry in the flow table and bans the source if the range says so.</summary>
    public void End(int slot, TarpitEventReason reason)
    {
        var c = _conversations[slot];
        _timers.Cancel(slot);
        _conversations.RemoveAt(slot);
        Report(c, reason);
        if (reason == TarpitEventReason.Dropped)
        {
            int index = _flows.Table.FindOrAdd(c.Flow.Key, FlowState.Silenced, _clock.Seconds, out _);
            _flows.Table[index] = c.Flow;
            _flows.Drop(ref _flows.Table[index], c.Flow.Key, PolicyOf(c).Modifiers);
        }
    }

    /// <summary>Sends what the window allows of the current line from where the peer's
    /// acknowledgments reached, and waits for it (a retransmission timeout).</summary>
    private void SendLine(int slot, ref Conversation c)
    {
        if (c.PeerWindow == 0)
        {
            c.Flags |= ConversationFlags.WindowBlocked;
            Arm(slot, _clock.Now + InitialTimeout); // probe the zero window
            return;
        }
        c.Flags &= ~ConversationFlags.WindowBlocked;
        int length = Line(c);
        int count = Math.Min(length - c.LineAcked, c.PeerWindow);
        if (c.LineAcked == 0)
            _counters.LinesSent++;
        if (count == length && length > 1 && Noise(PolicyOf(c).Modifiers))
        {
            // Split in two, and one time in two the halves out of order: what a bad path does.
            int cut = 1 + (int)(_random.NextUInt32() % (uint)(length - 1));
            bool reorder = (_random.NextUInt32() & 1) != 0;
            Send(c, reorder ? cut : 0, reorder ? length - cut : cut);
            Send(c, reorder ? 0 : cut, reorder ? cut : length - cut);
        }
        else
        {
            Send(c, c.LineAcked, count);
        }
        c.InFlight = (byte)count;
        Arm(slot, _clock.Now + InitialTimeout);
    }

    /// <summary>Bytes [<paramref name="offset"/>, +<paramref name="count"/>) of the current line, made again from the hash.</summary>
    private void Send(in Conversation c, int offset, int count)
    {
        Line(c);
        _replies.Tcp(_links[c.Link], c.Flow.Key, new TcpReply
        {
            Sequence = c.Flow.Cookie + 1 + c.LineStart + (uint)offset,
            Acknowledgment = c.Flow.AckPoint,
            Flags = TcpFlags.Ack | TcpFlags.Psh,
            Window = AdvertisedWindow,
            Payload = _line.AsSpan(offset, count),
        });
        _counters.BannerBytes += count;
    }

    /// <summary>Writes the conversation's current line into the scratch buffer; its length.</summary>
    private int Line(in Conversation c)
    {
        var key = c.Flow.Key;
        ulong seed = _lineKey.Hash12(key.Source.Value, key.Destination.Value, key.SourcePort, key.DestinationPort);
        return BannerLines.Write((BannerKind)c.Kind, seed, c.Line, _line);
    }

    /// <summary>The pause before the next line: the range's delay, a quarter either way.</summary>
    private long Delay(in Modifiers modifiers)
    {
        int milliseconds = modifiers.BannerDelayMilliseconds > 0 ? modifiers.BannerDelayMilliseconds : Modifiers.DefaultBannerDelayMilliseconds;
        long delay = milliseconds * Time.Millisecond;
        long jitter = delay / 2;
        return delay - jitter / 2 + (jitter > 0 ? (long)(_random.NextUInt64() % (ulong)jitter) : 0);
    }

    private bool Noise(in Modifiers modifiers)
    {
        if (modifiers.NoisePer65536 == 0 || _random.NextUInt16() >= modifiers.NoisePer65536)
            return false;
        _counters.NoiseApplied++;
        return true;
    }

    /// <summary>Our next unacknowledged sequence number (snd_una).</summary>
    public static uint SendUnacknowledged(in Conversation c) => c.Flow.Cookie + 1 + c.LineStart + c.LineAcked;

    /// <summary>Our next sequence number (snd_nxt): what our ACKs of the peer's data carry.</summary>
    public static uint SendNext(in Conversation c) => SendUnacknowledged(c) + c.InFlight;

    /// <summary>Lines sent so far, the one in progress counted once any of it has gone.</summary>
    public static uint LinesSent(in Conversation c) => c.Line + (c.LineAcked + c.InFlight > 0 ? 1u : 0u);

    private void Report(in Conversation c, TarpitEventReason reason)
    {
        // A dropped conversation stays, silenced, in the flow table, which reports it when it expires.
        if (reason != TarpitEventReason.Dropped)
            _ended?.Record(_clock.Seconds - c.Flow.FirstSeen);
        if (!_events.IsEnabled(TarpitEventKind.BannerEnd))
            return;
        var key = c.Flow.Key;
        uint lines = LinesSent(c);
        _events.Emit(new TarpitEvent(TarpitEventKind.BannerEnd, _clock.Now, key.Source, key.SourcePort, key.Destination, key.DestinationPort,
            Reason: reason, Banner: (BannerKind)c.Kind, Lines: lines, Bytes: c.LineStart + c.LineAcked + c.InFlight,
            Seconds: _clock.Seconds - c.Flow.FirstSeen));
    }
}
