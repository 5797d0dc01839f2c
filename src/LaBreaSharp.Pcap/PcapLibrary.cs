using System.Reflection;
using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

/// <summary>Finds and loads libpcap once per process. Every public entry point of this assembly
/// calls <see cref="EnsureLoaded"/> first, so a missing library is reported as such, with the
/// package to install, rather than as a bare DllNotFoundException from somewhere inside.</summary>
public static class PcapLibrary
{
    /// <summary>Tried in order: Debian's runtime soname, the upstream soname, the -dev symlink.
    /// The environment variable LABREASHARP_LIBPCAP, if set, is tried first (a path or a name).</summary>
    public static readonly IReadOnlyList<string> Candidates = ["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"];

    public const string InstallHint = "install Debian's package libpcap0.8 (apt-get install -y libpcap0.8, or run scripts/setup.sh)";

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static string? _error;
    private static bool _resolverSet;

    /// <summary>Loads libpcap or throws <see cref="PcapLibraryMissingException"/>.</summary>
    public static void EnsureLoaded()
    {
        if (_handle != 0)
            return;
        lock (Gate)
        {
            if (_handle != 0)
                return;
            if (_error is null)
            {
                if (TryLoad(CandidatesFromEnvironment(), out var handle, out var error))
                {
                    _handle = handle;
                    if (!_resolverSet)
                    {
                        NativeLibrary.SetDllImportResolver(typeof(PcapLibrary).Assembly, Resolve);
                        _resolverSet = true;
                    }
                    return;
                }
                _error = error;
            }
            throw new PcapLibraryMissingException(_error!);
        }
    }

    /// <summary>The first candidate that loads; otherwise a sentence naming what was tried and what to install.</summary>
    public static bool TryLoad(IEnumerable<string> candidates, out nint handle, out string error)
    {
        var tried = new List<string>();
        foreach (var name in candidates)
        {
            tried.Add(name);
            if (NativeLibrary.TryLoad(name, out handle))
            {
                error = "";
                return true;
            }
        }
        handle = 0;
        error = $"libpcap could not be loaded (tried {string.Join(", ", tried)}): {InstallHint}";
        return false;
    }

    /// <summary>libpcap's own version string, e.g. "libpcap version 1.10.3 (with TPACKET_V3)".</summary>
    public static unsafe string Version
    {
        get
        {
            EnsureLoaded();
            return Interop.Pcap.PtrToString(Interop.Pcap.pcap_lib_version()) ?? "libpcap (unknown version)";
        }
    }

    private static IEnumerable<string> CandidatesFromEnvironment()
    {
        var overridePath = Environment.GetEnvironmentVariable("LABREASHARP_LIBPCAP");
        if (!string.IsNullOrEmpty(overridePath))
            return [overridePath];
        return Candidates;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Interop.Libraries.Pcap ? _handle : 0;
}
