using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>A SYN to a trapped port: a SYN-ACK whose sequence number is the flow's SYN cookie and
/// whose window is tiny, and a flow entry, so that the rest of the connection is recognised.</summary>
internal sealed class SynResponder(TrappedFlows flows, SynCookie cookie, ReplyWriter replies, EngineCounters counters,
    EventEmitter events, ushort window, Personalities? faces, EngineClock clock, SynAckRetransmits? retransmits = null)
{
    /// <summary>A SYN to a trap port. Classic: the SYN-ACK offers the tiny trap window and no options.
    /// Stealth: the address's stack's window and options (those the SYN offered, in that stack's
    /// order), and the flow remembers whether timestamps and window scaling were agreed, and how
    /// much receive buffer it has left to fill.</summary>
    public void Answer(LinkAddressing link, in FlowKey key, TcpSegment tcp)
    {
        if (faces is null)
        {
            Answer(link, key, tcp, window, default);
            return;
        }
        var face = faces.Of(key.Destination);
        var stack = face.Stack;
        var offered = OfferedOptions.Of(tcp);
        Span<byte> options = stackalloc byte[40];
        int length = stack.WriteSynAckOptions(options, offered, face.TimestampValue(clock.Now, key.Source));
        var agreed = (offered.Timestamp.HasValue ? FlowFlags.Timestamps : FlowFlags.None)
            | (offered.WindowScale && stack.WindowScale.HasValue ? FlowFlags.Scaled : FlowFlags.None);
        ushort offeredWindow = stack.WindowFor(offered);
        // A SYN asking for ECN (ECE and CWR) gets ECE back from a stack that accepts it (RFC 3168 §6.1.1).
        var ecn = stack.AcceptsEcn && (tcp.Flags & (TcpFlags.Ece | TcpFlags.Cwr)) == (TcpFlags.Ece | TcpFlags.Cwr) ? TcpFlags.Ece : TcpFlags.None;
        if (Answer(link, key, tcp, offeredWindow, options[..length], agreed, offeredWindow, ecn))
            retransmits?.Sent(link, key, tcp.SequenceNumber + 1, offered, stack);
    }

    /// <summary>A SYN answered with <paramref name="offeredWindow"/> and <paramref name="options"/> (a banner port's normal-looking ones).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // a call of its own, as each behaviour was: inlined into the dispatcher, it crowded out what matters
    /// <returns>True when this SYN opened a new flow (its own retransmission returns false).</returns>
    public bool Answer(LinkAddressing link, in FlowKey key, TcpSegment tcp, ushort offeredWindow, ReadOnlySpan<byte> options,
        FlowFlags agreed = FlowFlags.None, ushort receiveBuffer = 0, TcpFlags ecn = TcpFlags.None)
    {
        var table = flows.Table;
        uint now = flows.Now;
        uint acknowledgment = tcp.SequenceNumber + 1;
        // One walk of the flow's probe run finds it or makes room for it.
        int index = table.FindOrAdd(key, FlowState.SynAcked, now, out bool isNew);
        ref var entry = ref table[index];
        if (!isNew && entry.AckPoint != acknowledgment)
        {
            // The same 4-tuple opened again with a new initial sequence number: a new connection.
            entry = new FlowEntry { Key = key, State = FlowState.SynAcked, LastSeen = now, FirstSeen = now };
            isNew = true;
        }
        else if (entry.State == FlowState.Silenced)
        {
            flows.Silenced(ref entry); // the forgotten connection's own SYN, retransmitted
            return false;
        }

        uint isn = cookie.For(key);
        replies.Tcp(link, key, new TcpReply { Sequence = isn, Acknowledgment = acknowledgment, Flags = TcpFlags.SynAck | ecn, Window = offeredWindow, Options = options });
        entry.Cookie = isn;
        entry.AckPoint = acknowledgment;
        entry.LastSeen = now;
        if (entry.State == FlowState.SynAcked)
        {
            entry.Flags = (entry.Flags & ~(FlowFlags.Timestamps | FlowFlags.Scaled)) | agreed;
            entry.WindowLeft = receiveBuffer;
        }
        if (isNew)
        {
            counters.Connects++;
            events.Flow(TarpitEventKind.Connect, key);
        }
        return isNew;
    }
}
