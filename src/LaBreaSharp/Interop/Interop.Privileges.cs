using System.Runtime.InteropServices;

namespace LaBreaSharp.Interop;

internal static unsafe partial class Libc
{
    internal const int PR_CAPBSET_DROP = 24;
    internal const int PR_SET_NO_NEW_PRIVS = 38;
    internal const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    // uid_t geteuid(void);
    [LibraryImport(Library)]
    internal static partial uint geteuid();

    // struct passwd *getpwnam(const char *name): name, passwd, uid at 16, gid at 20 on LP64.
    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint getpwnam(string name);

    // int setgroups(size_t size, const gid_t *list);
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int setgroups(nuint size, uint* list);

    // int setresgid(gid_t rgid, gid_t egid, gid_t sgid);  glibc applies it to every thread.
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int setresgid(uint rgid, uint egid, uint sgid);

    // int setresuid(uid_t ruid, uid_t euid, uid_t suid);  glibc applies it to every thread.
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int setresuid(uint ruid, uint euid, uint suid);

    // int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5);
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    // int chown(const char *pathname, uid_t owner, gid_t group);
    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chown(string path, uint owner, uint group);

    // int capset(cap_user_header_t hdrp, const cap_user_data_t datap);  (the raw system call's wrapper)
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int capset(uint* header, uint* data);
}
