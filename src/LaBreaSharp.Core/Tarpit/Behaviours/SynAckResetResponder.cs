using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>An unsolicited SYN-ACK to a trapped port (a scan that spoofed our address, or backscatter
/// from one): answered with a RST, as a host that never sent the SYN would (LaBrea's habit), unless
/// turned off.</summary>
internal sealed class SynAckResetResponder(ReplyWriter replies, EngineCounters counters, EventEmitter events, bool enabled)
{
    [MethodImpl(MethodImplOptions.NoInlining)] // a call of its own, as each behaviour was: inlined into the dispatcher, it crowded out what matters
    public void Answer(LinkAddressing link, in FlowKey key, TcpSegment tcp)
    {
        if (!enabled)
        {
            counters.IgnoredSegments++;
            return;
        }
        if (replies.Tcp(link, key, new TcpReply { Sequence = tcp.AcknowledgmentNumber, Flags = TcpFlags.Rst }))
        {
            counters.SynAckResets++;
            events.Flow(TarpitEventKind.SynAckRst, key);
        }
    }
}
