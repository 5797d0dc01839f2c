using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

/// <summary>Which file a path names, as the kernel sees it (device and inode, stat(2) following
/// symbolic links): two paths name the same file exactly when these are equal, whatever their spelling.</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode, bool IsRegularFile)
{
    /// <summary>The file at <paramref name="path"/>, or null when there is none (or it cannot be looked at).</summary>
    public static unsafe FileIdentity? Of(string path)
    {
        if (path.Length == 0 || path.Contains('\0'))
            return null;
        byte* buffer = stackalloc byte[Interop.Libc.StatBufferSize];
        if (Interop.Libc.stat(path, buffer) != 0)
            return null;
        // Both 64-bit layouts begin with st_dev and st_ino; st_mode follows st_nlink on x86-64
        // and comes before it (as the generic layout has it) on arm64.
        ulong device = *(ulong*)buffer;
        ulong inode = *(ulong*)(buffer + 8);
        uint mode = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? *(uint*)(buffer + 24) : *(uint*)(buffer + 16);
        return new FileIdentity(device, inode, (mode & Interop.Libc.S_IFMT) == Interop.Libc.S_IFREG);
    }
}
