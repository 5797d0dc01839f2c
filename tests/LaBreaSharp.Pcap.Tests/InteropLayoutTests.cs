using System.Runtime.CompilerServices;

namespace LaBreaSharp.Pcap.Tests;

/// <summary>The C structs as the x86-64/arm64 Linux ABI lays them out, checked rather than assumed.</summary>
public class InteropLayoutTests
{
    [Fact]
    public void Struct_sizes_match_lp64_linux()
    {
        Assert.Equal(8, IntPtr.Size);
        Assert.Equal(24, Unsafe.SizeOf<Interop.Pcap.pcap_pkthdr>());   // timeval (2 × long) + caplen + len
        Assert.Equal(12, Unsafe.SizeOf<Interop.Pcap.pcap_stat>());     // three u_int
        Assert.Equal(16, Unsafe.SizeOf<Interop.Pcap.bpf_program>());   // u_int, padding, pointer
        Assert.Equal(8, Unsafe.SizeOf<Interop.Libc.pollfd>());         // int fd, short events, short revents
        Assert.Equal(16, Unsafe.SizeOf<Interop.Libc.iovec>());         // pointer, size_t
        Assert.Equal(56, Unsafe.SizeOf<Interop.Libc.msghdr>());        // name, namelen, iov, iovlen, control, controllen, flags
        Assert.Equal(64, Unsafe.SizeOf<Interop.Libc.mmsghdr>());      // msghdr, unsigned int msg_len, padding
    }
}
