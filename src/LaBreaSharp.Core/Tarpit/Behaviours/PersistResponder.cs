using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>Persist mode: acknowledge the first data with window 0, then answer every window probe
/// with an ACK of exactly the point already acknowledged. Linux probes with no data at snd_una−1,
/// other stacks with one byte at snd_una; both get ack = snd_una, which Linux takes as a fresh ACK
/// and so never counts the probe as unanswered. (LaBrea 2.5 and netfilter's TARPIT answer one byte
/// behind: Linux counts those probes, and gives up after tcp_retries2, about 16 minutes.)
///
/// Stealth (<paramref name="faces"/> set) differs in three ways: data is taken as a real host whose
/// program never reads takes it, the window shrinking by what arrives until the receive buffer the
/// SYN-ACK offered is full (then persist, as above); every ACK carries a timestamp when the
/// handshake agreed them; and an ACK of no connection of ours gets a listener's RST.</summary>
internal sealed class PersistResponder(TrappedFlows flows, SynCookie cookie, AckSender acks, EngineCounters counters,
    EventEmitter events, ushort window, Personalities? faces = null, ClosedPortResponder? unsolicited = null)
{
    /// <summary>An ACK (with or without data or FIN) to a persist port.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // a call of its own, as each behaviour was: inlined into the dispatcher, it crowded out what matters
    public void Handle(LinkAddressing link, in FlowKey key, TcpSegment tcp, in Modifiers modifiers)
    {
        var table = flows.Table;
        int index = table.Find(key);
        // A flow in the table carries its cookie; only an unknown one costs a SipHash.
        uint isn = index >= 0 ? table[index].Cookie : cookie.For(key);
        if (tcp.AcknowledgmentNumber != isn + 1)
        {
            // Not a connection this tarpit opened (or one from before a key change).
            if (unsolicited is not null)
                unsolicited.Answer(link, key, tcp); // stealth: RFC 9293 §3.10.7.2, as a listening socket
            else
                counters.IgnoredSegments++;
            return;
        }
        uint now = flows.Now;
        int payload = tcp.Payload.Length;
        bool fin = (tcp.Flags & TcpFlags.Fin) != 0;

        if (index >= 0 && table[index].State >= FlowState.Persist)
        {
            ref var entry = ref table[index];
            if (entry.State == FlowState.Silenced)
            {
                flows.Silenced(ref entry);
                return;
            }
            if (flows.DropIfDue(ref entry, key, modifiers))
                return;
            entry.LastSeen = now;
            if (fin && payload == 0)
            {
                flows.CloseIgnored(ref entry, key);
                return;
            }
            if (acks.Withhold(ref entry, modifiers))
                return; // a probe left unanswered, once: the next is answered
            if (payload > 1 && tcp.SequenceNumber == entry.AckPoint && payload <= InFlightAfterClose(key, entry))
            {
                // More of the data the offered window let through, sent before our window-0 ACK
                // arrived: take it too, so that nothing stays in flight and the attacker's stack
                // waits on its persist timer rather than its retransmission timer.
                entry.AckPoint += (uint)payload;
            }
            AnswerProbe(link, key, tcp, isn, ref entry, modifiers);
            return;
        }

        if (index < 0 && payload == 0 && !fin)
        {
            // No record of this flow (evicted, or the tarpit restarted with the same key), and a
            // bare ACK that carries our cookie: treat it as a Linux probe at snd_una−1 so the
            // connection stays held. Were it a handshake ACK instead, Linux drops an ACK of data
            // it never sent without answering, so nothing loops.
            index = table.Add(key, FlowState.Persist, now);
            ref var entry = ref table[index];
            entry.Cookie = isn;
            entry.AckPoint = tcp.SequenceNumber + 1;
            entry.LastSeen = now;
            if (faces is not null && tcp.TryGetOptions(out var options) && options.HasTimestamps)
                entry.Flags |= FlowFlags.Timestamps; // the handshake is gone, but the probe shows what it agreed
            AnswerProbe(link, key, tcp, isn, ref entry, modifiers);
            return;
        }

        if (index < 0)
        {
            index = table.Add(key, FlowState.Established, now);
            table[index].Cookie = isn;
            table[index].AckPoint = tcp.SequenceNumber;
        }
        ref var flow = ref table[index];
        if (flows.DropIfDue(ref flow, key, modifiers))
            return;
        flow.LastSeen = now;

        if (payload == 0)
        {
            if (fin)
                flows.CloseIgnored(ref flow, key);
            else if (flow.State == FlowState.SynAcked)
                flows.Established(ref flow, key);
            return;
        }
        if (faces is not null)
        {
            FillBuffer(link, key, tcp, isn, ref flow, modifiers);
            return;
        }
        if (payload > window)
        {
            counters.IgnoredSegments++; // more than the window we offered: not a segment we will take
            return;
        }

        if (acks.Withhold(ref flow, modifiers))
            return; // the first data left unacknowledged, once: the client sends it again

        // The first data: take it, and close the window.
        flow.AckPoint = tcp.SequenceNumber + (uint)payload;
        flow.State = FlowState.Persist;
        acks.Send(link, key, new TcpReply { Sequence = isn + 1, Acknowledgment = flow.AckPoint, Flags = TcpFlags.Ack, Window = 0 }, modifiers);
        counters.PersistTrapped++;
        events.Flow(TarpitEventKind.Persist, key, count: payload);
        if (fin)
            flows.CloseIgnored(ref flow, key);
    }

    /// <summary>Stealth: a data segment before the window has closed. In order, it is taken up to the
    /// receive buffer left; in order or not, the ACK says how far the data has come and offers what is
    /// left (in the agreed scale). When nothing is left the flow is in persist.</summary>
    private void FillBuffer(LinkAddressing link, in FlowKey key, TcpSegment tcp, uint isn, ref FlowEntry flow, in Modifiers modifiers)
    {
        if (acks.Withhold(ref flow, modifiers))
            return; // as if lost: the client sends it again
        if (flow.State == FlowState.SynAcked)
            flows.Established(ref flow, key); // the data rode on the handshake's ACK
        int payload = tcp.Payload.Length;
        if (tcp.SequenceNumber == flow.AckPoint)
        {
            ushort take = (ushort)Math.Min(payload, flow.WindowLeft);
            flow.AckPoint += take;
            flow.WindowLeft -= take;
        }
        int shift = Shift(key, flow);
        ushort offered = (ushort)(flow.WindowLeft >> shift);
        if (offered == 0)
        {
            // Less than one unit of the scale left is a full buffer: the window is 0 from now on.
            flow.State = FlowState.Persist;
            flow.Probes = 0; // the field was WindowLeft
            counters.PersistTrapped++;
            events.Flow(TarpitEventKind.Persist, key, count: payload);
        }
        acks.Send(link, key, Ack(isn, flow, tcp, offered), modifiers);
        if ((tcp.Flags & TcpFlags.Fin) != 0)
            flows.CloseIgnored(ref flow, key);
    }

    /// <summary>The window's scale on this flow: the personality's when both sides agreed it.</summary>
    private int Shift(in FlowKey key, in FlowEntry flow) =>
        (flow.Flags & FlowFlags.Scaled) != 0 ? faces!.Of(key.Destination).Stack.WindowScale ?? 0 : 0;

    /// <summary>Data that may still arrive once the window is 0: classic, what the trap window let
    /// through; stealth, less than one unit of the scale (the buffer left when the scaled window
    /// read 0, which the client may have been offered before).</summary>
    private int InFlightAfterClose(in FlowKey key, in FlowEntry flow) =>
        faces is null ? window : (1 << Shift(key, flow)) - 1;

    /// <summary>An ACK of everything taken so far, with a timestamp when the handshake agreed them.</summary>
    private static TcpReply Ack(uint isn, in FlowEntry flow, TcpSegment tcp, ushort window)
    {
        bool timestamped = (flow.Flags & FlowFlags.Timestamps) != 0;
        uint echo = 0;
        if (timestamped && tcp.TryGetOptions(out var options))
            echo = options.TimestampValue ?? 0;
        return new TcpReply
        {
            Sequence = isn + 1, Acknowledgment = flow.AckPoint, Flags = TcpFlags.Ack, Window = window,
            Timestamped = timestamped, TimestampEcho = echo,
        };
    }

    private void AnswerProbe(LinkAddressing link, in FlowKey key, TcpSegment tcp, uint isn, ref FlowEntry entry, in Modifiers modifiers)
    {
        if (acks.Send(link, key, Ack(isn, entry, tcp, window: 0), modifiers))
        {
            counters.ProbesAnswered++;
            if (entry.Probes < ushort.MaxValue)
                entry.Probes++;
            events.Flow(TarpitEventKind.Probe, key);
        }
    }
}
