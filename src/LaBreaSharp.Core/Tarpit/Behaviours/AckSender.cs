using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>The tarpit's ACKs of client data and of window probes, with the modifiers that make
/// them look like a bad network: --noise leaves a segment unanswered the first time (never twice in
/// a row: the client's retransmission is answered, so its stack backs off but never counts towards
/// tcp_retries2), and --ack-delay sends the ACK late, with jitter. Both draw from the engine's
/// seeded random source, so a replay with a fixed seed stays byte-identical; with neither set,
/// nothing is drawn and nothing changes.</summary>
internal sealed class AckSender(ReplyWriter replies, DelayedReplies? delayed, RandomSource random, EngineCounters counters, EngineClock clock)
{
    /// <summary>Should this segment be left unanswered, as if lost? Asked before the segment is acted on.</summary>
    public bool Withhold(ref FlowEntry flow, in Modifiers modifiers)
    {
        if (modifiers.NoisePer65536 == 0)
            return false;
        if ((flow.Flags & FlowFlags.NoiseHeld) != 0)
        {
            flow.Flags &= ~FlowFlags.NoiseHeld; // the retransmission of what was held: always answered
            return false;
        }
        if (random.NextUInt16() >= modifiers.NoisePer65536)
            return false;
        flow.Flags |= FlowFlags.NoiseHeld;
        counters.NoiseApplied++;
        return true;
    }

    /// <summary>Sends the ACK, now or after the range's delay. True unless a limit dropped it at once.</summary>
    public bool Send(LinkAddressing link, in FlowKey key, in TcpReply ack, in Modifiers modifiers)
    {
        if (!modifiers.DelaysAcks || delayed is null)
            return replies.Tcp(link, key, ack);
        int spread = modifiers.AckDelayMaxMilliseconds - modifiers.AckDelayMinMilliseconds;
        long delay = modifiers.AckDelayMinMilliseconds + (spread > 0 ? random.NextUInt32() % (uint)(spread + 1) : 0);
        delayed.Send(link, key, ack, clock.Now + delay * Time.Millisecond);
        return true;
    }
}
