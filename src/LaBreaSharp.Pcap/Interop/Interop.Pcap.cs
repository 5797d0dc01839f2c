using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

internal static partial class Interop
{
    internal static unsafe partial class Pcap
    {
        internal const int PCAP_ERRBUF_SIZE = 256;
        internal const int PCAP_ERROR = -1;
        internal const int PCAP_ERROR_NO_SUCH_DEVICE = -5;
        internal const int PCAP_ERROR_PERM_DENIED = -8;
        internal const int PCAP_ERROR_IFACE_NOT_UP = -9;
        internal const int PCAP_ERROR_PROMISC_PERM_DENIED = -11;
        internal const uint PCAP_TSTAMP_PRECISION_MICRO = 0;
        internal const uint PCAP_TSTAMP_PRECISION_NANO = 1;
        internal const int PCAP_D_IN = 1;
        internal const uint PCAP_NETMASK_UNKNOWN = 0xFFFF_FFFF;
        internal const int DLT_EN10MB = 1;

        // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; };  (LP64: 24 bytes)
        [StructLayout(LayoutKind.Sequential)]
        internal struct pcap_pkthdr
        {
            public nint tv_sec;
            public nint tv_usec; // nanoseconds when the handle was opened with nanosecond precision
            public uint caplen;
            public uint len;
        }

        // struct pcap_stat { u_int ps_recv; u_int ps_drop; u_int ps_ifdrop; };
        [StructLayout(LayoutKind.Sequential)]
        internal struct pcap_stat
        {
            public uint ps_recv;
            public uint ps_drop;
            public uint ps_ifdrop;
        }

        // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; };  (LP64: 16 bytes)
        [StructLayout(LayoutKind.Sequential)]
        internal struct bpf_program
        {
            public uint bf_len;
            public void* bf_insns;
        }

        // const char *pcap_lib_version(void);
        [LibraryImport(Libraries.Pcap)]
        internal static partial byte* pcap_lib_version();

        // pcap_t *pcap_create(const char *source, char *errbuf);
        [LibraryImport(Libraries.Pcap, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial PcapHandle pcap_create(string source, byte* errbuf);

        // int pcap_set_snaplen(pcap_t *p, int snaplen);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_set_snaplen(PcapHandle p, int snaplen);

        // int pcap_set_promisc(pcap_t *p, int promisc);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_set_promisc(PcapHandle p, int promisc);

        // int pcap_set_immediate_mode(pcap_t *p, int immediate_mode);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_set_immediate_mode(PcapHandle p, int immediate);

        // int pcap_set_buffer_size(pcap_t *p, int buffer_size);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_set_buffer_size(PcapHandle p, int bufferSize);

        // int pcap_set_timeout(pcap_t *p, int to_ms);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_set_timeout(PcapHandle p, int timeoutMs);

        // int pcap_set_tstamp_precision(pcap_t *p, int tstamp_precision);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_set_tstamp_precision(PcapHandle p, int precision);

        // int pcap_activate(pcap_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_activate(PcapHandle p);

        // const char *pcap_statustostr(int error);
        [LibraryImport(Libraries.Pcap)]
        internal static partial byte* pcap_statustostr(int error);

        // char *pcap_geterr(pcap_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial byte* pcap_geterr(PcapHandle p);

        // int pcap_datalink(pcap_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_datalink(PcapHandle p);

        // int pcap_setdirection(pcap_t *p, pcap_direction_t d);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_setdirection(PcapHandle p, int direction);

        // int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_setnonblock(PcapHandle p, int nonblock, byte* errbuf);

        // int pcap_get_selectable_fd(pcap_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_get_selectable_fd(PcapHandle p);

        // int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str, int optimize, bpf_u_int32 netmask);
        [LibraryImport(Libraries.Pcap, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int pcap_compile(PcapHandle p, BpfProgramHandle fp, string filter, int optimize, uint netmask);

        // int pcap_setfilter(pcap_t *p, struct bpf_program *fp);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_setfilter(PcapHandle p, BpfProgramHandle fp);

        // void pcap_freecode(struct bpf_program *fp);
        [LibraryImport(Libraries.Pcap)]
        internal static partial void pcap_freecode(nint fp);

        // int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_next_ex(PcapHandle p, pcap_pkthdr** header, byte** data);

        // int pcap_inject(pcap_t *p, const void *buf, size_t size);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_inject(PcapHandle p, byte* buffer, nuint size);

        // int pcap_snapshot(pcap_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_snapshot(PcapHandle p);

        // int pcap_stats(pcap_t *p, struct pcap_stat *ps);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_stats(PcapHandle p, pcap_stat* stats);

        // pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision, char *errbuf);
        [LibraryImport(Libraries.Pcap, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial PcapHandle pcap_open_offline_with_tstamp_precision(string fname, uint precision, byte* errbuf);

        // pcap_t *pcap_open_dead_with_tstamp_precision(int linktype, int snaplen, u_int precision);
        [LibraryImport(Libraries.Pcap)]
        internal static partial PcapHandle pcap_open_dead_with_tstamp_precision(int linktype, int snaplen, uint precision);

        // pcap_dumper_t *pcap_dump_open(pcap_t *p, const char *fname);
        [LibraryImport(Libraries.Pcap, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial PcapDumperHandle pcap_dump_open(PcapHandle p, string fname);

        // void pcap_dump(u_char *user, const struct pcap_pkthdr *h, const u_char *sp);
        [LibraryImport(Libraries.Pcap)]
        internal static partial void pcap_dump(PcapDumperHandle user, pcap_pkthdr* header, byte* data);

        // int pcap_dump_flush(pcap_dumper_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial int pcap_dump_flush(PcapDumperHandle p);

        // void pcap_dump_close(pcap_dumper_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial void pcap_dump_close(nint p);

        // void pcap_close(pcap_t *p);
        [LibraryImport(Libraries.Pcap)]
        internal static partial void pcap_close(nint p);

        internal static string? PtrToString(byte* text) => text == null ? null : Marshal.PtrToStringUTF8((nint)text);
    }
}
