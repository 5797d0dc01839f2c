using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Behaviours;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>The tarpit: hand it a frame and the time, and it writes the replies to the frame sink
/// and its decisions to the event sink. It owns no thread, no clock and no I/O; time moves only
/// when the caller says so, which makes replays reproducible and tests able to jump hours ahead.
/// One thread at a time.
///
/// This file is the dispatcher: construction, time, and the first step of a frame (Ethernet). Each
/// protocol has its own file (<c>TarpitEngine.Arp.cs</c>, <c>.Ipv4.cs</c>, <c>.Tcp.cs</c>,
/// <c>.Icmp.cs</c>); what is ours is <see cref="Admission"/>'s question; what a TCP port does is its
/// <see cref="PortMap"/> entry and the responder in <c>Behaviours/</c>; every reply leaves through the
/// <see cref="ReplyWriter"/>.</summary>
public sealed partial class TarpitEngine
{
    /// <summary>Purposes for keys derived from the cookie secret (<see cref="SynCookie.Derive"/>).</summary>
    private const uint ClaimTableKey = 1;
    private const uint LineKey0 = 2, LineKey1 = 3, ConversationTableKey = 4, BanListKey = 5, PersonalityKey0 = 6, PersonalityKey1 = 7;
    /// <summary>The flow table's expiry sweep runs when at least this long has passed since the last.</summary>
    private const long SweepStep = Time.Second / 10;
    /// <summary>How often a loop must wake to keep sweeping while the table holds flows.</summary>
    private const long SweepWake = Time.Second;

    private readonly TarpitConfiguration _configuration;
    private readonly SynCookie _cookie;
    private readonly AddressClaims _claims;
    private readonly FlowTable _flows;
    private readonly Admission _admission;
    private readonly EngineCounters _counters = new();
    private readonly HeldTimes _ended = new();
    private (long[] ByPort, byte[] BehaviourOf, byte[] HostBehaviourOf)? _trappedScratch;
    private readonly EngineClock _clock = new();
    private readonly EventEmitter _events;
    private readonly ReplyWriter _replies;
    private readonly PortMap _ports;
    private readonly PortMap _hostPorts;
    private readonly TrappedFlows _trapped;
    private readonly SynResponder _syn;
    private readonly PersistResponder _persist;
    private readonly TarpitResponder _tarpit;
    private readonly ClosedPortResponder _closedPort;
    private readonly SynAckResetResponder _synAckReset;
    // Allocated only when some port range uses them: a million persist flows pay nothing for these.
    private readonly BannerSender? _bannerSender;
    private readonly BannerResponder? _banner;
    private readonly DelayedReplies? _delayed;
    private readonly BanList? _bans;
    /// <summary>Stealth only: each address's face.</summary>
    private readonly Personalities? _faces;
    private readonly SynAckRetransmits? _retransmits;
    private readonly bool _standIn;

    private long _lastSweep;
    private long _nextStats;

    public TarpitEngine(TarpitConfiguration configuration, IFrameSink frames, ITarpitEventSink events, RandomSource random)
    {
        _configuration = configuration;
        _standIn = configuration.StandIn;
        // The order of these draws is part of what makes a seeded replay byte-identical.
        _cookie = SynCookie.FromRandom(random);
        _flows = new FlowTable(configuration.TableSize, random.NextUInt64(), _ended);
        _claims = new AddressClaims(configuration.Claims, _cookie.Derive(ClaimTableKey));
        _events = new EventEmitter(events, _clock);
        if (configuration.Profile == TarpitProfile.Stealth)
            _faces = new Personalities(_cookie.Derive(PersonalityKey0), _cookie.Derive(PersonalityKey1), configuration.HostIp, random);
        _replies = new ReplyWriter(configuration, frames, random, _counters, _events, _clock, _faces);
        _ports = configuration.Ports;
        _hostPorts = configuration.HostPorts;
        var policies = _ports.Policies.Concat(_hostPorts.Policies).ToArray();
        if (policies.Any(p => p.Modifiers.BanSeconds > 0))
            _bans = new BanList(configuration.BanListSize, _cookie.Derive(BanListKey));
        if (policies.Any(p => p.Modifiers.DelaysAcks))
            _delayed = new DelayedReplies(configuration.DelayedAckCapacity, 0, _replies, _counters);
        _admission = new Admission(configuration, _claims, _bans, _clock, _faces);

        _trapped = new TrappedFlows(_flows, _counters, _events, _clock, _bans);
        var acks = new AckSender(_replies, _delayed, random, _counters, _clock);
        _closedPort = new ClosedPortResponder(_replies, _counters);
        var unsolicited = _faces is null ? null : _closedPort; // stealth: an ACK of no connection gets a listener's RST
        if (_faces is not null)
            _retransmits = new SynAckRetransmits(_flows, _faces, _replies, _counters, _clock);
        _syn = new SynResponder(_trapped, _cookie, _replies, _counters, _events, configuration.Window, _faces, _clock, _retransmits);
        _persist = new PersistResponder(_trapped, _cookie, acks, _counters, _events, configuration.Window, _faces, unsolicited);
        _tarpit = new TarpitResponder(_trapped, _counters, unsolicited);
        _synAckReset = new SynAckResetResponder(_replies, _counters, _events, configuration.AnswerSynAckWithRst);
        if (policies.Any(p => p.Behaviour == TcpBehaviour.Banner))
        {
            var conversations = new ConversationTable(configuration.ConversationTableSize, _cookie.Derive(ConversationTableKey));
            _bannerSender = new BannerSender(conversations, new LinkBook(), _replies, _trapped,
                new SynCookie(_cookie.Derive(LineKey0), _cookie.Derive(LineKey1)), _ports, _hostPorts, random, _counters, _events, _clock, _ended);
            _banner = new BannerResponder(_bannerSender, _syn, _persist, _trapped, _cookie, acks, _counters, unsolicited, _faces);
        }
    }

    public EngineCounters Counters
    {
        get
        {
            _counters.ActiveFlows = _flows.Count + (_bannerSender?.Conversations.Count ?? 0);
            _counters.ActiveConversations = _bannerSender?.Conversations.Count ?? 0;
            _counters.TableEvictions = _flows.Evictions;
            _counters.TableExpired = _flows.Expired;
            _counters.BansActive = _bans?.ActiveAt(_clock.Seconds) ?? 0;
            return _counters;
        }
    }

    /// <summary>How long the flows that ended were held (expired, evicted, conversations ended).</summary>
    public HeldTimes Ended => _ended;

    /// <summary>What the tarpit holds now: every flow counted by state and behaviour, and the
    /// <paramref name="top"/> held longest. One pass over both tables, counting into arrays (a
    /// million flows take tens of milliseconds, the table's memory read once: bench.sh scrape), so
    /// it is for a scrape or a status request, not for every packet.</summary>
    public TrappedView Trapped(int top)
    {
        int behaviours = TrappedView.Behaviours.Length;
        var byState = new long[TrappedView.States.Length * behaviours];
        // Made on the first request and kept (the port maps never change): 640 KB that a scrape
        // every few seconds would otherwise allocate each time, on the large-object heap.
        if (_trappedScratch is null)
        {
            var claimed = new byte[65_536];
            var host = new byte[65_536];
            for (int port = 0; port < 65_536; port++)
            {
                claimed[port] = (byte)TrappedView.BehaviourIndex(_ports[(ushort)port]);
                host[port] = (byte)TrappedView.BehaviourIndex(_hostPorts[(ushort)port]);
            }
            _trappedScratch = (new long[65_536], claimed, host);
        }
        var (byPort, behaviourOf, hostBehaviourOf) = _trappedScratch.Value;
        Array.Clear(byPort);
        // The longest held are those with the smallest first-seen time: a heap of the top ones
        // whose root is the most recent of them, replaced when an older flow comes along.
        var longest = new PriorityQueue<(int Slot, int State, int Behaviour), long>();
        void Consider(in FlowEntry flow, int slot, int state, int behaviour)
        {
            byState[state * behaviours + behaviour]++;
            byPort[flow.Key.DestinationPort]++;
            if (top <= 0)
                return;
            if (longest.Count < top)
                longest.Enqueue((slot, state, behaviour), -(long)flow.FirstSeen);
            else if (longest.TryPeek(out _, out long newest) && -newest > flow.FirstSeen)
                longest.EnqueueDequeue((slot, state, behaviour), -(long)flow.FirstSeen);
        }

        var hostIp = _configuration.HostIp;
        for (int i = 0; i < _flows.SlotCount; i++)
        {
            ref readonly var flow = ref _flows[i];
            if (!flow.IsOccupied)
                continue;
            ushort port = flow.Key.DestinationPort;
            Consider(flow, i, TrappedView.StateIndex(flow.State), hostIp == flow.Key.Destination ? hostBehaviourOf[port] : behaviourOf[port]);
        }
        var conversations = _bannerSender?.Conversations;
        for (int i = 0; i < (conversations?.Capacity ?? 0); i++)
        {
            ref readonly var c = ref conversations![i];
            if (c.IsOccupied)
                Consider(c.Flow, i, TrappedView.TalkingIndex, TrappedView.BehaviourIndex(_bannerSender!.PolicyOf(c)));
        }

        var ordered = new TrappedFlow[longest.Count];
        for (int i = ordered.Length - 1; i >= 0; i--)
        {
            var (slot, state, behaviour) = longest.Dequeue(); // the most recent leaves first: fill from the end
            bool talking = state == TrappedView.TalkingIndex;
            ref readonly var flow = ref talking ? ref conversations![slot].Flow : ref _flows[slot];
            ordered[i] = new TrappedFlow(flow.Key, TrappedView.States[state], TrappedView.Behaviours[behaviour],
                _clock.Epoch + flow.FirstSeen * Time.Second, _clock.Epoch + flow.LastSeen * Time.Second,
                talking || flow.State != FlowState.Persist ? 0 : flow.Probes, talking ? BannerSender.LinesSent(conversations![slot]) : 0);
        }

        var states = new Dictionary<(string, string), long>();
        for (int i = 0; i < byState.Length; i++)
            if (byState[i] > 0)
                states[(TrappedView.States[i / behaviours], TrappedView.Behaviours[i % behaviours])] = byState[i];
        var ports = new Dictionary<ushort, long>();
        for (int port = 0; port < byPort.Length; port++)
            if (byPort[port] > 0)
                ports[(ushort)port] = byPort[port];
        return new TrappedView { Now = _clock.Now, Counters = Counters.Snapshot(), Ended = _ended.Snapshot(), ByState = states, ByPort = ports, Longest = ordered };
    }

    /// <summary>Stealth: the face each address shows; null under the classic profile.</summary>
    public Personalities? Personalities => _faces;

    public AddressClaims Claims => _claims;
    public FlowTable Flows => _flows;
    public SynCookie Cookie => _cookie;
    public long Now => _clock.Now;

    /// <summary>The latest time by which <see cref="Advance"/> must be called for everything to
    /// happen on time (a loop may sleep until then unless a frame comes): the next stats event,
    /// limit-drop report, claim-table and flow-table sweep. <see cref="long.MaxValue"/> when
    /// nothing is pending; before the first <see cref="Advance"/> or <see cref="Process"/>,
    /// <see cref="long.MinValue"/>.</summary>
    public long NextDeadline
    {
        get
        {
            if (!_clock.Started)
                return long.MinValue;
            long next = Math.Min(_nextStats, _replies.NextLimitEvent);
            next = Math.Min(next, _claims.NextPrune);
            if (_flows.Count > 0 || _bans?.Count > 0)
                next = Math.Min(next, _lastSweep + SweepWake);
            if (_bannerSender is not null)
                next = Math.Min(next, _bannerSender.NextDeadline);
            if (_delayed is not null)
                next = Math.Min(next, _delayed.NextDeadline);
            if (_retransmits is not null)
                next = Math.Min(next, _retransmits.NextDeadline);
            return next;
        }
    }

    /// <summary>Moves the engine's clock to <paramref name="now"/> (never backwards) and runs what is due:
    /// idle-flow expiry, claim pruning, limit-drop and stats events.</summary>
    public void Advance(long now)
    {
        if (!_clock.Started)
            Start(now);
        if (!_clock.MoveTo(now))
            return;

        // Sweep the whole table about once a minute: a bounded number of slots per call.
        long sinceSweep = now - _lastSweep;
        if (sinceSweep >= SweepStep)
        {
            int slots = (int)Math.Min(_flows.SlotCount, (long)_flows.SlotCount * sinceSweep / (60 * Time.Second) + 1);
            _flows.Sweep(_clock.Seconds, (uint)Math.Min(uint.MaxValue, _configuration.FlowIdle / Time.Second), slots);
            _bans?.Sweep(_clock.Seconds, (int)Math.Min(_bans.Capacity, (long)_bans.Capacity * sinceSweep / (60 * Time.Second) + 1));
            _lastSweep = now;
        }
        _claims.Prune(now);
        _bannerSender?.Advance(now);
        _delayed?.Advance(now);
        _retransmits?.Advance(now);
        _replies.Advance(now);
        if (now >= _nextStats)
        {
            _nextStats = now + _configuration.StatsInterval;
            _events.Emit(new TarpitEvent(TarpitEventKind.Stats, now, default, 0, default, 0, Counters: Counters.Snapshot()));
        }
    }

    private void Start(long now)
    {
        _clock.Start(now);
        _lastSweep = now;
        _nextStats = _configuration.StatsInterval > 0 ? now + _configuration.StatsInterval : long.MaxValue;
        _replies.Start(now);
        _bannerSender?.Advance(now); // the wheels start from the engine's first time, not from 0
        _delayed?.Advance(now);
        _retransmits?.Advance(now);
    }

    /// <summary>A hint that <paramref name="frame"/> will be handed to <see cref="Process"/> soon: if it
    /// is a TCP segment, its flow's slot in the table starts on its way into the cache. A loop that
    /// holds several frames prefetches them all and then processes them, so that their cache
    /// misses overlap instead of following one another. Reads the headers with the same readers
    /// as Process (no checksums), changes nothing, and ignores whatever it cannot read.</summary>
    public void Prefetch(ReadOnlySpan<byte> frame)
    {
        if (EthernetFrame.Read(frame, out var ethernet) != PacketError.None || ethernet.EtherType != EtherType.Ipv4
            || Ipv4Packet.Read(ethernet.Payload, out var ip) != PacketError.None || ip.Protocol != Ipv4Packet.ProtocolTcp
            || TcpSegment.Read(ip.Payload, out var tcp) != PacketError.None)
            return;
        _flows.Prefetch(new FlowKey(ip.Source, ip.Destination, tcp.SourcePort, tcp.DestinationPort));
    }

    /// <summary>Handles one captured frame seen at <paramref name="now"/>.</summary>
    public void Process(ReadOnlySpan<byte> frame, long now)
    {
        Advance(now);
        _counters.FramesRead++;
        var error = EthernetFrame.Read(frame, out var ethernet);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        var source = ethernet.Source;
        if (source == _configuration.TarpitMac || source.IsGroup)
        {
            _counters.IgnoredNotForUs++; // our own replies seen again, or a nonsensical group source
            return;
        }
        switch (ethernet.EtherType)
        {
            case EtherType.Arp:
                HandleArp(ethernet);
                break;
            case EtherType.Ipv4:
                HandleIpv4(ethernet);
                break;
            default:
                _counters.IgnoredProtocol++;
                break;
        }
    }

    private void Count(PacketError error)
    {
        if (error == PacketError.Unsupported)
            _counters.IgnoredProtocol++;
        else
            _counters.Malformed++;
    }
}
