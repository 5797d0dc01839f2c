using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>Tarpit mode (LaBrea without persist): nothing after the SYN-ACK is answered, but the
/// table still learns what happened.</summary>
internal sealed class TarpitResponder(TrappedFlows flows, EngineCounters counters, ClosedPortResponder? unsolicited)
{
    /// <summary>An ACK (with or without data or FIN) to a tarpit port.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // a call of its own, as each behaviour was: inlined into the dispatcher, it crowded out what matters
    public void Handle(LinkAddressing link, in FlowKey key, TcpSegment tcp, in Modifiers modifiers)
    {
        var table = flows.Table;
        int index = table.Find(key);
        if (index < 0 || tcp.AcknowledgmentNumber != table[index].Cookie + 1)
        {
            if (unsolicited is not null)
                unsolicited.Answer(link, key, tcp); // stealth: a listener's RST (RFC 9293 §3.10.7.2)
            else
                counters.IgnoredSegments++;
            return;
        }
        ref var flow = ref table[index];
        if (flow.State == FlowState.Silenced)
        {
            flows.Silenced(ref flow);
            return;
        }
        if (flows.DropIfDue(ref flow, key, modifiers))
            return;
        flow.LastSeen = flows.Now;
        if ((tcp.Flags & TcpFlags.Fin) != 0)
            flows.CloseIgnored(ref flow, key);
        else if (flow.State == FlowState.SynAcked && tcp.Payload.Length == 0)
            flows.Established(ref flow, key);
    }
}
