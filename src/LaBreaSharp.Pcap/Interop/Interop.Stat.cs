using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        /// <summary>Big enough for struct stat on every 64-bit Linux (144 bytes on x86-64, 128 on arm64).</summary>
        internal const int StatBufferSize = 256;
        internal const uint S_IFMT = 0xF000;
        internal const uint S_IFREG = 0x8000;

        // int stat(const char *restrict pathname, struct stat *restrict statbuf);
        [LibraryImport(Libraries.Libc, EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int stat(string pathname, byte* statbuf);
    }
}
