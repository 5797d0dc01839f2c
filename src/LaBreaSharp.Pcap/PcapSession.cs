using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

/// <summary>What live and offline handles share: reading frames with pcap_next_ex, filters,
/// the link type, and libpcap's error text.</summary>
public abstract unsafe class PcapSession : IDisposable
{
    private protected readonly PcapHandle Handle;
    private readonly long _ticksPerUnit;

    private protected PcapSession(PcapHandle handle, TimestampPrecision precision)
    {
        Handle = handle;
        _ticksPerUnit = precision == TimestampPrecision.Nanoseconds ? 1 : 1000;
    }

    /// <summary>DLT_ value of the link (1 is Ethernet).</summary>
    public int LinkType => Interop.Pcap.pcap_datalink(Handle);

    public bool IsEthernet => LinkType == Interop.Pcap.DLT_EN10MB;

    /// <summary>Compiles a filter in tcpdump's syntax and installs it.</summary>
    public void SetFilter(string expression)
    {
        using var program = new BpfProgramHandle();
        if (Interop.Pcap.pcap_compile(Handle, program, expression, 1, Interop.Pcap.PCAP_NETMASK_UNKNOWN) != 0)
            throw new PcapException($"bad capture filter '{expression}': {LastError}");
        if (Interop.Pcap.pcap_setfilter(Handle, program) != 0)
            throw new PcapException($"cannot install capture filter '{expression}': {LastError}");
    }

    /// <summary>libpcap's message for the last failure on this handle.</summary>
    public string LastError => Interop.Pcap.PtrToString(Interop.Pcap.pcap_geterr(Handle)) ?? "unknown libpcap error";

    /// <summary>One pcap_next_ex call: 1 frame, 0 nothing yet, -2 end of file, -1 error.</summary>
    private protected ReceiveStatus? NextFrame(out CapturedFrame frame)
    {
        Interop.Pcap.pcap_pkthdr* header;
        byte* data;
        int result = Interop.Pcap.pcap_next_ex(Handle, &header, &data);
        switch (result)
        {
            case 1:
                long timestamp = (long)header->tv_sec * 1_000_000_000L + (long)header->tv_usec * _ticksPerUnit;
                frame = new CapturedFrame(timestamp, (int)header->len, new ReadOnlySpan<byte>(data, (int)header->caplen));
                return ReceiveStatus.Frame;
            case 0:
                frame = default;
                return null;
            case -2:
                frame = default;
                return ReceiveStatus.EndOfFile;
            default:
                frame = default;
                throw new PcapException($"reading a frame failed: {LastError}");
        }
    }

    public void Dispose()
    {
        Handle.Dispose();
        ReleaseOthers();
        GC.SuppressFinalize(this);
    }

    /// <summary>What a kind of session holds beside its pcap_t.</summary>
    private protected virtual void ReleaseOthers() { }

    private protected static string ErrorBufferText(byte* errbuf) =>
        Marshal.PtrToStringUTF8((nint)errbuf) is { Length: > 0 } text ? text : "no reason given";
}
