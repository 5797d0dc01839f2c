using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>ARP: every request and reply teaches <see cref="AddressClaims"/> who is alive; requests
/// for claimed addresses (or that complete the takeover rule) are answered with the tarpit MAC.</summary>
public sealed partial class TarpitEngine
{
    private void HandleArp(EthernetFrame ethernet)
    {
        var error = ArpPacket.Read(ethernet.Payload, out var arp);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        var senderIp = arp.SenderIp;
        bool fromOurMac = arp.SenderMac == _configuration.TarpitMac || arp.SenderMac == _configuration.HostMac;
        if (!fromOurMac)
        {
            if (senderIp.Value != 0)
                MarkAlive(senderIp, arp.SenderMac);
            else if (arp.IsProbe)
                MarkAlive(arp.TargetIp, arp.SenderMac); // RFC 5227: a host is about to take this address
        }
        if (!arp.IsRequest || arp.IsGratuitous || senderIp.Value == 0 || fromOurMac)
        {
            _counters.Ignored++;
            return;
        }

        var target = arp.TargetIp;
        var verdict = _claims.OnRequest(target, senderIp, _clock.Now);
        if (verdict == ArpVerdict.Ignore)
        {
            _counters.Ignored++;
            return;
        }
        if (verdict == ArpVerdict.Claim)
        {
            _counters.Claims++;
            _events.Emit(new TarpitEvent(TarpitEventKind.Capture, _clock.Now, senderIp, 0, target, 0, _configuration.TarpitMac));
        }
        var link = new LinkAddressing(ethernet.Source, _configuration.TarpitMac, ethernet.Tags);
        _replies.ArpReply(link, _configuration.TarpitMac, target, arp.SenderMac, senderIp);
    }

    /// <summary><paramref name="address"/> spoke with <paramref name="mac"/>, which is not ours: if
    /// it was claimed, it is given back at once.</summary>
    private void MarkAlive(Ipv4Address address, MacAddress mac)
    {
        bool hard = _claims.IsHardCaptured(address);
        if (_claims.OnAlive(address, _clock.Now))
        {
            _counters.Releases++;
            var reason = hard ? TarpitEventReason.HardCaptureConflict : TarpitEventReason.Conflict;
            _events.Emit(new TarpitEvent(TarpitEventKind.Release, _clock.Now, default, 0, address, 0, mac, reason));
        }
    }
}
