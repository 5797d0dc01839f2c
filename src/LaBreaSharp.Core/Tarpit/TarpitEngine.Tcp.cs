using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Behaviours;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>TCP: the destination port's <see cref="PortMap"/> entry names a behaviour (and its
/// modifiers), and a switch on it (and on the segment's flags) hands the segment to that
/// behaviour's responder: a closed port, a banner, or a trap (persist, tarpit).</summary>
public sealed partial class TarpitEngine
{
    private void HandleTcp(EthernetFrame ethernet, Ipv4Packet ip, Target target)
    {
        var error = TcpSegment.Read(ip.Payload, out var tcp);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        if (!tcp.IsChecksumValid(ip.Source, ip.Destination))
        {
            if (!tcp.HasPartialChecksum(ip.Source, ip.Destination))
            {
                _counters.BadChecksums++;
                return;
            }
            _counters.PartialChecksums++; // a local sender's NIC was to finish it: the segment is whole
        }
        ushort port = tcp.DestinationPort;
        bool hostPort = target == Target.HostPort;
        ref readonly var policy = ref hostPort ? ref _hostPorts[port] : ref _ports[port];
        var behaviour = policy.Behaviour;
        if (behaviour == TcpBehaviour.Ignore)
        {
            _counters.IgnoredPort++;
            return;
        }
        var link = ReplyLink(ethernet, target);
        var key = new FlowKey(ip.Source, ip.Destination, tcp.SourcePort, port);
        if (_faces is not null && behaviour != TcpBehaviour.ClosedPort && StealthAnswered(link, key, tcp, policy))
            return;
        if (behaviour == TcpBehaviour.ClosedPort)
        {
            _closedPort.Answer(link, key, tcp);
            return;
        }
        if (behaviour == TcpBehaviour.Banner)
        {
            if ((tcp.Flags & (TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Rst)) == TcpFlags.SynAck)
            {
                _synAckReset.Answer(link, key, tcp); // backscatter of a spoofed SYN, as on any open port
                return;
            }
            _banner!.Handle(link, key, tcp, policy, hostPort);
            return;
        }

        // A trap: persist or tarpit.
        var flags = tcp.Flags;
        if ((flags & TcpFlags.Rst) != 0)
        {
            _trapped.CloseIgnored(key);
            return;
        }
        switch (flags & (TcpFlags.Syn | TcpFlags.Ack))
        {
            case TcpFlags.Syn:
                _syn.Answer(link, key, tcp);
                break;
            case TcpFlags.SynAck:
                _synAckReset.Answer(link, key, tcp);
                break;
            case TcpFlags.Ack when behaviour == TcpBehaviour.Persist:
                _persist.Handle(link, key, tcp, policy.Modifiers);
                break;
            case TcpFlags.Ack:
                _tarpit.Handle(link, key, tcp, policy.Modifiers);
                break;
            default:
                _counters.IgnoredSegments++; // FIN, NULL or Xmas probes without ACK: an open port says nothing
                break;
        }
    }

    /// <summary>Stealth, before the behaviour: a port this address's personality does not have open
    /// answers as a closed port, and NULL, FIN, Xmas and SYN+FIN probes get what its stack gives them
    /// (nothing, a RST, or for some a SYN-ACK, which the behaviour then sends). True when answered here.</summary>
    private bool StealthAnswered(LinkAddressing link, in FlowKey key, TcpSegment tcp, in PortPolicy policy)
    {
        var face = _faces!.Of(key.Destination);
        if (policy.PersonalityPorts && !face.IsOpen(key.DestinationPort))
        {
            _closedPort.Answer(link, key, tcp);
            return true;
        }
        var flags = tcp.Flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack | TcpFlags.Rst);
        OddFlagReaction reaction;
        if ((flags & (TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Rst)) == 0)
            reaction = face.Stack.NoSynNoAck;
        else if (flags == (TcpFlags.Syn | TcpFlags.Fin))
            reaction = face.Stack.SynFin;
        else
            return false;
        switch (reaction)
        {
            case OddFlagReaction.Reset:
                _closedPort.Answer(link, key, tcp);
                return true;
            case OddFlagReaction.Drop:
                _counters.IgnoredSegments++;
                return true;
            default:
                return false; // taken for a SYN
        }
    }
}
