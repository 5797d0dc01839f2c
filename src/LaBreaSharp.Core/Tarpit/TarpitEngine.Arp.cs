using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>ARP: every request and reply teaches <see cref="AddressClaims"/> who is alive; requests
/// for claimed addresses (or that complete the takeover rule) are answered with the tarpit MAC.
/// Before the rule takes an address the host's own knowledge may veto it (<see cref="IClaimCheck"/>)
/// and the tarpit asks for the address itself; it claims only when nothing answered. A request is
/// answered only for a sender an IP packet from it would be answered for, and never to a group MAC.</summary>
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
        long now = _clock.Now;
        bool fromOurMac = arp.SenderMac == _configuration.TarpitMac || arp.SenderMac == _configuration.HostMac
            || (_faces is not null && _faces.IsFaceOf(arp.SenderMac, senderIp)); // stealth: an address's own face
        bool senderClaimable = _claims.Covers(senderIp);
        if (!fromOurMac)
        {
            if (senderIp.Value != 0)
            {
                if (senderClaimable)
                    MarkAlive(senderIp, arp.SenderMac);
            }
            else if (arp.IsProbe)
            {
                MarkAlive(arp.TargetIp, arp.SenderMac); // RFC 5227: a host is about to take this address
            }
        }
        if (!arp.IsRequest || arp.IsGratuitous || senderIp.Value == 0 || fromOurMac)
        {
            _counters.IgnoredArp++;
            return;
        }
        if (arp.SenderMac.IsGroup || _admission.NeverAnswer(senderIp, senderClaimable, now))
        {
            _counters.IgnoredSource++;
            return;
        }
        if (_admission.IsBanned(senderIp))
        {
            _counters.Banned++;
            return;
        }

        var target = arp.TargetIp;
        var verdict = _claims.OnRequest(target, senderIp, now);
        switch (verdict)
        {
            case ArpVerdict.Ignore:
                _counters.IgnoredArp++;
                return;
            case ArpVerdict.Probe:
                Probe(ethernet, target, senderIp, now);
                return;
            case ArpVerdict.Claim:
                _counters.Claims++;
                _events.Emit(new TarpitEvent(TarpitEventKind.Capture, now, senderIp, 0, target, 0, ClaimMac(target), System: _faces?.Of(target).Stack.Name));
                break;
        }
        var mac = ClaimMac(target);
        _replies.ArpReply(new LinkAddressing(ethernet.Source, mac, ethernet.Tags), mac, target, arp.SenderMac, senderIp);
    }

    /// <summary>The rule would claim <paramref name="target"/>: unless the host knows it in use, ask
    /// for it (sender 0.0.0.0, so no neighbour cache learns anything from us); a live owner answers
    /// the tarpit MAC directly, which a switch lets us see, and <see cref="MarkAlive"/> calls the claim off.</summary>
    private void Probe(EthernetFrame ethernet, Ipv4Address target, Ipv4Address requester, long now)
    {
        var refusal = _configuration.ClaimCheck?.Check(target) ?? ClaimRefusal.None;
        if (refusal != ClaimRefusal.None)
        {
            _claims.Refuse(target, now);
            RefuseClaim(target, requester, default, refusal == ClaimRefusal.Gateway ? TarpitEventReason.Gateway : TarpitEventReason.Neighbour);
            return;
        }
        var mac = ClaimMac(target);
        if (_replies.ArpProbe(new LinkAddressing(MacAddress.Broadcast, mac, ethernet.Tags), mac, target))
            _counters.ArpProbes++;
    }

    /// <summary>The MAC a claimed address answers with: --mac (classic), or its personality's (stealth).</summary>
    private MacAddress ClaimMac(Ipv4Address address) => _faces?.Of(address).Mac ?? _configuration.TarpitMac;

    private void RefuseClaim(Ipv4Address address, Ipv4Address requester, MacAddress owner, TarpitEventReason reason)
    {
        _counters.ClaimsRefused++;
        _events.Emit(new TarpitEvent(TarpitEventKind.ClaimRefused, _clock.Now, requester, 0, address, 0, owner, reason));
    }

    /// <summary><paramref name="address"/> spoke with <paramref name="mac"/>, which is not ours: if
    /// it was claimed, it is given back at once; if our probe for it was out, it is not claimed.</summary>
    private void MarkAlive(Ipv4Address address, MacAddress mac)
    {
        bool hard = _claims.IsHardCaptured(address);
        switch (_claims.OnAlive(address, _clock.Now))
        {
            case AliveOutcome.Released:
                _counters.Releases++;
                var reason = hard ? TarpitEventReason.HardCaptureConflict : TarpitEventReason.Conflict;
                _events.Emit(new TarpitEvent(TarpitEventKind.Release, _clock.Now, default, 0, address, 0, mac, reason));
                break;
            case AliveOutcome.ProbeAnswered:
                RefuseClaim(address, default, mac, TarpitEventReason.Answered);
                break;
        }
    }
}
