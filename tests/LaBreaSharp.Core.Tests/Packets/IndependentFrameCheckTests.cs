using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tests.Packets;

/// <summary>The check every engine test's replies pass through (<see cref="IndependentFrameCheck"/>):
/// it passes what the writers make, and it fails when a checksum, a length or a field is wrong.</summary>
public class IndependentFrameCheckTests
{
    private static readonly MacAddress Tarpit = MacAddress.Parse("02:00:00:00:00:fe");
    private static readonly MacAddress Client = MacAddress.Parse("02:00:00:00:00:02");
    private static readonly Ipv4Address Claimed = Ipv4Address.Parse("192.0.2.77");
    private static readonly Ipv4Address Attacker = Ipv4Address.Parse("192.0.2.2");

    // MSS 1460, then NOP padding to a multiple of four.
    private static readonly byte[] MssOption = [2, 4, 0x05, 0xb4];

    private static byte[] SynAck(VlanTags tags = default, byte[]? options = null)
    {
        var frame = new byte[128];
        int length = FrameWriter.WriteTcp(frame, new LinkAddressing(Client, Tarpit, tags), Claimed, Attacker, 0x2b1c, 64,
            80, 40000, 0x01020304, 0x0a0b0c0d, TcpFlags.SynAck, 64240, options ?? MssOption, dontFragment: true);
        return frame[..length];
    }

    private static byte[] Echo(byte type)
    {
        var frame = new byte[128];
        int length = FrameWriter.WriteIcmpEcho(frame, new LinkAddressing(Client, Tarpit, default), Claimed, Attacker, 7, 64,
            type, 0x4242, 3, "abcdefgh"u8);
        return frame[..length];
    }

    private static byte[] ArpReply(MacAddress sender)
    {
        var frame = new byte[64];
        int length = FrameWriter.WriteArp(frame, new LinkAddressing(Client, Tarpit, VlanTags.Single(100)),
            ArpPacket.OperationReply, sender, Claimed, Client, Attacker);
        return frame[..length];
    }

    [Fact]
    public void What_the_writers_make_passes_and_its_layers_are_named()
    {
        Assert.Equal("ethernet/ipv4/tcp", IndependentFrameCheck.Check(SynAck()));
        Assert.Equal("ethernet/vlan/vlan/ipv4/tcp", IndependentFrameCheck.Check(SynAck(new VlanTags(2, EtherType.QinQ, 0x6000 | 300, EtherType.Vlan, 200))));
        Assert.Equal("ethernet/ipv4/icmp", IndependentFrameCheck.Check(Echo(IcmpMessage.TypeEchoReply)));
        Assert.Equal("ethernet/vlan/arp", IndependentFrameCheck.Check(ArpReply(Tarpit)));
    }

    public static TheoryData<string, int, string> Corruptions => new()
    {
        // what is broken, the byte of SynAck() flipped (0xff), the problem the check must name
        { "the TCP checksum", 14 + 20 + 16, "tcp: checksum" },
        { "the IPv4 header checksum", 14 + 10, "ipv4: header checksum" },
        { "the TTL (so the header checksum too)", 14 + 8, "ipv4: header checksum" },
        { "the window (so the TCP checksum too)", 14 + 20 + 14, "tcp: checksum" },
        { "the MSS option's length", 14 + 20 + 21, "tcp options: kind 2 at 0 has length 251" },
        { "the IPv4 version", 14, "ipv4 version" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupted_frame_fails_and_the_problem_is_named(string what, int offset, string problem)
    {
        var frame = SynAck();
        IndependentFrameCheck.Check(frame);
        frame[offset] ^= 0xff;
        var e = Assert.Throws<FrameCheckException>(() => IndependentFrameCheck.Check(frame));
        Assert.True(e.Message.Contains(problem, StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void A_frame_cut_short_or_padded_fails_on_the_ipv4_total_length()
    {
        var frame = SynAck();
        foreach (var wrong in new[] { frame[..^1], [.. frame, 0] })
        {
            var e = Assert.Throws<FrameCheckException>(() => IndependentFrameCheck.Check(wrong));
            Assert.Contains("ipv4 total length against the frame", e.Message);
        }
    }

    [Fact]
    public void What_the_engine_never_writes_fails_though_its_checksums_are_right()
    {
        Assert.Contains("only echo replies", Assert.Throws<FrameCheckException>(() => IndependentFrameCheck.Check(Echo(IcmpMessage.TypeEchoRequest))).Message);
        Assert.Contains("arp sender MAC against the ethernet source",
            Assert.Throws<FrameCheckException>(() => IndependentFrameCheck.Check(ArpReply(Client))).Message);
    }

    /// <summary>Issue 11: PacketDotNet 1.4.8 loops forever reading a TCP option whose length is 0,
    /// so the check walks the options itself first. Run on a pool thread with a deadline, so that a
    /// regression fails this test instead of hanging the run.</summary>
    [Fact]
    public async Task A_zero_length_tcp_option_fails_at_once_rather_than_hanging_PacketDotNet()
    {
        var frame = SynAck(options: [2, 0, 0, 0]); // kind MSS, length 0: the checksums are right
        var check = Task.Run(() => Assert.Throws<FrameCheckException>(() => IndependentFrameCheck.Check(frame)));
        Assert.True(await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(10))) == check, "the check did not return within 10 s");
        Assert.Contains("tcp options: kind 2 at 0 has length 0", (await check).Message);
    }
}
