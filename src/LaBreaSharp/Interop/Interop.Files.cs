using System.Runtime.InteropServices;

namespace LaBreaSharp.Interop;

internal static unsafe partial class Libc
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFSOCK = 0xC000;

    // int lstat(const char *pathname, struct stat *statbuf);  an exported symbol since glibc 2.33.
    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lstat(string path, byte* buffer);

    /// <summary>Whether <paramref name="path"/> is a Unix socket itself (not a link to one): the
    /// control socket's stale leftover may be replaced, any other file never is. st_mode sits at
    /// offset 24 of struct stat on x86-64 and 16 on arm64 (the kernel's generic layout).</summary>
    internal static bool IsSocket(string path)
    {
        int offset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        byte* buffer = stackalloc byte[256];
        if (lstat(path, buffer) != 0)
            return false;
        return (*(uint*)(buffer + offset) & S_IFMT) == S_IFSOCK;
    }
}
