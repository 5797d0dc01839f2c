using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>The flow table as the trap behaviours share it: the steps of a connection's life that
/// every behaviour records the same way, with their counters and events.</summary>
internal sealed class TrappedFlows(FlowTable table, EngineCounters counters, EventEmitter events, EngineClock clock, BanList? bans)
{
    public FlowTable Table => table;
    public uint Now => clock.Seconds;

    /// <summary>Has the flow been held as long as its range allows (--drop-after)? Then it is
    /// dropped (see <see cref="Drop"/>) and true is returned: the caller sends nothing.</summary>
    public bool DropIfDue(ref FlowEntry flow, in FlowKey key, in Modifiers modifiers)
    {
        if (modifiers.DropAfterSeconds == 0 || clock.Seconds - flow.FirstSeen < (uint)modifiers.DropAfterSeconds)
            return false;
        Drop(ref flow, key, modifiers);
        return true;
    }

    /// <summary>Forgets the flow with no FIN or RST, the userspace twin of closing a socket in
    /// TCP_REPAIR mode: its entry becomes <see cref="FlowState.Silenced"/>, so nothing is sent to
    /// it again and its cookie opens nothing; its source is banned if the range says so.</summary>
    public void Drop(ref FlowEntry flow, in FlowKey key, in Modifiers modifiers)
    {
        flow.State = FlowState.Silenced;
        flow.LastSeen = clock.Seconds;
        counters.Drops++;
        if (events.IsEnabled(TarpitEventKind.Drop))
            events.Emit(new TarpitEvent(TarpitEventKind.Drop, clock.Now, key.Source, key.SourcePort, key.Destination, key.DestinationPort,
                Seconds: clock.Seconds - flow.FirstSeen));
        Ban(key.Source, modifiers);
    }

    /// <summary>Bans <paramref name="source"/> for the range's --ban seconds, if it has any.</summary>
    public void Ban(Ipv4Address source, in Modifiers modifiers)
    {
        if (modifiers.BanSeconds == 0 || bans is null)
            return;
        bans.Add(source.Value, clock.Seconds + (uint)modifiers.BanSeconds, clock.Seconds);
        counters.Bans++;
        if (events.IsEnabled(TarpitEventKind.Ban))
            events.Emit(new TarpitEvent(TarpitEventKind.Ban, clock.Now, source, 0, default, 0, Seconds: modifiers.BanSeconds));
    }

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
            counters.IgnoredSegments++;
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
        counters.IgnoredSegments++;
    }
}
