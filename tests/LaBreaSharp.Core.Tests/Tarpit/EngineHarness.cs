using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>A tarpit on 192.0.2.0/24 with a virtual clock, collecting what it sends and logs.
/// Frames are built with the project's writers; replies are read back with its readers, and every
/// one of them passes <see cref="IndependentFrameCheck"/> (PacketDotNet) on its way in.</summary>
internal sealed class EngineHarness : IFrameSink, ITarpitEventSink
{
    public static readonly Ipv4Address HostIp = Ipv4Address.Parse("192.0.2.1");
    public static readonly MacAddress HostMac = MacAddress.Parse("02:00:00:00:00:01");
    public static readonly MacAddress TarpitMac = MacAddress.Parse("02:00:00:00:00:fe");
    public static readonly Ipv4Address Attacker = Ipv4Address.Parse("192.0.2.2");
    public static readonly MacAddress AttackerMac = MacAddress.Parse("02:00:00:00:00:02");
    public static readonly Ipv4Address Unused = Ipv4Address.Parse("192.0.2.77");
    public const long Second = TarpitConfiguration.Second;

    public static TarpitConfiguration DefaultConfiguration => new()
    {
        HostIp = HostIp,
        HostMac = HostMac,
        TarpitMac = TarpitMac,
        Networks = [Cidr.Parse("192.0.2.0/24")],
        TableSize = 1024,
    };

    public EngineHarness(TarpitConfiguration? configuration = null, ulong seed = 42, bool probesEnabled = true)
    {
        Configuration = configuration ?? DefaultConfiguration;
        ProbesEnabled = probesEnabled;
        Engine = new TarpitEngine(Configuration, this, this, new RandomSource(seed));
        Engine.Advance(Now);
    }

    public TarpitConfiguration Configuration { get; }
    public TarpitEngine Engine { get; }
    public bool ProbesEnabled { get; }
    public long Now { get; private set; } = 1_700_000_000L * Second;
    public List<byte[]> Sent { get; } = [];
    public List<TarpitEvent> Events { get; } = [];

    /// <summary>Off only while a test counts the engine's allocations (PacketDotNet allocates a few
    /// hundred bytes a frame); such a test checks what it collected afterwards.</summary>
    public bool CheckFrames { get; set; } = true;

    public void Send(ReadOnlySpan<byte> frame, long time)
    {
        if (CheckFrames)
            IndependentFrameCheck.Check(frame);
        Sent.Add(frame.ToArray());
    }
    public bool IsEnabled(TarpitEventKind kind) => kind != TarpitEventKind.Probe || ProbesEnabled;
    public void Emit(in TarpitEvent tarpitEvent) => Events.Add(tarpitEvent);

    public void Wait(double seconds) => Now += (long)(seconds * Second);

    /// <summary>Feeds a frame and returns what the engine sent in answer.</summary>
    public List<byte[]> Feed(byte[] frame)
    {
        int before = Sent.Count;
        Engine.Process(frame, Now);
        return Sent.GetRange(before, Sent.Count - before);
    }

    public byte[] FeedExpectingOne(byte[] frame) => Assert.Single(Feed(frame));

    public void FeedExpectingNone(byte[] frame) => Assert.Empty(Feed(frame));

    public IEnumerable<TarpitEvent> EventsOf(TarpitEventKind kind) => Events.Where(e => e.Kind == kind);

    /// <summary>Claims <paramref name="address"/> by the ARP rule: two requests three seconds apart,
    /// the tarpit's own probe for the address, unanswered, and a request a second later.</summary>
    public void Claim(Ipv4Address address)
    {
        FeedExpectingNone(Frames.ArpRequest(AttackerMac, Attacker, address));
        Wait(3);
        AssertProbe(FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, address)), address, Engine.Personalities?.Of(address).Mac ?? TarpitMac);
        Assert.False(Engine.Claims.IsClaimed(address));
        Wait(1);
        FeedExpectingOne(Frames.ArpRequest(AttackerMac, Attacker, address));
        Assert.True(Engine.Claims.IsClaimed(address));
    }

    /// <summary>An RFC 5227 probe from the tarpit MAC (or <paramref name="mac"/>): a broadcast request for <paramref name="address"/> from 0.0.0.0.</summary>
    public static void AssertProbe(byte[] frame, Ipv4Address address, MacAddress? mac = null)
    {
        Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
        Assert.Equal(MacAddress.Broadcast, ethernet.Destination);
        Assert.Equal(mac ?? TarpitMac, ethernet.Source);
        Assert.True(ArpPacket.TryRead(ethernet.Payload, out var arp));
        Assert.True(arp.IsProbe);
        Assert.Equal(mac ?? TarpitMac, arp.SenderMac);
        Assert.Equal(address, arp.TargetIp);
        Assert.Equal(MacAddress.Zero, arp.TargetMac);
    }
}

/// <summary>Frames as an attacker's host would send them.</summary>
internal static class Frames
{
    public static byte[] ArpRequest(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address target, VlanTags tags = default)
    {
        var frame = new byte[64];
        int length = FrameWriter.WriteArp(frame, new LinkAddressing(MacAddress.Broadcast, senderMac, tags),
            ArpPacket.OperationRequest, senderMac, senderIp, MacAddress.Zero, target);
        return frame[..length];
    }

    public static byte[] ArpReply(MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp)
    {
        var frame = new byte[64];
        int length = FrameWriter.WriteArp(frame, new LinkAddressing(targetMac, senderMac, default),
            ArpPacket.OperationReply, senderMac, senderIp, targetMac, targetIp);
        return frame[..length];
    }

    public static byte[] Tcp(Ipv4Address source, ushort sourcePort, Ipv4Address destination, ushort destinationPort,
        TcpFlags flags, uint sequence, uint acknowledgment = 0, int payloadLength = 0, ushort window = 64240,
        MacAddress? to = null, MacAddress? from = null, VlanTags tags = default, byte[]? options = null)
    {
        var frame = new byte[2048];
        var payload = new byte[payloadLength];
        Array.Fill(payload, (byte)'x');
        int length = FrameWriter.WriteTcp(frame, new LinkAddressing(to ?? EngineHarness.TarpitMac, from ?? EngineHarness.AttackerMac, tags),
            source, destination, 0x1234, 64, sourcePort, destinationPort, sequence, acknowledgment, flags, window, options, payload);
        return frame[..length];
    }

    public static byte[] Echo(Ipv4Address source, Ipv4Address destination, ushort identifier, ushort sequence, byte[] payload, MacAddress? to = null)
    {
        var frame = new byte[2048];
        int length = FrameWriter.WriteIcmpEcho(frame, new LinkAddressing(to ?? EngineHarness.TarpitMac, EngineHarness.AttackerMac, default),
            source, destination, 0x4321, 64, IcmpMessage.TypeEchoRequest, identifier, sequence, payload);
        return frame[..length];
    }
}

/// <summary>A reply read back with the project's readers, for assertions.</summary>
internal sealed record Reply(
    MacAddress To, MacAddress From, VlanTags Tags,
    Ipv4Address Source, Ipv4Address Destination, byte TimeToLive, bool ChecksumsValid,
    ushort SourcePort, ushort DestinationPort, uint Sequence, uint Acknowledgment, TcpFlags Flags, ushort Window,
    int HeaderLength, int PayloadLength)
{
    public static Reply Read(byte[] frame)
    {
        Assert.True(EthernetFrame.TryRead(frame, out var ethernet));
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);
        Assert.True(Ipv4Packet.TryRead(ethernet.Payload, out var ip));
        Assert.Equal(Ipv4Packet.ProtocolTcp, ip.Protocol);
        Assert.True(TcpSegment.TryRead(ip.Payload, out var tcp));
        return new Reply(ethernet.Destination, ethernet.Source, ethernet.Tags, ip.Source, ip.Destination, ip.TimeToLive,
            ip.IsHeaderChecksumValid && tcp.IsChecksumValid(ip.Source, ip.Destination),
            tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.Flags, tcp.Window,
            tcp.HeaderLength, tcp.Payload.Length);
    }
}
