namespace LaBreaSharp.Pcap.Tests;

public class PcapLibraryTests
{
    [Fact]
    public void The_debian_soname_loads_and_reports_its_version()
    {
        PcapLibrary.EnsureLoaded();
        Assert.StartsWith("libpcap version ", PcapLibrary.Version);
    }

    [Fact]
    public void A_missing_library_names_the_package_to_install()
    {
        Assert.False(PcapLibrary.TryLoad(["libpcap-that-does-not-exist.so.9"], out var handle, out var error));
        Assert.Equal(0, handle);
        Assert.Contains("libpcap-that-does-not-exist.so.9", error);
        Assert.Contains("apt-get install -y libpcap0.8", error);
    }
}
