using System.Runtime.InteropServices;
using LaBreaSharp.Interop;

namespace LaBreaSharp.Commands;

/// <summary>An account to run as once everything privileged is open.</summary>
public sealed record Account(string Name, uint Uid, uint Gid);

/// <summary>Giving up root once the capture, the log file, the recording and syslog are open: the
/// open packet socket still sends and receives, and nothing else the loop does needs privilege
/// (the neighbour dump and /proc/net/route are anyone's to read). As root: the bounding set is
/// emptied, supplementary groups cleared, then group and user changed (glibc applies both to every
/// thread of the process, the runtime's included, and the kernel clears every capability when
/// root's uids go), then no-new-privileges. Without root (capabilities given to the binary), the
/// capabilities are cleared and no-new-privileges set.</summary>
public static class Privileges
{
    public static bool IsRoot => Libc.geteuid() == 0;

    /// <summary>The account <paramref name="name"/> names, or null for root (kept as it is).</summary>
    public static Account? Resolve(string name)
    {
        if (name == "root" || !IsRoot)
            return null;
        nint entry = Libc.getpwnam(name);
        if (entry == 0)
            throw new UsageException($"--user {Cut(name)}: no such user (name an unprivileged account, or --user root to keep root)");
        uint uid = (uint)Marshal.ReadInt32(entry, 16);
        uint gid = (uint)Marshal.ReadInt32(entry, 20);
        if (uid == 0)
            throw new UsageException($"--user {Cut(name)} has uid 0: that is root under another name; give --user root to keep root");
        return new Account(name, uid, gid);
    }

    /// <summary>Hands <paramref name="path"/> (the log file, the control socket and its directory,
    /// already made) to the account, so that it can still write, reopen or remove them after the
    /// drop. <paramref name="what"/> names it in the error: "the log file".</summary>
    public static void Give(string path, Account account, string what)
    {
        if (Libc.chown(path, account.Uid, account.Gid) != 0)
            throw new PrivilegeException($"cannot hand {what} '{path}' to {account.Name}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>Drops to <paramref name="account"/> (or, when null, keeps the user and drops only
    /// what non-root capabilities there are, unless <paramref name="keepRoot"/>).</summary>
    public static unsafe void Drop(Account? account, bool keepRoot)
    {
        if (keepRoot)
            return;
        if (account is not null)
        {
            for (int capability = 0; capability < 64; capability++)
                Libc.prctl(Libc.PR_CAPBSET_DROP, (nuint)capability, 0, 0, 0); // EINVAL past the kernel's last one
            if (Libc.setgroups(0, null) != 0 || Libc.setresgid(account.Gid, account.Gid, account.Gid) != 0
                || Libc.setresuid(account.Uid, account.Uid, account.Uid) != 0)
                throw new PrivilegeException($"cannot become {account.Name}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        else
        {
            uint* header = stackalloc uint[2] { Libc.LINUX_CAPABILITY_VERSION_3, 0 };
            uint* data = stackalloc uint[6];
            if (Libc.capset(header, data) != 0)
                throw new PrivilegeException($"cannot drop capabilities: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        if (Libc.prctl(Libc.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            throw new PrivilegeException($"cannot set no-new-privileges: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    private static string Cut(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>The tarpit could not give up its privileges: it stops rather than run as root unasked.</summary>
public sealed class PrivilegeException(string message) : Exception(message);
