using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LaBreaSharp.Pcap;

/// <summary>A pcap_t: live, offline or dead; closed with pcap_close.</summary>
internal sealed class PcapHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PcapHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        Interop.Pcap.pcap_close(handle);
        return true;
    }
}

/// <summary>A pcap_dumper_t; closing it flushes and closes the file.</summary>
internal sealed class PcapDumperHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PcapDumperHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        Interop.Pcap.pcap_dump_close(handle);
        return true;
    }
}

/// <summary>A struct bpf_program in native memory that pcap_compile fills; released with
/// pcap_freecode, then the struct itself is freed.</summary>
internal sealed unsafe class BpfProgramHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public BpfProgramHandle() : base(ownsHandle: true)
    {
        var program = (Interop.Pcap.bpf_program*)NativeMemory.AllocZeroed((nuint)sizeof(Interop.Pcap.bpf_program));
        SetHandle((nint)program);
    }

    protected override bool ReleaseHandle()
    {
        Interop.Pcap.pcap_freecode(handle); // harmless on a program pcap_compile never filled (bf_insns is null)
        NativeMemory.Free((void*)handle);
        return true;
    }
}

/// <summary>An eventfd: what another thread writes to wake a loop that polls it; closed with close.</summary>
internal sealed class EventFdHandle : SafeHandleMinusOneIsInvalid
{
    public EventFdHandle() : base(ownsHandle: true) { }

    public EventFdHandle(int fd) : base(ownsHandle: true) => SetHandle(fd);

    public int Descriptor => (int)handle;

    protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
}
