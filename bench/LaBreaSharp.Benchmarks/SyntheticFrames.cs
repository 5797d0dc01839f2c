using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Benchmarks;

/// <summary>Frames an attacker population would send, built with the project's own writers into
/// one contiguous array (a capture ring holds them the same way). Sources are spread over
/// 198.51.100.0/24 and every source port; targets over 192.0.2.64/26. Documentation addresses
/// only; none of these frames is ever sent anywhere.</summary>
public sealed class SyntheticFrames
{
    public static readonly MacAddress HostMac = MacAddress.Parse("02:00:00:00:02:01");
    public static readonly MacAddress TarpitMac = MacAddress.Parse("06:00:00:00:02:01");
    public static readonly MacAddress AttackerMac = MacAddress.Parse("02:00:00:00:02:02");
    public static readonly Cidr Targets = Cidr.Parse("192.0.2.64/26");

    /// <summary>Room for a frame without TCP options (a SYN, an ACK, ten bytes of data).</summary>
    public const int PlainFrame = 64;

    /// <summary>Bytes a frame takes in <see cref="Bytes"/>: <see cref="PlainFrame"/>, or 128 for a SYN with options.</summary>
    public int Stride { get; }

    public SyntheticFrames(int count, int stride = PlainFrame)
    {
        Count = count;
        Stride = stride;
        Bytes = new byte[(long)count * stride];
        Lengths = new int[count];
    }

    public int Count { get; }
    public byte[] Bytes { get; }
    public int[] Lengths { get; }

    public ReadOnlySpan<byte> this[int i] => Bytes.AsSpan(i * Stride, Lengths[i]);

    /// <summary>The i-th distinct attacker 4-tuple (distinct for i below 2^30).</summary>
    public static (Ipv4Address Source, ushort SourcePort, Ipv4Address Target) Flow(long i)
    {
        uint target = Targets.First.Value + 1 + (uint)(i % 62);
        long rest = i / 62;
        uint source = Ipv4Address.Parse("198.51.100.1").Value + (uint)(rest % 254);
        ushort port = (ushort)(1024 + rest / 254 % 64_000);
        return (new Ipv4Address(source), port, new Ipv4Address(target));
    }

    public static SyntheticFrames Syns(int count, long firstFlow = 0) =>
        Build(count, firstFlow, (frame, source, port, target) => FrameWriter.WriteTcp(frame, new LinkAddressing(TarpitMac, AttackerMac, default),
            source, target, 1, 64, port, 80, 1000, 0, TcpFlags.Syn, 64240));

    /// <summary>What Linux's connect() offers: MSS 1460, SACK-permitted, timestamps, NOP, window scale 7.</summary>
    private static readonly byte[] LinuxSynOptions = [2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 1, 0xE2, 0x40, 0, 0, 0, 0, 1, 3, 3, 7];

    /// <summary>SYNs as a Linux client sends them (with its options), for the profiles' comparison.</summary>
    public static SyntheticFrames LinuxSyns(int count, long firstFlow = 0) =>
        Build(count, firstFlow, (frame, source, port, target) => FrameWriter.WriteTcp(frame, new LinkAddressing(TarpitMac, AttackerMac, default),
            source, target, 1, 64, port, 80, 1000, 0, TcpFlags.Syn, 64240, LinuxSynOptions), stride: 128);

    /// <summary>Linux zero-window probes (no data, at snd_una − 1) for flows that sent 10 bytes of first data.</summary>
    public static SyntheticFrames Probes(int count, Func<Ipv4Address, ushort, Ipv4Address, uint> cookie) =>
        Build(count, 0, (frame, source, port, target) => FrameWriter.WriteTcp(frame, new LinkAddressing(TarpitMac, AttackerMac, default),
            source, target, 1, 64, port, 80, 1010, cookie(source, port, target) + 1, TcpFlags.Ack, 64240));

    public static SyntheticFrames FirstData(int count, Func<Ipv4Address, ushort, Ipv4Address, uint> cookie) =>
        Build(count, 0, (frame, source, port, target) => FrameWriter.WriteTcp(frame, new LinkAddressing(TarpitMac, AttackerMac, default),
            source, target, 1, 64, port, 80, 1001, cookie(source, port, target) + 1, TcpFlags.Ack | TcpFlags.Psh, 64240, payload: "GET / HTTP"u8));

    public static SyntheticFrames ArpRequests(int count) =>
        Build(count, 0, (frame, source, _, target) => FrameWriter.WriteArp(frame, new LinkAddressing(MacAddress.Broadcast, AttackerMac, default),
            ArpPacket.OperationRequest, AttackerMac, source, MacAddress.Zero, target));

    private delegate int Writer(Span<byte> frame, Ipv4Address source, ushort port, Ipv4Address target);

    private static SyntheticFrames Build(int count, long firstFlow, Writer write, int stride = PlainFrame)
    {
        var frames = new SyntheticFrames(count, stride);
        for (int i = 0; i < count; i++)
        {
            var (source, port, target) = Flow(firstFlow + i);
            frames.Lengths[i] = write(frames.Bytes.AsSpan(i * stride, stride), source, port, target);
        }
        return frames;
    }
}
