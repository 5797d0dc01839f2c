using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>ICMP: an echo request to tarpitted space gets its echo reply (unless --no-ping), so the
/// address looks like a host that is up; nothing else in ICMP is answered.</summary>
public sealed partial class TarpitEngine
{
    private void HandleIcmp(EthernetFrame ethernet, Ipv4Packet ip, Target target)
    {
        var error = IcmpMessage.Read(ip.Payload, out var icmp);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        if (!icmp.IsEchoRequest || !_configuration.AnswerPing)
        {
            _counters.IgnoredProtocol++;
            return;
        }
        if (!icmp.IsChecksumValid)
        {
            _counters.BadChecksums++;
            return;
        }
        if (_replies.EchoReply(ReplyLink(ethernet, target), ip.Destination, ip.Source, icmp))
        {
            _counters.PingsAnswered++;
            _events.Emit(new TarpitEvent(TarpitEventKind.Ping, _clock.Now, ip.Source, 0, ip.Destination, 0));
        }
    }
}
