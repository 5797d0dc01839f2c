using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>The tarpit: hand it a frame and the time, and it writes the replies to the frame sink
/// and its decisions to the event sink. It owns no thread, no clock and no I/O; time moves only
/// when the caller says so, which makes replays reproducible and tests able to jump hours ahead.
/// One thread at a time.</summary>
public sealed class TarpitEngine
{
    private enum Target : byte
    {
        None,
        /// <summary>An address the tarpit claimed or hard-captured; answered with the tarpit MAC.</summary>
        Claimed,
        /// <summary>Routed unused space; answered with the host's MAC.</summary>
        Routed,
        /// <summary>A tarpitted port of the host itself; answered with the host's MAC.</summary>
        HostPort,
    }

    private const int MaxFrame = 65_536 + 64;
    private const long LimitEventInterval = TarpitConfiguration.Second;

    private readonly TarpitConfiguration _configuration;
    private readonly IFrameSink _frames;
    private readonly ITarpitEventSink _events;
    private readonly RandomSource _random;
    private readonly SynCookie _cookie;
    private readonly AddressClaims _claims;
    private readonly FlowTable _flows;
    private readonly AddressSet _routed;
    private readonly AddressSet _directedBroadcasts;
    private readonly byte[] _reply = new byte[MaxFrame];
    private readonly EngineCounters _counters = new();
    private RateLimiter? _limiter;

    private bool _started;
    private long _now;
    private long _epoch;
    private long _lastSweep;
    private long _nextStats;
    private long _pendingLimitDrops;
    private TarpitEventReason _pendingLimitReason;
    private long _nextLimitEvent;

    public TarpitEngine(TarpitConfiguration configuration, IFrameSink frames, ITarpitEventSink events, RandomSource random)
    {
        _configuration = configuration;
        _frames = frames;
        _events = events;
        _random = random;
        _cookie = SynCookie.FromRandom(random);
        _claims = new AddressClaims(configuration);
        _flows = new FlowTable(configuration.TableSize, random.NextUInt64());
        _routed = AddressSet.Of(configuration.Routed.ToArray());
        _directedBroadcasts = AddressSet.Of(configuration.Networks.Concat(configuration.HardCapture).Concat(configuration.Routed)
            .Where(n => n.PrefixLength <= 30).Select(n => new AddressRange(n.Broadcast, n.Broadcast)));
    }

    public EngineCounters Counters
    {
        get
        {
            _counters.ActiveFlows = _flows.Count;
            _counters.TableEvictions = _flows.Evictions;
            _counters.TableExpired = _flows.Expired;
            return _counters;
        }
    }

    public AddressClaims Claims => _claims;
    public FlowTable Flows => _flows;
    public SynCookie Cookie => _cookie;
    public long Now => _now;

    /// <summary>Moves the engine's clock to <paramref name="now"/> (never backwards) and runs what is due:
    /// idle-flow expiry, claim pruning, limit-drop and stats events.</summary>
    public void Advance(long now)
    {
        if (!_started)
        {
            _started = true;
            _now = now;
            _epoch = now;
            _lastSweep = now;
            _nextStats = _configuration.StatsInterval > 0 ? now + _configuration.StatsInterval : long.MaxValue;
            _limiter = new RateLimiter(_configuration, now);
        }
        if (now <= _now)
            return;
        _now = now;

        // Sweep the whole table about once a minute: a bounded number of slots per call.
        long sinceSweep = now - _lastSweep;
        if (sinceSweep >= TarpitConfiguration.Second / 10)
        {
            int slots = (int)Math.Min(_flows.SlotCount, (long)_flows.SlotCount * sinceSweep / (60 * TarpitConfiguration.Second) + 1);
            _flows.Sweep(Seconds(now), (uint)Math.Min(uint.MaxValue, _configuration.FlowIdle / TarpitConfiguration.Second), slots);
            _lastSweep = now;
        }
        _claims.Prune(now);
        if (_pendingLimitDrops > 0 && now >= _nextLimitEvent)
            FlushLimitDrops();
        if (now >= _nextStats)
        {
            _nextStats = now + _configuration.StatsInterval;
            Emit(new TarpitEvent(TarpitEventKind.Stats, now, default, 0, default, 0, Counters: Counters.Snapshot()));
        }
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
            _counters.Ignored++; // our own replies seen again, or a nonsensical group source
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
                _counters.Ignored++;
                break;
        }
    }

    private void HandleArp(EthernetFrame ethernet)
    {
        var error = ArpPacket.Read(ethernet.Payload, out var arp);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        var senderIp = arp.SenderIp;
        bool fromOurMac = arp.SenderMac == _configuration.TarpitMac || arp.SenderMac == _configuration.HostMac;
        if (!fromOurMac)
        {
            if (senderIp.Value != 0)
                MarkAlive(senderIp, arp.SenderMac);
            else if (arp.IsProbe)
                MarkAlive(arp.TargetIp, arp.SenderMac); // RFC 5227: a host is about to take this address
        }
        if (!arp.IsRequest || arp.IsGratuitous || senderIp.Value == 0 || fromOurMac)
        {
            _counters.Ignored++;
            return;
        }

        var target = arp.TargetIp;
        var verdict = _claims.OnRequest(target, senderIp, _now);
        if (verdict == ArpVerdict.Ignore)
        {
            _counters.Ignored++;
            return;
        }
        if (verdict == ArpVerdict.Claim)
        {
            _counters.Claims++;
            Emit(new TarpitEvent(TarpitEventKind.Capture, _now, senderIp, 0, target, 0, _configuration.TarpitMac));
        }
        var link = new LinkAddressing(ethernet.Source, _configuration.TarpitMac, ethernet.Tags);
        int length = FrameWriter.WriteArp(_reply, link, ArpPacket.OperationReply, _configuration.TarpitMac, target, arp.SenderMac, senderIp);
        Send(length, senderIp);
    }

    private void MarkAlive(Ipv4Address address, MacAddress mac)
    {
        bool hard = _claims.IsHardCaptured(address);
        if (_claims.OnAlive(address, _now))
        {
            _counters.Releases++;
            var reason = hard ? TarpitEventReason.HardCaptureConflict : TarpitEventReason.Conflict;
            Emit(new TarpitEvent(TarpitEventKind.Release, _now, default, 0, address, 0, mac, reason));
        }
    }

    private void HandleIpv4(EthernetFrame ethernet)
    {
        var error = Ipv4Packet.Read(ethernet.Payload, out var ip);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        var source = ip.Source;
        var destination = ip.Destination;
        bool sourceClaimable = _claims.Covers(source);
        if (sourceClaimable && ethernet.Source != _configuration.HostMac)
            MarkAlive(source, ethernet.Source);

        var target = Classify(ethernet.Destination, destination, ip.Protocol);
        if (target == Target.None || NeverAnswer(source, sourceClaimable))
        {
            _counters.Ignored++;
            return;
        }
        if (ip.IsFragment || ip.HasOptions)
        {
            _counters.Ignored++;
            return;
        }
        if (!ip.IsHeaderChecksumValid)
        {
            _counters.BadChecksums++;
            return;
        }
        switch (ip.Protocol)
        {
            case Ipv4Packet.ProtocolTcp:
                HandleTcp(ethernet, ip, target);
                break;
            case Ipv4Packet.ProtocolIcmp when target != Target.HostPort:
                HandleIcmp(ethernet, ip, target);
                break;
            default:
                _counters.Ignored++;
                break;
        }
    }

    private Target Classify(MacAddress frameDestination, Ipv4Address destination, byte protocol)
    {
        if (frameDestination == _configuration.TarpitMac)
            return _claims.IsOurs(destination, _now) ? Target.Claimed : Target.None;
        if (frameDestination != _configuration.HostMac)
            return Target.None;
        if (_routed.Contains(destination))
            return Target.Routed;
        if (destination == _configuration.HostIp && protocol == Ipv4Packet.ProtocolTcp && !_configuration.HostPorts.IsEmpty)
            return Target.HostPort;
        return Target.None;
    }

    /// <summary>Sources no reply may go to: broadcast, multicast, class E, this-network, loopback,
    /// our own addresses, directed broadcasts of our networks, and the configured ignore list.</summary>
    private bool NeverAnswer(Ipv4Address source, bool sourceClaimable)
    {
        uint value = source.Value;
        if (value >= 0xE000_0000 || source.IsThisNetwork || source.IsLoopback)
            return true;
        // Claim lookups (a hash set, a dictionary) only for sources inside claimable space.
        if (source == _configuration.HostIp || (sourceClaimable && _claims.IsOurs(source, _now)) || _routed.Contains(source))
            return true;
        return _directedBroadcasts.Contains(source) || _configuration.IgnoredSources.Contains(source);
    }

    private void HandleTcp(EthernetFrame ethernet, Ipv4Packet ip, Target target)
    {
        var error = TcpSegment.Read(ip.Payload, out var tcp);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        if (!tcp.IsChecksumValid(ip.Source, ip.Destination))
        {
            _counters.BadChecksums++;
            return;
        }
        ushort port = tcp.DestinationPort;
        var replyMac = target == Target.Claimed ? _configuration.TarpitMac : _configuration.HostMac;
        var link = new LinkAddressing(ethernet.Source, replyMac, ethernet.Tags);
        var key = new FlowKey(ip.Source, ip.Destination, tcp.SourcePort, port);

        bool tarpitted = target == Target.HostPort
            ? _configuration.HostPorts.Contains(port)
            : _configuration.Ports.Contains(port) && !_configuration.ExcludedPorts.Contains(port);
        if (!tarpitted)
        {
            if (target == Target.HostPort)
                _counters.Ignored++; // the host's own stack answers its other ports
            else
                AnswerClosedPort(link, key, tcp);
            return;
        }

        var flags = tcp.Flags;
        if ((flags & TcpFlags.Rst) != 0)
        {
            CloseIgnored(key);
            return;
        }
        switch (flags & (TcpFlags.Syn | TcpFlags.Ack))
        {
            case TcpFlags.Syn:
                AnswerSyn(link, key, tcp);
                break;
            case TcpFlags.SynAck:
                AnswerSynAck(link, key, tcp);
                break;
            case TcpFlags.Ack:
                if (_configuration.Mode == TarpitMode.Persist)
                    HandlePersist(link, key, tcp);
                else
                    Account(key, tcp);
                break;
            default:
                _counters.Ignored++; // FIN, NULL or Xmas probes without ACK: an open port says nothing
                break;
        }
    }

    private void AnswerSyn(LinkAddressing link, in FlowKey key, TcpSegment tcp)
    {
        uint cookie = _cookie.For(key);
        uint acknowledgment = tcp.SequenceNumber + 1;
        int length = FrameWriter.WriteTcp(_reply, link, key.Destination, key.Source, _random.NextUInt16(), FrameWriter.DefaultTimeToLive,
            key.DestinationPort, key.SourcePort, cookie, acknowledgment, TcpFlags.SynAck, _configuration.Window);
        Send(length, key.Source);

        uint now = Seconds(_now);
        int index = _flows.FindOrAdd(key, FlowState.SynAcked, now, out bool isNew);
        if (!isNew && _flows[index].AckPoint != acknowledgment)
        {
            // The same 4-tuple opened again with a new initial sequence number: a new connection.
            _flows[index] = new FlowEntry { Key = key, State = FlowState.SynAcked, LastSeen = now };
            isNew = true;
        }
        ref var entry = ref _flows[index];
        entry.Cookie = cookie;
        entry.AckPoint = acknowledgment;
        entry.LastSeen = now;
        if (isNew)
        {
            _counters.Connects++;
            Emit(new TarpitEvent(TarpitEventKind.Connect, _now, key.Source, key.SourcePort, key.Destination, key.DestinationPort));
        }
    }

    private void AnswerSynAck(LinkAddressing link, in FlowKey key, TcpSegment tcp)
    {
        if (!_configuration.AnswerSynAckWithRst)
        {
            _counters.Ignored++;
            return;
        }
        int length = FrameWriter.WriteTcp(_reply, link, key.Destination, key.Source, _random.NextUInt16(), FrameWriter.DefaultTimeToLive,
            key.DestinationPort, key.SourcePort, tcp.AcknowledgmentNumber, 0, TcpFlags.Rst, 0);
        if (Send(length, key.Source))
        {
            _counters.SynAckResets++;
            Emit(new TarpitEvent(TarpitEventKind.SynAckRst, _now, key.Source, key.SourcePort, key.Destination, key.DestinationPort));
        }
    }

    /// <summary>A port that is not tarpitted answers like a closed port (RFC 9293 §3.10.7.1), or
    /// not at all behind <see cref="TarpitConfiguration.Firewall"/>.</summary>
    private void AnswerClosedPort(LinkAddressing link, in FlowKey key, TcpSegment tcp)
    {
        if (_configuration.Firewall || (tcp.Flags & TcpFlags.Rst) != 0)
        {
            _counters.Ignored++;
            return;
        }
        int length;
        if ((tcp.Flags & TcpFlags.Ack) != 0)
        {
            length = FrameWriter.WriteTcp(_reply, link, key.Destination, key.Source, _random.NextUInt16(), FrameWriter.DefaultTimeToLive,
                key.DestinationPort, key.SourcePort, tcp.AcknowledgmentNumber, 0, TcpFlags.Rst, 0);
        }
        else
        {
            uint consumed = (uint)tcp.Payload.Length + ((tcp.Flags & TcpFlags.Syn) != 0 ? 1u : 0u) + ((tcp.Flags & TcpFlags.Fin) != 0 ? 1u : 0u);
            length = FrameWriter.WriteTcp(_reply, link, key.Destination, key.Source, _random.NextUInt16(), FrameWriter.DefaultTimeToLive,
                key.DestinationPort, key.SourcePort, 0, tcp.SequenceNumber + consumed, TcpFlags.RstAck, 0);
        }
        if (Send(length, key.Source))
            _counters.PortResets++;
    }

    /// <summary>Persist mode: acknowledge the first data with window 0, then answer every window
    /// probe with an ACK of exactly the point already acknowledged. Linux probes with no data at
    /// snd_una−1, other stacks with one byte at snd_una; both get ack = snd_una, which Linux takes
    /// as a fresh ACK and so never counts the probe as unanswered.</summary>
    private void HandlePersist(LinkAddressing link, in FlowKey key, TcpSegment tcp)
    {
        int index = _flows.Find(key);
        // A flow in the table carries its cookie; only an unknown one costs a SipHash.
        uint cookie = index >= 0 ? _flows[index].Cookie : _cookie.For(key);
        if (tcp.AcknowledgmentNumber != cookie + 1)
        {
            _counters.Ignored++; // not a connection this tarpit opened (or one from before a key change)
            return;
        }
        uint now = Seconds(_now);
        int payload = tcp.Payload.Length;
        bool fin = (tcp.Flags & TcpFlags.Fin) != 0;

        if (index >= 0 && _flows[index].State == FlowState.Persist)
        {
            ref var entry = ref _flows[index];
            entry.LastSeen = now;
            if (fin && payload == 0)
            {
                CloseIgnored(ref entry, key);
                return;
            }
            if (payload > 1 && tcp.SequenceNumber == entry.AckPoint && payload <= _configuration.Window)
            {
                // More of the data the offered window let through, sent before our window-0 ACK
                // arrived: take it too, so that nothing stays in flight and the attacker's stack
                // waits on its persist timer rather than its retransmission timer.
                entry.AckPoint += (uint)payload;
            }
            AnswerProbe(link, key, cookie, entry.AckPoint);
            return;
        }

        if (index < 0 && payload == 0 && !fin)
        {
            // No record of this flow (evicted, or the tarpit restarted with the same key), and a
            // bare ACK that carries our cookie: treat it as a Linux probe at snd_una−1 so the
            // connection stays held. Were it a handshake ACK instead, Linux drops an ACK of data
            // it never sent without answering, so nothing loops.
            index = _flows.Add(key, FlowState.Persist, now);
            ref var entry = ref _flows[index];
            entry.Cookie = cookie;
            entry.AckPoint = tcp.SequenceNumber + 1;
            entry.LastSeen = now;
            AnswerProbe(link, key, cookie, entry.AckPoint);
            return;
        }

        if (index < 0)
        {
            index = _flows.Add(key, FlowState.Established, now);
            _flows[index].Cookie = cookie;
            _flows[index].AckPoint = tcp.SequenceNumber;
        }
        ref var flow = ref _flows[index];
        flow.LastSeen = now;

        if (payload == 0)
        {
            if (fin)
            {
                CloseIgnored(ref flow, key);
            }
            else if (flow.State == FlowState.SynAcked)
            {
                flow.State = FlowState.Established;
                _counters.Established++;
                Emit(new TarpitEvent(TarpitEventKind.Established, _now, key.Source, key.SourcePort, key.Destination, key.DestinationPort));
            }
            return;
        }
        if (payload > _configuration.Window)
        {
            _counters.Ignored++; // more than the window we offered: not a segment we will take
            return;
        }

        // The first data: take it, and close the window.
        flow.AckPoint = tcp.SequenceNumber + (uint)payload;
        flow.State = FlowState.Persist;
        int length = FrameWriter.WriteTcp(_reply, link, key.Destination, key.Source, _random.NextUInt16(), FrameWriter.DefaultTimeToLive,
            key.DestinationPort, key.SourcePort, cookie + 1, flow.AckPoint, TcpFlags.Ack, 0);
        Send(length, key.Source);
        _counters.PersistTrapped++;
        Emit(new TarpitEvent(TarpitEventKind.Persist, _now, key.Source, key.SourcePort, key.Destination, key.DestinationPort, Count: payload));
        if (fin)
            CloseIgnored(ref flow, key);
    }

    private void AnswerProbe(LinkAddressing link, in FlowKey key, uint cookie, uint ackPoint)
    {
        int length = FrameWriter.WriteTcp(_reply, link, key.Destination, key.Source, _random.NextUInt16(), FrameWriter.DefaultTimeToLive,
            key.DestinationPort, key.SourcePort, cookie + 1, ackPoint, TcpFlags.Ack, 0);
        if (Send(length, key.Source))
        {
            _counters.ProbesAnswered++;
            if (_events.IsEnabled(TarpitEventKind.Probe))
                _events.Emit(new TarpitEvent(TarpitEventKind.Probe, _now, key.Source, key.SourcePort, key.Destination, key.DestinationPort));
        }
    }

    /// <summary>Tarpit mode: nothing after the SYN-ACK is answered, but the table still learns what happened.</summary>
    private void Account(in FlowKey key, TcpSegment tcp)
    {
        int index = _flows.Find(key);
        if (index < 0 || tcp.AcknowledgmentNumber != _flows[index].Cookie + 1)
        {
            _counters.Ignored++;
            return;
        }
        ref var flow = ref _flows[index];
        flow.LastSeen = Seconds(_now);
        if ((tcp.Flags & TcpFlags.Fin) != 0)
        {
            CloseIgnored(ref flow, key);
        }
        else if (flow.State == FlowState.SynAcked && tcp.Payload.Length == 0)
        {
            flow.State = FlowState.Established;
            _counters.Established++;
            Emit(new TarpitEvent(TarpitEventKind.Established, _now, key.Source, key.SourcePort, key.Destination, key.DestinationPort));
        }
    }

    private void CloseIgnored(in FlowKey key)
    {
        int index = _flows.Find(key);
        if (index < 0)
        {
            _counters.Ignored++;
            return;
        }
        ref var flow = ref _flows[index];
        flow.LastSeen = Seconds(_now);
        CloseIgnored(ref flow, key);
    }

    private void CloseIgnored(ref FlowEntry flow, in FlowKey key)
    {
        if ((flow.Flags & FlowFlags.CloseIgnored) != 0)
            return;
        flow.Flags |= FlowFlags.CloseIgnored;
        _counters.CloseIgnored++;
        Emit(new TarpitEvent(TarpitEventKind.CloseIgnored, _now, key.Source, key.SourcePort, key.Destination, key.DestinationPort));
    }

    private void HandleIcmp(EthernetFrame ethernet, Ipv4Packet ip, Target target)
    {
        var error = IcmpMessage.Read(ip.Payload, out var icmp);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        if (!icmp.IsEchoRequest || !_configuration.AnswerPing)
        {
            _counters.Ignored++;
            return;
        }
        if (!icmp.IsChecksumValid)
        {
            _counters.BadChecksums++;
            return;
        }
        var mac = target == Target.Claimed ? _configuration.TarpitMac : _configuration.HostMac;
        int length = FrameWriter.WriteIcmpEcho(_reply, new LinkAddressing(ethernet.Source, mac, ethernet.Tags),
            ip.Destination, ip.Source, _random.NextUInt16(), FrameWriter.DefaultTimeToLive,
            IcmpMessage.TypeEchoReply, icmp.Identifier, icmp.SequenceNumber, icmp.Payload);
        if (Send(length, ip.Source))
        {
            _counters.PingsAnswered++;
            Emit(new TarpitEvent(TarpitEventKind.Ping, _now, ip.Source, 0, ip.Destination, 0));
        }
    }

    /// <summary>Sends the reply in the buffer if the limits admit it; counts and aggregates the drop otherwise.</summary>
    private bool Send(int length, Ipv4Address destination)
    {
        var verdict = _limiter!.TryAdmit(destination.Value, length, _now);
        if (verdict != TarpitEventReason.None)
        {
            _counters.LimitDrops++;
            if (_pendingLimitDrops == 0)
                _nextLimitEvent = Math.Max(_nextLimitEvent, _now);
            _pendingLimitDrops++;
            _pendingLimitReason = verdict;
            if (_now >= _nextLimitEvent)
                FlushLimitDrops();
            return false;
        }
        _frames.Send(_reply.AsSpan(0, length));
        _counters.RepliesSent++;
        _counters.BytesSent += length;
        return true;
    }

    private void FlushLimitDrops()
    {
        Emit(new TarpitEvent(TarpitEventKind.LimitDrop, _now, default, 0, default, 0, Reason: _pendingLimitReason, Count: _pendingLimitDrops));
        _pendingLimitDrops = 0;
        _nextLimitEvent = _now + LimitEventInterval;
    }

    private void Emit(in TarpitEvent tarpitEvent)
    {
        if (_events.IsEnabled(tarpitEvent.Kind))
            _events.Emit(tarpitEvent);
    }

    private void Count(PacketError error)
    {
        if (error == PacketError.Unsupported)
            _counters.Ignored++;
        else
            _counters.Malformed++;
    }

    private uint Seconds(long time) => (uint)((time - _epoch) / TarpitConfiguration.Second);
}
