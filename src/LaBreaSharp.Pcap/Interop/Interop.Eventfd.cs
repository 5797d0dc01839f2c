using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int EFD_CLOEXEC = 0x80000;
        internal const int EFD_NONBLOCK = 0x800;

        // int eventfd(unsigned int initval, int flags);
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int eventfd(uint initval, int flags);

        // ssize_t read(int fd, void *buf, size_t count);
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial nint read(int fd, void* buf, nuint count);

        // ssize_t write(int fd, const void *buf, size_t count);
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial nint write(int fd, void* buf, nuint count);

        // int close(int fd);
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int close(int fd);
    }
}
