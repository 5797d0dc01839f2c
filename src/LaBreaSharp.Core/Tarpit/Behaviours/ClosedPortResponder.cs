using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>A port that is not tarpitted, on an address that is: it answers as a closed port does
/// (RFC 9293 §3.10.7.1), so a scan sees a host with some ports closed rather than silence.</summary>
internal sealed class ClosedPortResponder(ReplyWriter replies, EngineCounters counters)
{
    [MethodImpl(MethodImplOptions.NoInlining)] // a call of its own, as each behaviour was: inlined into the dispatcher, it crowded out what matters
    public void Answer(LinkAddressing link, in FlowKey key, TcpSegment tcp)
    {
        var flags = tcp.Flags;
        if ((flags & TcpFlags.Rst) != 0)
        {
            counters.IgnoredSegments++; // a RST is never answered
            return;
        }
        bool sent;
        if ((flags & TcpFlags.Ack) != 0)
        {
            sent = replies.Tcp(link, key, new TcpReply { Sequence = tcp.AcknowledgmentNumber, Flags = TcpFlags.Rst });
        }
        else
        {
            uint consumed = (uint)tcp.Payload.Length + ((flags & TcpFlags.Syn) != 0 ? 1u : 0u) + ((flags & TcpFlags.Fin) != 0 ? 1u : 0u);
            sent = replies.Tcp(link, key, new TcpReply { Acknowledgment = tcp.SequenceNumber + consumed, Flags = TcpFlags.RstAck });
        }
        if (sent)
            counters.PortResets++;
    }
}
