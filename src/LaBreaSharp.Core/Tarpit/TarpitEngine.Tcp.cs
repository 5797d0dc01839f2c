using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Behaviours;

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
                _tarpit.Handle(key, tcp, policy.Modifiers);
                break;
            default:
                _counters.IgnoredSegments++; // FIN, NULL or Xmas probes without ACK: an open port says nothing
                break;
        }
    }
}
