using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>The flow table as the trap behaviours share it: the steps of a connection's life that
/// every behaviour records the same way, with their counters and events.</summary>
internal sealed class TrappedFlows(FlowTable table, EngineCounters counters, EventEmitter events, EngineClock clock)
{
    public FlowTable Table => table;
    public uint Now => clock.Seconds;

    /// <summary>The handshake's ACK arrived: the attacker believes the connection is open.</summary>
    public void Established(ref FlowEntry flow, in FlowKey key)
    {
        flow.State = FlowState.Established;
        counters.Established++;
        events.Flow(TarpitEventKind.Established, key);
    }

    /// <summary>A RST on a trapped port: nothing is sent, but a known flow records that it was ignored.</summary>
    public void CloseIgnored(in FlowKey key)
    {
        int index = table.Find(key);
        if (index < 0)
        {
            counters.Ignored++;
            return;
        }
        ref var flow = ref table[index];
        flow.LastSeen = clock.Seconds;
        CloseIgnored(ref flow, key);
    }

    /// <summary>A FIN or RST that the tarpit ignores, as netfilter's TARPIT does: recorded once per flow.</summary>
    public void CloseIgnored(ref FlowEntry flow, in FlowKey key)
    {
        if ((flow.Flags & FlowFlags.CloseIgnored) != 0)
            return;
        flow.Flags |= FlowFlags.CloseIgnored;
        counters.CloseIgnored++;
        events.Flow(TarpitEventKind.CloseIgnored, key);
    }

    /// <summary>A segment of a flow the tarpit chose to forget: it gets nothing, ever, and its
    /// entry stays for as long as the peer keeps coming back (see ARCHITECTURE.md, "Forgotten flows").</summary>
    public void Silenced(ref FlowEntry flow)
    {
        flow.LastSeen = clock.Seconds;
        counters.Ignored++;
    }
}
