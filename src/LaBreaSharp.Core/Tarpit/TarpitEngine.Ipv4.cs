using LaBreaSharp.Core.Addressing;
using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>IPv4: what a packet meets before its protocol is looked at. A source inside claimable
/// space is a sign of life; then <see cref="Admission"/> decides whether the packet is ours and its
/// source answerable; fragments, IP options and bad header checksums are never answered. Each
/// reason for leaving a packet unanswered has its own counter.</summary>
public sealed partial class TarpitEngine
{
    private void HandleIpv4(EthernetFrame ethernet)
    {
        var error = Ipv4Packet.Read(ethernet.Payload, out var ip);
        if (error != PacketError.None)
        {
            Count(error);
            return;
        }
        var source = ip.Source;
        long now = _clock.Now;
        bool sourceClaimable = _claims.Covers(source);
        if (sourceClaimable && ethernet.Source != _configuration.HostMac && !(_standIn && _claims.IsHardCaptured(source)))
        {
            if (_faces is not null && _faces.IsFaceOf(ethernet.Source, source))
            {
                _counters.IgnoredNotForUs++; // stealth: one of our own faces' frames, seen again
                return;
            }
            MarkAlive(source, ethernet.Source);
        }

        var target = _admission.Classify(ethernet.Destination, ip.Destination, ip.Protocol, now);
        if (target == Target.None)
        {
            CountNotOurs(ethernet.Destination);
            return;
        }
        if (_admission.NeverAnswer(source, sourceClaimable, now))
        {
            _counters.IgnoredSource++;
            return;
        }
        if (_admission.IsBanned(source))
        {
            _counters.Banned++;
            return;
        }
        if (ip.IsFragment || ip.HasOptions)
        {
            _counters.IgnoredFragments++;
            return;
        }
        if (!ip.IsHeaderChecksumValid)
        {
            _counters.BadChecksums++;
            return;
        }
        switch (ip.Protocol)
        {
            case Ipv4Packet.ProtocolTcp:
                HandleTcp(ethernet, ip, target);
                break;
            case Ipv4Packet.ProtocolIcmp when target != Target.HostPort:
                HandleIcmp(ethernet, ip, target);
                break;
            default:
                _counters.IgnoredProtocol++;
                break;
        }
    }

    private void CountNotOurs(MacAddress frameDestination)
    {
        if (frameDestination == _configuration.TarpitMac || frameDestination == _configuration.HostMac)
            _counters.IgnoredNotTarpitSpace++;
        else
            _counters.IgnoredNotForUs++;
    }

    /// <summary>Claimed space answers from the tarpit MAC (under stealth, from the MAC the frame was
    /// sent to, which admission checked is the address's face); routed space and host ports from
    /// the host's; a stand-in (replays) from whatever MAC the frame was sent to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private LinkAddressing ReplyLink(EthernetFrame ethernet, Target target)
    {
        var from = target == Target.Claimed ? _configuration.TarpitMac : _configuration.HostMac;
        if ((_standIn || (_faces is not null && target == Target.Claimed)) && ethernet.Destination != from)
            from = ethernet.Destination;
        return new(ethernet.Source, from, ethernet.Tags);
    }
}
