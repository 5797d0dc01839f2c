using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const short POLLIN = 0x001;
        internal const short POLLOUT = 0x004;
        internal const int EINTR = 4;

        // struct pollfd { int fd; short events; short revents; };
        [StructLayout(LayoutKind.Sequential)]
        internal struct pollfd
        {
            public int fd;
            public short events;
            public short revents;
        }

        // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int poll(pollfd* fds, nuint nfds, int timeout);
    }
}
