using System.Text;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Core.Tests.Tarpit.Behaviours;

public class BannerLinesTests
{
    private static byte[] Line(BannerKind kind, ulong seed, uint number)
    {
        var buffer = new byte[BannerLines.MaxLength];
        return buffer[..BannerLines.Write(kind, seed, number, buffer)];
    }

    private static IEnumerable<byte[]> Many(BannerKind kind) =>
        from seed in Enumerable.Range(0, 40).Select(s => (ulong)s * 0x9E3779B97F4A7C15)
        from number in Enumerable.Range(0, 250).Select(n => (uint)n)
        select Line(kind, seed, number);

    [Fact]
    public void Ssh_lines_are_printable_never_begin_with_SSH_dash_and_fit_rfc_4253()
    {
        foreach (var line in Many(BannerKind.Ssh))
        {
            Assert.InRange(line.Length, 3, 255);                 // CRLF included (RFC 4253 §4.2)
            Assert.Equal("\r\n"u8.ToArray(), line[^2..]);
            Assert.All(line[..^2], b => Assert.InRange(b, (byte)0x21, (byte)0x7E));
            Assert.False(line.AsSpan().StartsWith("SSH-"u8), Encoding.ASCII.GetString(line));
        }
    }

    [Fact]
    public void Http_starts_with_a_status_line_and_never_ends_its_headers()
    {
        Assert.Equal("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(Line(BannerKind.Http, 7, 0)));
        foreach (var line in Many(BannerKind.Http).Where((_, i) => i % 250 != 0))
        {
            string text = Encoding.ASCII.GetString(line);
            Assert.EndsWith("\r\n", text);
            Assert.Matches(@"^[A-Za-z-]+: \S", text);            // a header, never the blank line that ends them
            Assert.DoesNotContain("Content-Length", text);
            Assert.True(line.Length <= 255);
        }
    }

    [Fact]
    public void Smtp_greets_only_with_continuation_lines()
    {
        foreach (var line in Many(BannerKind.Smtp))
        {
            string text = Encoding.ASCII.GetString(line);
            Assert.StartsWith("220-", text);                    // RFC 5321 §4.2.1: "220 " would end the greeting
            Assert.EndsWith("\r\n", text);
            Assert.True(line.Length <= 255);
        }
    }

    [Fact]
    public void Telnet_negotiates_options_and_never_prompts()
    {
        var all = Many(BannerKind.Telnet).ToList();
        Assert.All(all, line => Assert.Equal(255, line[0]));     // IAC
        Assert.All(all, line => Assert.Contains(line[1], new byte[] { 250, 251, 252, 253, 254 })); // SB, WILL, WONT, DO, DONT
        string text = Encoding.Latin1.GetString(all.SelectMany(l => l).ToArray());
        Assert.DoesNotContain("login", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(all, line => line.Length == 6 && line[1] == 250); // SB TERMINAL-TYPE SEND, now and then
    }

    [Fact]
    public void A_line_is_the_same_every_time_it_is_made_and_lines_differ()
    {
        foreach (var kind in new[] { BannerKind.Ssh, BannerKind.Http, BannerKind.Smtp })
        {
            Assert.Equal(Line(kind, 42, 17), Line(kind, 42, 17));
            Assert.NotEqual(Line(kind, 42, 17), Line(kind, 42, 18));
            Assert.NotEqual(Line(kind, 42, 17), Line(kind, 43, 17));
        }
    }
}
