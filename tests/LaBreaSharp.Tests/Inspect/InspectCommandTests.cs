using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Pcap;

namespace LaBreaSharp.Tests.Inspect;

public sealed class InspectCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labreasharp-inspect-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Curl_fixture_prints_arp_handshake_data_and_fin_lines()
    {
        var (code, output, error) = CliRunner.Run("inspect", "-r", RepositoryPaths.Fixture("curl-http.pcap"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = CliRunner.Lines(output);
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{6} ARP who-has 192\.0\.2\.100 tell 192\.0\.2\.2$", lines[0]);
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{6} ARP reply 192\.0\.2\.100 is-at 02:00:00:00:02:64$", lines[1]);
        Assert.Matches(@" 192\.0\.2\.2\.\d+ > 192\.0\.2\.100\.80: S seq \d+ win 64240 <mss 1460,sackOK,ts,wscale \d+>$", lines[2]);
        Assert.Matches(@" 192\.0\.2\.100\.80 > 192\.0\.2\.2\.\d+: S\. seq \d+ ack \d+ win \d+ <mss 1460,sackOK,ts,wscale \d+>$", lines[3]);
        Assert.Contains(lines, l => l.Contains(": P. seq ") && l.Contains(" len 85 <ts>")); // the GET request
        Assert.Contains(lines, l => l.Contains(": F. seq "));
        Assert.DoesNotContain(lines[..^1], l => l.Contains("malformed") || l.Contains("bad "));
        Assert.Matches(@"^\d+ frames: \d+ tcp, 0 udp, 0 icmp, \d+ arp, 0 other, 0 malformed$", lines[^1]);
    }

    [Fact]
    public void Tagged_frames_show_their_vlan_ids()
    {
        var (code, output, _) = CliRunner.Run("inspect", "-r", RepositoryPaths.Fixture("vlan-tagged.pcap"), "-e");
        Assert.Equal(0, code);
        var lines = CliRunner.Lines(output);
        Assert.EndsWith(" 02:00:00:00:02:02 > ff:ff:ff:ff:ff:ff, vlan 100 ARP who-has 192.0.2.140 tell 192.0.2.130", lines[0]);
        Assert.EndsWith(" vlan 100 192.0.2.130 > 192.0.2.140: ICMP echo request, id 7, seq 1, length 52", lines[1]);
        Assert.EndsWith(" vlan 300 vlan 200 192.0.2.194.40000 > 192.0.2.200.80: S seq 1 win 64240 <mss 1460,sackOK,ts,wscale 7>", lines[2]);
        Assert.Equal("3 frames: 1 tcp, 0 udp, 1 icmp, 1 arp, 0 other, 0 malformed", lines[^1]);
    }

    [Fact]
    public void Timestamps_are_printed_in_utc_to_the_microsecond()
    {
        var path = Path.Combine(_directory, "time.pcap");
        var frame = new byte[64];
        int length = FrameWriter.WriteArp(frame, new LinkAddressing(MacAddress.Broadcast, MacAddress.Parse("02:00:00:00:00:01"), VlanTags.None),
            ArpPacket.OperationRequest, MacAddress.Parse("02:00:00:00:00:01"), Ipv4Address.Parse("192.0.2.1"), MacAddress.Zero, Ipv4Address.Parse("192.0.2.9"));
        long noonPlusOneMicrosecond = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000 + 1_000;
        using (var writer = CaptureFileWriter.Create(path))
            writer.Write(noonPlusOneMicrosecond, frame.AsSpan(0, length));
        var (_, output, _) = CliRunner.Run("inspect", "-r", path);
        Assert.Equal("12:00:00.000001 ARP who-has 192.0.2.9 tell 192.0.2.1", CliRunner.Lines(output)[0]);
    }

    [Fact]
    public void Frames_that_cannot_be_parsed_are_named_malformed_and_counted()
    {
        var path = Path.Combine(_directory, "bad.pcap");
        var good = new byte[128];
        int length = FrameWriter.WriteTcp(good, new LinkAddressing(MacAddress.Parse("02:00:00:00:00:02"), MacAddress.Parse("02:00:00:00:00:01"), VlanTags.None),
            Ipv4Address.Parse("192.0.2.2"), Ipv4Address.Parse("192.0.2.100"), 1, 64, 40000, 80, 1, 0, TcpFlags.Syn, 64240);
        using (var writer = CaptureFileWriter.Create(path))
        {
            writer.Write(0, good.AsSpan(0, length));
            writer.Write(1000, good.AsSpan(0, 10));                 // shorter than an Ethernet header
            var lyingTotal = good.AsSpan(0, length).ToArray();
            lyingTotal[17] = 200;                                    // IPv4 total length 200 in a 40-byte packet
            writer.Write(2000, lyingTotal);
            var badOffset = good.AsSpan(0, length).ToArray();
            badOffset[46] = 0x30;                                    // TCP data offset 3
            writer.Write(3000, badOffset);
            var badChecksum = good.AsSpan(0, length).ToArray();
            badChecksum[50] ^= 0xff;                                 // TCP checksum damaged: parsed, but flagged
            writer.Write(4000, badChecksum);
        }
        var (code, output, _) = CliRunner.Run("inspect", "-r", path);
        Assert.Equal(0, code);
        var lines = CliRunner.Lines(output);
        Assert.EndsWith(": S seq 1 win 64240", lines[0]);
        Assert.EndsWith(" malformed: ethernet truncated", lines[1]);
        Assert.EndsWith(" malformed: ipv4 bad total length", lines[2]);
        Assert.EndsWith(" malformed: tcp bad header length", lines[3]);
        Assert.EndsWith(": S seq 1 win 64240 [bad tcp cksum]", lines[4]);
        Assert.Equal("5 frames: 2 tcp, 0 udp, 0 icmp, 0 arp, 0 other, 3 malformed", lines[^1]);
    }

    [Fact]
    public void Frames_cut_by_a_snap_length_are_marked_truncated_not_malformed()
    {
        var path = Path.Combine(_directory, "snapped.pcap");
        var frame = new byte[128];
        int length = FrameWriter.WriteTcp(frame, new LinkAddressing(MacAddress.Parse("02:00:00:00:00:02"), MacAddress.Parse("02:00:00:00:00:01"), VlanTags.None),
            Ipv4Address.Parse("192.0.2.2"), Ipv4Address.Parse("192.0.2.100"), 1, 64, 40000, 80, 1, 0, TcpFlags.Psh | TcpFlags.Ack, 64240,
            payload: new byte[60]);
        using (var writer = CaptureFileWriter.Create(path))
        {
            writer.Write(0, frame.AsSpan(0, 40), originalLength: length); // 40 of 114 bytes: the IPv4 header is there, TCP is not
            writer.Write(1000, frame.AsSpan(0, 40));                      // the same bytes claiming to be whole: malformed
        }
        var lines = CliRunner.Lines(CliRunner.Run("inspect", "-r", path).Output);
        Assert.EndsWith(" 192.0.2.2 > 192.0.2.100: [|ip]", lines[0]);
        Assert.EndsWith(" malformed: ipv4 bad total length", lines[1]);
        Assert.EndsWith(" 1 malformed", lines[^1]);
    }

    [Fact]
    public void Count_stops_early()
    {
        var (code, output, _) = CliRunner.Run("inspect", "-r", RepositoryPaths.Fixture("curl-http.pcap"), "-c", "2");
        Assert.Equal(0, code);
        Assert.Equal(3, CliRunner.Lines(output).Length);
        Assert.StartsWith("2 frames:", CliRunner.Lines(output)[^1]);
    }

    [Fact]
    public void A_missing_file_is_one_sentence_and_exit_2()
    {
        var path = Path.Combine(_directory, "absent.pcap");
        var (code, output, error) = CliRunner.Run("inspect", "-r", path);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Equal($"labreasharp: cannot read capture file '{path}': No such file or directory", error.Trim());
    }

    [Fact]
    public void A_file_that_is_not_a_capture_is_one_sentence_and_exit_2()
    {
        var path = Path.Combine(_directory, "notes.txt");
        File.WriteAllText(path, "not a capture");
        var (code, _, error) = CliRunner.Run("inspect", "-r", path);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(CliRunner.Lines(error));
        Assert.Contains("unknown file format", error);
    }

    [RootFact]
    public void An_unreadable_file_is_one_sentence_and_exit_2()
    {
        // Root reads anything, so make reading fail another way: a directory in place of the file.
        var (code, _, error) = CliRunner.Run("inspect", "-r", _directory);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith($"labreasharp: cannot read capture file '{_directory}'", error);
    }

    [Theory]
    [InlineData(new[] { "inspect" }, "labreasharp: missing required option -r/--read")]
    [InlineData(new[] { "inspect", "-r", "x.pcap", "--bogus" }, "labreasharp: unknown option '--bogus'")]
    [InlineData(new[] { "inspect", "-r", "x.pcap", "-c", "many" }, "labreasharp: option -c/--count has a value of the wrong form")]
    [InlineData(new[] { "frob" }, "labreasharp: unknown verb 'frob'; one of: run, replay, inspect, status")]
    public void Command_line_mistakes_are_one_sentence_and_exit_2(string[] args, string message)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Equal(message, error.Trim());
    }

    [Fact]
    public void Help_goes_to_stdout_and_exits_0()
    {
        var (code, output, _) = CliRunner.Run("inspect", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--read", output);
    }
}
