using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>Segments to a banner port. The SYN gets a normal-looking SYN-ACK (a desktop's window and
/// an MSS, so the client sends its request or version line at once); the handshake's ACK, which
/// carries the SYN cookie and so proves the client is real, moves the flow into the conversation
/// table and starts the greeting (<see cref="BannerSender"/>). After that, every segment's ACK
/// moves the sender on; the client's data is acknowledged (so its stack never times out) and never
/// answered; its FIN is acknowledged and ignored, and the drip goes on until its socket answers
/// with a RST, which ends the conversation.</summary>
internal sealed class BannerResponder(BannerSender sender, SynResponder syn, PersistResponder persist, TrappedFlows flows,
    SynCookie cookie, AckSender acks, EngineCounters counters, ClosedPortResponder? unsolicited = null, Personalities? faces = null)
{
    /// <summary>MSS 1460: what an Ethernet host offers. No window scale, so the peer's windows need none.</summary>
    private static readonly byte[] SynAckOptions = [TcpOptionKind.MaximumSegmentSize, 4, 0x05, 0xB4];

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(LinkAddressing link, in FlowKey key, TcpSegment tcp, in PortPolicy policy, bool hostPort)
    {
        var conversations = sender.Conversations;
        int slot = conversations.Find(key);
        var flags = tcp.Flags;
        if ((flags & TcpFlags.Syn) != 0)
        {
            if ((flags & TcpFlags.Ack) != 0)
            {
                counters.IgnoredSegments++; // a SYN-ACK on a banner port: nothing of ours
                return;
            }
            if (slot >= 0)
            {
                if (conversations[slot].Flow.AckPoint - 1 == tcp.SequenceNumber)
                {
                    counters.IgnoredSegments++; // its own SYN again, late: the conversation goes on
                    return;
                }
                sender.End(slot, TarpitEventReason.Reopened);
            }
            if (faces is null)
            {
                syn.Answer(link, key, tcp, BannerSender.AdvertisedWindow, SynAckOptions);
                return;
            }
            // Stealth: the address's stack's options, as it answers a SYN without timestamps or
            // window scaling (the drip's sender carries neither), and the drip's own window.
            var offered = OfferedOptions.Of(tcp) with { WindowScale = false, Timestamp = null };
            Span<byte> options = stackalloc byte[40];
            int length = faces.Of(key.Destination).Stack.WriteSynAckOptions(options, offered, 0);
            syn.Answer(link, key, tcp, BannerSender.AdvertisedWindow, options[..length]);
            return;
        }
        if (slot < 0)
        {
            Open(link, key, tcp, policy, hostPort);
            return;
        }
        Converse(slot, link, key, tcp, policy.Modifiers);
    }

    /// <summary>A segment of a flow with no conversation yet: the handshake's ACK (or data riding on
    /// it) opens one, if it carries our cookie.</summary>
    private void Open(LinkAddressing link, in FlowKey key, TcpSegment tcp, in PortPolicy policy, bool hostPort)
    {
        var table = flows.Table;
        int index = table.Find(key);
        uint isn = index >= 0 ? table[index].Cookie : cookie.For(key);
        var flags = tcp.Flags;
        if ((flags & TcpFlags.Rst) != 0)
        {
            flows.CloseIgnored(key);
            return;
        }
        if ((flags & TcpFlags.Ack) == 0 || tcp.AcknowledgmentNumber != isn + 1)
        {
            // Not a connection this tarpit opened, or one whose conversation is gone.
            if (unsolicited is not null && (flags & TcpFlags.Ack) != 0)
                unsolicited.Answer(link, key, tcp); // stealth: a listener's RST (RFC 9293 §3.10.7.2)
            else
                counters.IgnoredSegments++;
            return;
        }
        FlowEntry flow;
        if (index >= 0)
        {
            if (table[index].State == FlowState.Silenced)
            {
                flows.Silenced(ref table[index]);
                return;
            }
            flow = table[index];
            table.RemoveAt(index);
        }
        else
        {
            // Evicted, or from before a restart with the same key: the cookie says it is ours.
            flow = new FlowEntry { Key = key, Cookie = isn, AckPoint = tcp.SequenceNumber, FirstSeen = flows.Now };
        }
        flow.LastSeen = flows.Now;
        if (flow.State == FlowState.SynAcked)
            flows.Established(ref flow, key);
        int slot = sender.Start(flow, link, tcp.Window, hostPort, policy.Banner);
        if (slot < 0)
        {
            // No room in the link book: hold it the way every other port does.
            table[table.FindOrAdd(key, FlowState.Established, flows.Now, out _)] = flow;
            persist.Handle(link, key, tcp, policy.Modifiers);
            return;
        }
        if (tcp.Payload.Length > 0 || (flags & TcpFlags.Fin) != 0)
            Converse(slot, link, key, tcp, policy.Modifiers);
    }

    private void Converse(int slot, LinkAddressing link, in FlowKey key, TcpSegment tcp, in Modifiers modifiers)
    {
        ref var c = ref sender.Conversations[slot];
        var flags = tcp.Flags;
        c.Flow.LastSeen = flows.Now;
        if ((flags & TcpFlags.Rst) != 0)
        {
            // RFC 5961 §3: a RST counts only in the window, so one guessed from outside ends nothing.
            if (tcp.SequenceNumber - c.Flow.AckPoint < BannerSender.AdvertisedWindow)
                sender.End(slot, TarpitEventReason.Reset);
            else
                counters.IgnoredSegments++;
            return;
        }
        if ((flags & TcpFlags.Ack) != 0)
            sender.Acknowledged(slot, ref c, tcp.AcknowledgmentNumber, tcp.Window);
        if (!c.IsOccupied)
            return;
        int payload = tcp.Payload.Length;
        bool fin = (flags & TcpFlags.Fin) != 0;
        if (payload == 0 && !fin)
            return;
        if (acks.Withhold(ref c.Flow, modifiers))
            return; // as if lost: the client sends it again
        if (tcp.SequenceNumber == c.Flow.AckPoint)
        {
            c.Flow.AckPoint += (uint)payload;
            if (fin && (c.Flow.Flags & FlowFlags.CloseIgnored) == 0)
            {
                c.Flow.AckPoint++; // the FIN is acknowledged, and ignored: the greeting goes on
                flows.CloseIgnored(ref c.Flow, key);
            }
        }
        // In order or not, the ACK says how far the data has come (a duplicate ACK for a gap).
        acks.Send(link, key, new TcpReply
        {
            Sequence = BannerSender.SendNext(c), Acknowledgment = c.Flow.AckPoint, Flags = TcpFlags.Ack, Window = BannerSender.AdvertisedWindow,
        }, modifiers);
        if (payload > 0)
            sender.PeerSpoke(slot, ref c);
    }
}
