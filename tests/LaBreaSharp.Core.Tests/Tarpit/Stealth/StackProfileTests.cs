using System.Buffers.Binary;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit.Stealth;

namespace LaBreaSharp.Core.Tests.Tarpit.Stealth;

/// <summary>Each stack's SYN-ACK options, byte for byte: Linux's against SYN-ACKs the lab's own
/// kernel sent (pcaps/linux-synack.pcap, scripts/record-linux-synack.sh), the others against the
/// layouts nmap's database records for them (its O1..O6 lines for nmap's six SYN probes).</summary>
public class StackProfileTests
{
    /// <summary>(SYN, SYN-ACK) IPv4 packet pairs of a raw-IP pcap as scapy writes it.</summary>
    private static List<(byte[] Syn, byte[] SynAck)> RecordedPairs()
    {
        var file = File.ReadAllBytes(RepositoryPaths.Fixture("linux-synack.pcap"));
        Assert.Equal(0xA1B2C3D4u, BinaryPrimitives.ReadUInt32LittleEndian(file));
        var packets = new List<byte[]>();
        for (int at = 24; at + 16 <= file.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8));
            packets.Add(file.AsSpan(at + 16, length).ToArray());
            at += 16 + length;
        }
        return [.. packets.Chunk(2).Select(p => (p[0], p[1]))];
    }

    private static TcpSegment Tcp(byte[] packet, out Ipv4Packet ip)
    {
        Assert.True(Ipv4Packet.TryRead(packet, out ip));
        Assert.True(TcpSegment.TryRead(ip.Payload, out var tcp));
        return tcp;
    }

    [Fact]
    public void Linux_answers_every_recorded_syn_as_the_lab_kernel_did()
    {
        var pairs = RecordedPairs();
        Assert.Equal(5, pairs.Count); // every option; no timestamps; no window scale; no SACK; none at all
        foreach (var (synPacket, synAckPacket) in pairs)
        {
            var syn = Tcp(synPacket, out _);
            var recorded = Tcp(synAckPacket, out var ip);
            var offered = OfferedOptions.Of(syn);
            Assert.True(recorded.TryGetOptions(out var kernel));
            // The lab kernel's window scale follows its receive buffer (10 on this 24 GiB machine,
            // 7 on a small one); the profile offers 7. Everything else is compared as recorded.
            var linux = StackProfile.Of(OsFamily.Linux) with { WindowScale = kernel.WindowScale ?? 7 };
            var ours = new byte[40];
            int length = linux.WriteSynAckOptions(ours, offered, kernel.TimestampValue ?? 0);
            Assert.Equal(Convert.ToHexString(recorded.OptionsArea), Convert.ToHexString(ours, 0, length));
            Assert.Equal(recorded.Window, linux.WindowFor(offered));
            Assert.Equal(linux.TimeToLive, ip.TimeToLive);
            Assert.Equal(linux.DontFragment, ip.DontFragment);
            Assert.Equal(0, ip.Identification); // IpIdKind.Zero
        }
    }

    /// <summary>nmap's six SYN probes' options (nmap's osscan2.cc, as its documentation lists them),
    /// and the O1..O6 strings nmap-os-db holds for each stack; "M5B4" is our MSS 1460.</summary>
    [Theory]
    [InlineData(OsFamily.Windows, "M5B4NW8ST11|M5B4NW8ST11|M5B4NW8NNT11|M5B4NW8ST11|M5B4NW8ST11|M5B4ST11")]
    [InlineData(OsFamily.Printer, "M5B4NW0NNT11|M5B4NW0NNT11|M5B4NW0NNT11|M5B4NW0NNT11|M5B4NW0NNT11|M5B4NNT11")]
    [InlineData(OsFamily.Router, "M5B4SNNT11LL|M578SNNT11LL|M280T11LL|M218SNNT11LL|M218SNNT11LL|M109SNNT11LL")]
    [InlineData(OsFamily.Linux, "M5B4ST11NW7|M5B4ST11NW7|M5B4NNT11NW7|M5B4ST11NW7|M5B4ST11NW7|M5B4ST11")]
    public void Each_stack_answers_nmaps_six_probes_with_its_database_layout(OsFamily family, string expected)
    {
        // Probe: MSS, window scale, SACK-permitted, timestamps (O3 has no SACK, O6 no window scale).
        (ushort Mss, bool Scale, bool Sack)[] probes = [(1460, true, true), (1400, true, true), (640, true, false), (536, true, true), (536, true, true), (265, false, true)];
        var stack = StackProfile.Of(family);
        var layouts = probes.Select(p =>
        {
            var ours = new byte[40];
            int length = stack.WriteSynAckOptions(ours, new OfferedOptions(p.Mss, p.Scale, p.Sack, 0xFFFFFFFF), 1);
            return NmapLayout(ours.AsSpan(0, length));
        });
        Assert.Equal(expected, string.Join("|", layouts));
    }

    /// <summary>nmap's notation: M (MSS in hex), N (NOP), W (scale), S (SACK-permitted), T11
    /// (timestamps, both non-zero), L (end of list).</summary>
    private static string NmapLayout(ReadOnlySpan<byte> options)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < options.Length;)
        {
            switch (options[i])
            {
                case TcpOptionKind.EndOfList: text.Append('L'); i++; break;
                case TcpOptionKind.NoOperation: text.Append('N'); i++; break;
                case TcpOptionKind.MaximumSegmentSize: text.Append('M').Append(BinaryPrimitives.ReadUInt16BigEndian(options[(i + 2)..]).ToString("X")); i += 4; break;
                case TcpOptionKind.WindowScale: text.Append('W').Append(options[i + 2].ToString("X")); i += 3; break;
                case TcpOptionKind.SackPermitted: text.Append('S'); i += 2; break;
                case TcpOptionKind.Timestamps:
                    text.Append('T').Append(BinaryPrimitives.ReadUInt32BigEndian(options[(i + 2)..]) != 0 ? '1' : '0')
                        .Append(BinaryPrimitives.ReadUInt32BigEndian(options[(i + 6)..]) != 0 ? '1' : '0');
                    i += 10;
                    break;
                default: throw new InvalidOperationException($"option {options[i]}");
            }
        }
        return text.ToString();
    }

    [Fact]
    public void Every_layout_is_whole_words_and_fits_the_header_for_any_offer()
    {
        foreach (var stack in StackProfile.All)
        {
            foreach (bool scale in new[] { false, true })
            foreach (bool sack in new[] { false, true })
            foreach (uint? ts in new uint?[] { null, 5 })
            foreach (ushort? mss in new ushort?[] { null, 536 })
            {
                var ours = new byte[40];
                int length = stack.WriteSynAckOptions(ours, new OfferedOptions(mss, scale, sack, ts), 9);
                Assert.True(length % 4 == 0 && length <= 40, $"{stack.Name}: {length} bytes");
                Assert.True(TcpOptions.TryParse(ours.AsSpan(0, length), out var parsed));
                Assert.Equal(ts.HasValue, parsed.HasTimestamps); // a SYN-ACK carries only what the SYN offered
                Assert.Equal(ts, parsed.TimestampEcho);
                Assert.False(!sack && parsed.SackPermitted);
                Assert.False(!scale && parsed.WindowScale.HasValue);
            }
        }
    }
}
