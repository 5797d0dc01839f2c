using System.Runtime.InteropServices;

namespace LaBreaSharp.Testing;

/// <summary>A network namespace made for one test and deleted when it is disposed (the test's
/// using block, so also when it fails). Names start with "lbs-" and end with a random part, so
/// parallel tests and leftovers from a killed run never collide.</summary>
public sealed partial class NetworkNamespace : IDisposable
{
    private const int CLONE_NEWNET = 0x40000000;

    public NetworkNamespace(string purpose)
    {
        Name = $"lbs-{purpose}-{Guid.NewGuid():N}"[..(5 + purpose.Length + 8)];
        Shell.Ip($"netns add {Name}");
        Shell.Ip($"-n {Name} link set lo up");
        Shell.Run("ip", $"netns exec {Name} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
    }

    public string Name { get; }

    /// <summary>Runs <paramref name="body"/> on a fresh thread that has entered this namespace:
    /// sockets (and so pcap handles) it opens belong here. The namespace of a thread is its own
    /// in Linux, so the rest of the test process is not moved.</summary>
    public T Inside<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw new AggregateException($"inside network namespace {Name}", failure);
        return result;
    }

    private void Enter()
    {
        int fd = open($"/var/run/netns/{Name}", 0);
        if (fd < 0)
            throw new InvalidOperationException($"cannot open /var/run/netns/{Name}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (setns(fd, CLONE_NEWNET) != 0)
                throw new InvalidOperationException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>Runs a command inside the namespace (ip netns exec).</summary>
    public string Exec(string command, string arguments) => Shell.Check("ip", $"netns exec {Name} {command} {arguments}");

    public void Dispose()
    {
        Shell.Run("ip", $"netns del {Name}");
    }

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc.so.6")]
    private static partial int close(int fd);
}
