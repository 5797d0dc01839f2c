using System.Runtime.InteropServices;

namespace LaBreaSharp.Interop;

/// <summary>The few libc calls the shell makes itself: a netlink socket for the kernel's neighbour
/// table (.NET's Socket has no netlink family), and the privilege drop.</summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc.so.6";

    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int NETLINK_ROUTE = 0;

    // int socket(int domain, int type, int protocol);
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    // ssize_t send(int sockfd, const void *buf, size_t len, int flags);
    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint send(int fd, byte* buffer, nuint length, int flags);

    // ssize_t recv(int sockfd, void *buf, size_t len, int flags);
    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    // int close(int fd);
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int close(int fd);
}
