using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        // <linux/socket.h>, <linux/if_packet.h>
        internal const int SOL_PACKET = 263;
        /// <summary>Linux 4.20 and later: the kernel hands the socket no frame this host sends.</summary>
        internal const int PACKET_IGNORE_OUTGOING = 23;

        // int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int setsockopt(int sockfd, int level, int optname, void* optval, uint optlen);
    }
}
