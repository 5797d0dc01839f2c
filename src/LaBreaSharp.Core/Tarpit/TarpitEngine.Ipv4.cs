using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>IPv4: what a packet meets before its protocol is looked at. A source inside claimable
/// space is a sign of life; then <see cref="Admission"/> decides whether the packet is ours and its
/// source answerable; fragments, IP options and bad header checksums are never answered.</summary>
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
        if (sourceClaimable && ethernet.Source != _configuration.HostMac)
            MarkAlive(source, ethernet.Source);

        var target = _admission.Classify(ethernet.Destination, ip.Destination, ip.Protocol, now);
        if (target == Target.None || _admission.NeverAnswer(source, sourceClaimable, now))
        {
            _counters.Ignored++;
            return;
        }
        if (_admission.IsBanned(source))
        {
            _counters.Banned++;
            return;
        }
        if (ip.IsFragment || ip.HasOptions)
        {
            _counters.Ignored++;
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
                _counters.Ignored++;
                break;
        }
    }

    /// <summary>Claimed space answers from the tarpit MAC; routed space and host ports from the host's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private LinkAddressing ReplyLink(EthernetFrame ethernet, Target target) =>
        new(ethernet.Source, target == Target.Claimed ? _configuration.TarpitMac : _configuration.HostMac, ethernet.Tags);
}
