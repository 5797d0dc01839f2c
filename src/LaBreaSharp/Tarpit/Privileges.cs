namespace LaBreaSharp.Tarpit;

/// <summary>Whether this process may capture and inject: root, or the two capabilities libpcap
/// needs (CAP_NET_RAW for the packet socket, CAP_NET_ADMIN for promiscuous mode).</summary>
public static class Privileges
{
    private const int CapNetAdmin = 12;
    private const int CapNetRaw = 13;

    public static bool CanCapture()
    {
        if (Environment.IsPrivilegedProcess) // effective uid 0
            return true;
        ulong effective = EffectiveCapabilities();
        return (effective & (1UL << CapNetRaw)) != 0 && (effective & (1UL << CapNetAdmin)) != 0;
    }

    private static ulong EffectiveCapabilities()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is null ? 0 : Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
