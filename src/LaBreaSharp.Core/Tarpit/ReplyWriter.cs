using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>What a behaviour wants to send on a connection: the TCP fields that are its decision.
/// Addresses, ports, IP header and checksums are the <see cref="ReplyWriter"/>'s.</summary>
public readonly ref struct TcpReply
{
    public uint Sequence { get; init; }
    public uint Acknowledgment { get; init; }
    public TcpFlags Flags { get; init; }
    public ushort Window { get; init; }
    public ReadOnlySpan<byte> Options { get; init; }
    public ReadOnlySpan<byte> Payload { get; init; }
    /// <summary>Stealth: the connection negotiated timestamps. The writer adds NOP, NOP, TSval (the
    /// address's clock when the segment leaves, so a delayed ACK carries its own time) and
    /// <see cref="TimestampEcho"/>, in front of <see cref="Options"/>.</summary>
    public bool Timestamped { get; init; }
    public uint TimestampEcho { get; init; }
}

/// <summary>The one way out of the engine. It writes each reply into one reused buffer (the frame
/// the request came in is never written into), with the IP header habits of the host it speaks for
/// (classic: <see cref="HostPersonality"/>; stealth: the address's <see cref="Personality"/>)
/// applied, asks the limits whether it may go, and counts it. What a cap refuses is dropped, never
/// queued, and reported as one aggregated limit-drop event a second at most.</summary>
internal sealed class ReplyWriter
{
    private const int MaxFrame = 65_536 + 64;
    private const long LimitEventInterval = Time.Second;

    private readonly byte[] _frame = new byte[MaxFrame];
    private readonly TarpitConfiguration _configuration;
    private readonly IFrameSink _sink;
    private readonly RandomSource _random;
    private readonly EngineCounters _counters;
    private readonly EventEmitter _events;
    private readonly EngineClock _clock;
    private readonly HostPersonality _host = HostPersonality.Classic;
    private readonly Personalities? _faces;
    private RateLimiter? _limiter;
    private long _pendingLimitDrops;
    private TarpitEventReason _pendingLimitReason;
    private long _nextLimitEvent;

    public ReplyWriter(TarpitConfiguration configuration, IFrameSink sink, RandomSource random, EngineCounters counters,
        EventEmitter events, EngineClock clock, Personalities? faces = null)
    {
        _faces = faces;
        _configuration = configuration;
        _sink = sink;
        _random = random;
        _counters = counters;
        _events = events;
        _clock = clock;
    }

    /// <summary>When the pending limit-drop event is due, or <see cref="long.MaxValue"/> when none is.</summary>
    public long NextLimitEvent => _pendingLimitDrops > 0 ? _nextLimitEvent : long.MaxValue;

    /// <summary>Starts the limits' buckets full at <paramref name="now"/>.</summary>
    public void Start(long now) => _limiter = new RateLimiter(_configuration, now);

    /// <summary>Sends <paramref name="reply"/> back along the connection <paramref name="key"/> came in
    /// on (from its destination to its source). False when a limit dropped it.</summary>
    public bool Tcp(LinkAddressing link, in FlowKey key, in TcpReply reply)
    {
        if (_faces is not null)
            return StealthTcp(link, key, reply);
        int length = FrameWriter.WriteTcp(_frame, link, key.Destination, key.Source, _host.NextIdentification(_random), _host.TimeToLive,
            key.DestinationPort, key.SourcePort, reply.Sequence, reply.Acknowledgment, reply.Flags, reply.Window,
            reply.Options, reply.Payload, _host.DontFragment);
        return Send(length, key.Source);
    }

    private bool StealthTcp(LinkAddressing link, in FlowKey key, in TcpReply reply)
    {
        var face = _faces!.Of(key.Destination);
        var stack = face.Stack;
        bool reset = (reply.Flags & TcpFlags.Rst) != 0;
        ushort id = _faces.Identification(reset ? stack.ResetIds : stack.ConnectionIds);
        scoped ReadOnlySpan<byte> options = reply.Options;
        Span<byte> withTimestamp = stackalloc byte[reply.Timestamped ? 40 : 0];
        if (reply.Timestamped && options.Length <= 28)
        {
            var w = new OptionWriter(withTimestamp);
            w.Nop();
            w.Nop();
            w.Timestamps(face.TimestampValue(_clock.Now, key.Source), reply.TimestampEcho);
            options.CopyTo(withTimestamp.Slice(w.Length));
            options = withTimestamp[..(w.Length + options.Length)];
        }
        int length = FrameWriter.WriteTcp(_frame, link, key.Destination, key.Source, id, StealthTtl(stack, link, key.Destination),
            key.DestinationPort, key.SourcePort, reply.Sequence, reply.Acknowledgment, reply.Flags, reply.Window,
            options, reply.Payload, reset ? stack.ResetDontFragment : stack.DontFragment);
        return Send(length, key.Source);
    }

    /// <summary>A stealth host's TTL as the peer sees it: routed space (answered from the host's MAC,
    /// not the host's own address) sits one router further, this gateway, so one less.</summary>
    private byte StealthTtl(StackProfile stack, LinkAddressing link, Ipv4Address from) =>
        link.From == _configuration.HostMac && from != _configuration.HostIp ? (byte)(stack.TimeToLive - 1) : stack.TimeToLive;

    public bool ArpReply(LinkAddressing link, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp)
    {
        int length = FrameWriter.WriteArp(_frame, link, ArpPacket.OperationReply, senderMac, senderIp, targetMac, targetIp);
        return Send(length, targetIp);
    }

    /// <summary>An RFC 5227 probe for <paramref name="targetIp"/>: a request from 0.0.0.0 that its owner,
    /// if it has one, answers to <paramref name="senderMac"/> alone.</summary>
    public bool ArpProbe(LinkAddressing link, MacAddress senderMac, Ipv4Address targetIp)
    {
        int length = FrameWriter.WriteArp(_frame, link, ArpPacket.OperationRequest, senderMac, Ipv4Address.Any, default, targetIp);
        return Send(length, targetIp);
    }

    public bool EchoReply(LinkAddressing link, Ipv4Address source, Ipv4Address target, IcmpMessage request)
    {
        var stack = _faces?.Of(source).Stack;
        ushort id = stack is null ? _host.NextIdentification(_random) : _faces!.Identification(stack.IcmpIds);
        int length = FrameWriter.WriteIcmpEcho(_frame, link, source, target, id, stack is null ? _host.TimeToLive : StealthTtl(stack, link, source),
            IcmpMessage.TypeEchoReply, request.Identifier, request.SequenceNumber, request.Payload);
        return Send(length, target);
    }

    /// <summary>Emits the aggregated limit-drop event when it is due.</summary>
    public void Advance(long now)
    {
        if (_pendingLimitDrops > 0 && now >= _nextLimitEvent)
            FlushLimitDrops();
    }

    private bool Send(int length, Ipv4Address destination)
    {
        long now = _clock.Now;
        var verdict = _limiter!.TryAdmit(destination.Value, length, now);
        if (verdict != TarpitEventReason.None)
        {
            _counters.LimitDrops++;
            if (_pendingLimitDrops == 0)
                _nextLimitEvent = Math.Max(_nextLimitEvent, now);
            _pendingLimitDrops++;
            _pendingLimitReason = verdict;
            if (now >= _nextLimitEvent)
                FlushLimitDrops();
            return false;
        }
        _sink.Send(_frame.AsSpan(0, length), now);
        _counters.RepliesSent++;
        _counters.BytesSent += length;
        return true;
    }

    private void FlushLimitDrops()
    {
        long now = _clock.Now;
        _events.Emit(new TarpitEvent(TarpitEventKind.LimitDrop, now, default, 0, default, 0, Reason: _pendingLimitReason, Count: _pendingLimitDrops));
        _pendingLimitDrops = 0;
        _nextLimitEvent = now + LimitEventInterval;
    }
}
