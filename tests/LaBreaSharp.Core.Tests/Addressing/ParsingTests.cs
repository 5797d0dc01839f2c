using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Tests.Addressing;

public class ParsingTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0", "192.0.2.255")]
    [InlineData("198.51.100.128/25", "198.51.100.128", "198.51.100.255")]
    [InlineData("203.0.113.7/32", "203.0.113.7", "203.0.113.7")]
    [InlineData("0.0.0.0/0", "0.0.0.0", "255.255.255.255")]
    public void Cidr_bounds(string text, string first, string last)
    {
        Assert.True(Cidr.TryParse(text, out var cidr, out _));
        Assert.Equal(Ipv4Address.Parse(first), cidr.First);
        Assert.Equal(Ipv4Address.Parse(last), cidr.Last);
        Assert.Equal(text, cidr.ToString());
        Assert.True(cidr.Contains(Ipv4Address.Parse(last)));
    }

    [Theory]
    [InlineData("192.0.2.0", "not a CIDR prefix")]
    [InlineData("192.0.2.0/33", "length must be 0 to 32")]
    [InlineData("192.0.2.0/", "length must be 0 to 32")]
    [InlineData("192.0.2.0/-1", "length must be 0 to 32")]
    [InlineData("192.0.2/24", "is not an IPv4 address")]
    [InlineData("192.0.2.1/24", "has host bits set; did you mean 192.0.2.0/24?")]
    public void Cidr_mistakes_are_named(string text, string message)
    {
        Assert.False(Cidr.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
        Assert.Contains(text, error);
    }

    [Fact]
    public void Address_sets_take_addresses_ranges_and_prefixes_and_merge_them()
    {
        Assert.True(AddressSet.TryParse(["192.0.2.5", "192.0.2.10-192.0.2.20,192.0.2.21", "198.51.100.0/30"], out var set, out _));
        Assert.Equal("192.0.2.5,192.0.2.10-192.0.2.21,198.51.100.0-198.51.100.3", set.ToString());
        Assert.True(set.Contains(Ipv4Address.Parse("192.0.2.15")));
        Assert.True(set.Contains(Ipv4Address.Parse("198.51.100.3")));
        Assert.False(set.Contains(Ipv4Address.Parse("192.0.2.6")));
        Assert.False(set.Contains(Ipv4Address.Parse("198.51.100.4")));
    }

    [Theory]
    [InlineData("192.0.2.20-192.0.2.10", "empty range")]
    [InlineData("192.0.2.1-", "not an address range")]
    [InlineData("host.example", "not an IPv4 address, range or CIDR prefix")]
    public void Address_set_mistakes_are_named(string text, string message)
    {
        Assert.False(AddressSet.TryParse([text], out _, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void Port_lists()
    {
        var ports = PortSet.Parse("22, 80,8000-8002");
        Assert.Equal(5, ports.Count);
        Assert.True(ports.Contains(8001));
        Assert.False(ports.Contains(8003));
        Assert.Equal(65536, PortSet.All.Count);
        Assert.True(PortSet.None.IsEmpty);
    }

    [Theory]
    [InlineData("80-", "the range '80-' needs an end")]
    [InlineData("-80", "the range '-80' needs a start")]
    [InlineData("90-80", "the range '90-80' is empty")]
    [InlineData("0", "'0' is not a port from 1 to 65535")]
    [InlineData("65536", "'65536' is not a port from 1 to 65535")]
    [InlineData("http", "'http' is not a port from 1 to 65535")]
    [InlineData("22,,80", "an empty entry")]
    [InlineData("+22", "'+22' is not a port")]
    public void Port_list_mistakes_are_named(string text, string message)
    {
        Assert.False(PortSet.TryParse([text], out _, out var error));
        Assert.Equal($"bad port list '{text}': {message}", error[..Math.Min(error.Length, $"bad port list '{text}': {message}".Length)]);
    }
}
