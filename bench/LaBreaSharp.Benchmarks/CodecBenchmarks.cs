using BenchmarkDotNet.Attributes;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Benchmarks;

/// <summary>Parsing a SYN with options down to its options; writing a SYN-ACK with both checksums.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class CodecBenchmarks
{
    private readonly byte[] _syn = new byte[128];
    private readonly byte[] _reply = new byte[128];
    private int _synLength;

    [GlobalSetup]
    public void Setup()
    {
        byte[] options = [0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x1a, 0x41, 0x2b, 0x6a, 0, 0, 0, 0, 0x01, 0x03, 0x03, 0x0a];
        _synLength = FrameWriter.WriteTcp(_syn, new LinkAddressing(SyntheticFrames.TarpitMac, SyntheticFrames.AttackerMac, default),
            Ipv4Address.Parse("198.51.100.9"), Ipv4Address.Parse("192.0.2.77"), 0x8dd3, 64, 38178, 80, 3944510770, 0, TcpFlags.Syn, 64240,
            options: options, dontFragment: true);
    }

    [Benchmark(Description = "parse Ethernet/IPv4/TCP + options, verify checksums")]
    public int Parse()
    {
        var frame = _syn.AsSpan(0, _synLength);
        if (!EthernetFrame.TryRead(frame, out var ethernet) || !Ipv4Packet.TryRead(ethernet.Payload, out var ip) ||
            !ip.IsHeaderChecksumValid || !TcpSegment.TryRead(ip.Payload, out var tcp) ||
            !tcp.IsChecksumValid(ip.Source, ip.Destination) || !tcp.TryGetOptions(out var options))
            return -1;
        return tcp.DestinationPort + (options.MaximumSegmentSize ?? 0);
    }

    [Benchmark(Description = "write SYN-ACK with IP and TCP checksums")]
    public int WriteSynAck() =>
        FrameWriter.WriteTcp(_reply, new LinkAddressing(SyntheticFrames.AttackerMac, SyntheticFrames.TarpitMac, default),
            Ipv4Address.Parse("192.0.2.77"), Ipv4Address.Parse("198.51.100.9"), 0x1234, 64, 80, 38178, 0xdeadbeef, 3944510771, TcpFlags.SynAck, 10);
}
