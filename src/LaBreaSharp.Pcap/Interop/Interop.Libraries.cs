namespace LaBreaSharp.Pcap;

internal static partial class Interop
{
    internal static class Libraries
    {
        /// <summary>Debian's runtime package libpcap0.8 ships only this soname; the unversioned
        /// libpcap.so comes with the -dev package. <see cref="PcapLibrary"/> maps this name to a
        /// list of candidates.</summary>
        internal const string Pcap = "libpcap.so.0.8";

        /// <summary>glibc's versioned soname; plain "libc.so" is a linker script, not a library.</summary>
        internal const string Libc = "libc.so.6";
    }
}
