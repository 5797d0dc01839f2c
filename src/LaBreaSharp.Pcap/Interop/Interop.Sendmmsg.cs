using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int EAGAIN = 11;

        // struct iovec { void *iov_base; size_t iov_len; };
        [StructLayout(LayoutKind.Sequential)]
        internal struct iovec
        {
            public byte* iov_base;
            public nuint iov_len;
        }

        // struct msghdr { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
        //                 void *msg_control; size_t msg_controllen; int msg_flags; };
        // Sequential layout pads it as the C compiler does: 56 bytes on 64-bit Linux, 28 on 32-bit.
        [StructLayout(LayoutKind.Sequential)]
        internal struct msghdr
        {
            public void* msg_name;
            public uint msg_namelen;
            public iovec* msg_iov;
            public nuint msg_iovlen;
            public void* msg_control;
            public nuint msg_controllen;
            public int msg_flags;
        }

        // struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };
        [StructLayout(LayoutKind.Sequential)]
        internal struct mmsghdr
        {
            public msghdr msg_hdr;
            public uint msg_len;
        }

        // int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int sendmmsg(int sockfd, mmsghdr* msgvec, uint vlen, int flags);
    }
}
