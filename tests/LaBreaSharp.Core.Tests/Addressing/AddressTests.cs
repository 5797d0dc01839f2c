using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Tests.Addressing;

public class AddressTests
{
    [Theory]
    [InlineData("192.0.2.1", 0xC0000201u)]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("203.0.113.254", 0xCB0071FEu)]
    public void Ipv4_parses_and_prints(string text, uint value)
    {
        Assert.True(Ipv4Address.TryParse(text, out var address));
        Assert.Equal(value, address.Value);
        Assert.Equal(text, address.ToString());
        Span<char> chars = stackalloc char[15];
        Assert.True(address.TryFormat(chars, out int written, default, null));
        Assert.Equal(text, chars.Slice(0, written).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("192.0.2")]
    [InlineData("192.0.2.1.5")]
    [InlineData("192.0.2.256")]
    [InlineData("192.0.2.01")]
    [InlineData("192.0.2.-1")]
    [InlineData(" 192.0.2.1")]
    [InlineData("192.0.2.1 ")]
    [InlineData("192..2.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1234.0.0.1")]
    public void Ipv4_refuses_anything_but_a_dotted_quad(string text)
    {
        Assert.False(Ipv4Address.TryParse(text, out _));
    }

    [Fact]
    public void Ipv4_classes_that_are_never_answered()
    {
        Assert.True(Ipv4Address.Parse("224.0.0.1").IsMulticast);
        Assert.True(Ipv4Address.Parse("239.255.255.250").IsMulticast);
        Assert.False(Ipv4Address.Parse("240.0.0.1").IsMulticast);
        Assert.True(Ipv4Address.Parse("127.0.0.1").IsLoopback);
        Assert.True(Ipv4Address.Parse("0.1.2.3").IsThisNetwork);
        Assert.True(Ipv4Address.Broadcast.IsLimitedBroadcast);
    }

    [Fact]
    public void Ipv4_reads_and_writes_network_order()
    {
        byte[] bytes = new byte[4];
        Ipv4Address.Parse("198.51.100.7").Write(bytes);
        Assert.Equal(new byte[] { 198, 51, 100, 7 }, bytes);
        Assert.Equal(Ipv4Address.Parse("198.51.100.7"), Ipv4Address.Read(bytes));
    }

    [Theory]
    [InlineData("02:00:5e:00:53:01", 0x02005E005301ul)]
    [InlineData("FF-FF-FF-FF-FF-FF", 0xFFFFFFFFFFFFul)]
    public void Mac_parses_and_prints_lowercase_with_colons(string text, ulong value)
    {
        Assert.True(MacAddress.TryParse(text, out var mac));
        Assert.Equal(value, mac.Value);
        Assert.Equal(text.ToLowerInvariant().Replace('-', ':'), mac.ToString());
        var bytes = new byte[6];
        mac.Write(bytes);
        Assert.Equal(mac, MacAddress.Read(bytes));
    }

    [Theory]
    [InlineData("02:00:5e:00:53")]
    [InlineData("02:00:5e:00:53:0g")]
    [InlineData("02:00:5e:00:53:011")]
    [InlineData("02.00.5e.00.53.01")]
    public void Mac_refuses_malformed_text(string text)
    {
        Assert.False(MacAddress.TryParse(text, out _));
    }

    [Fact]
    public void Mac_bits()
    {
        Assert.True(MacAddress.Parse("02:00:00:00:00:01").IsLocallyAdministered);
        Assert.False(MacAddress.Parse("02:00:00:00:00:01").IsGroup);
        Assert.True(MacAddress.Parse("01:00:5e:00:00:01").IsGroup);
        Assert.True(MacAddress.Broadcast.IsGroup);
    }
}
