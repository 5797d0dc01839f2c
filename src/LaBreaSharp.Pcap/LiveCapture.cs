namespace LaBreaSharp.Pcap;

/// <summary>How to open an interface. The defaults suit a tarpit: promiscuous (claimed addresses
/// arrive with a MAC that is not the interface's), immediate delivery (a SYN-ACK waits for no
/// buffer to fill) and a ring that rides out bursts. In immediate mode libpcap uses a TPACKET_V2
/// ring of fixed slots, each as large as the snap length: 2,048 bytes holds a full 1,500-byte
/// frame with two VLAN tags, and 64 MiB of them is about 30,000 frames; with a 65,535-byte snap
/// length the same ring would hold 500, and a SYN flood would overflow it.</summary>
public sealed record LiveCaptureOptions
{
    public int SnapLength { get; init; } = 2_048;
    public bool Promiscuous { get; init; } = true;
    public bool ImmediateMode { get; init; } = true;
    public int BufferSizeBytes { get; init; } = 64 * 1024 * 1024;
    /// <summary>libpcap's packet buffer timeout: with a TPACKET_V3 ring, frames can sit this long in a block.</summary>
    public int BlockTimeoutMilliseconds { get; init; } = 1;
    /// <summary>Only frames arriving at the interface, not the ones this host (or we) send. Where
    /// the kernel can (Linux 4.20 and later), it leaves outgoing frames out of the ring altogether;
    /// libpcap's own filter would copy each into the ring and skip it there, so that on a gateway
    /// every frame forwarded out of the interface cost the capture a copy and ring space.</summary>
    public bool InboundOnly { get; init; } = true;
}

/// <summary>A live interface: receive with a timeout, inject frames, read drop statistics.</summary>
public sealed unsafe class LiveCapture : PcapSession
{
    private readonly int _fd;
    /// <summary>Written by <see cref="Wake"/>, polled beside the capture: a signal handler on another
    /// thread can end a wait that would otherwise last until the next frame or deadline.</summary>
    private readonly EventFdHandle _wake;

    /// <summary>The capture socket's descriptor; also where <see cref="FrameSender"/> sends.</summary>
    internal int Descriptor => _fd;

    private LiveCapture(PcapHandle handle, TimestampPrecision precision, int fd, EventFdHandle wake, string interfaceName)
        : base(handle, precision)
    {
        _fd = fd;
        _wake = wake;
        InterfaceName = interfaceName;
        SnapLength = Interop.Pcap.pcap_snapshot(handle);
    }

    public string InterfaceName { get; }

    /// <summary>Warnings libpcap gave while activating (e.g. promiscuous mode not supported).</summary>
    public string? ActivationWarning { get; private init; }

    /// <summary>True when the kernel keeps the frames this host sends out of the ring
    /// (<c>PACKET_IGNORE_OUTGOING</c>); false when it cannot, and libpcap skips them after the copy.</summary>
    public bool IgnoresOutgoingInKernel { get; private init; }

    /// <summary>Opens and activates <paramref name="interfaceName"/>. Throws <see cref="PcapException"/>
    /// with libpcap's reason and, for the usual causes, what to do about it.</summary>
    public static LiveCapture Open(string interfaceName, LiveCaptureOptions? options = null)
    {
        options ??= new LiveCaptureOptions();
        PcapLibrary.EnsureLoaded();
        byte* errbuf = stackalloc byte[Interop.Pcap.PCAP_ERRBUF_SIZE];
        errbuf[0] = 0;
        var handle = Interop.Pcap.pcap_create(interfaceName, errbuf);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new PcapException($"cannot open interface '{interfaceName}': {ErrorBufferText(errbuf)}");
        }
        try
        {
            Interop.Pcap.pcap_set_snaplen(handle, options.SnapLength);
            Interop.Pcap.pcap_set_promisc(handle, options.Promiscuous ? 1 : 0);
            Interop.Pcap.pcap_set_immediate_mode(handle, options.ImmediateMode ? 1 : 0);
            Interop.Pcap.pcap_set_buffer_size(handle, options.BufferSizeBytes);
            // The timeout is how long a TPACKET_V3 block may wait before it is handed over, and so
            // the worst added latency; the loop's own wait is the poll timeout in Receive.
            Interop.Pcap.pcap_set_timeout(handle, options.BlockTimeoutMilliseconds);
            var precision = Interop.Pcap.pcap_set_tstamp_precision(handle, (int)Interop.Pcap.PCAP_TSTAMP_PRECISION_NANO) == 0
                ? TimestampPrecision.Nanoseconds
                : TimestampPrecision.Microseconds;

            int status = Interop.Pcap.pcap_activate(handle);
            string? warning = null;
            if (status < 0)
                throw new PcapException(DescribeActivationFailure(handle, interfaceName, status));
            if (status > 0)
                warning = $"{Interop.Pcap.PtrToString(Interop.Pcap.pcap_statustostr(status))}: {Interop.Pcap.PtrToString(Interop.Pcap.pcap_geterr(handle))}";

            if (options.InboundOnly && Interop.Pcap.pcap_setdirection(handle, Interop.Pcap.PCAP_D_IN) != 0)
                throw new PcapException($"cannot limit capture to inbound frames on '{interfaceName}': {Interop.Pcap.PtrToString(Interop.Pcap.pcap_geterr(handle))}");
            if (Interop.Pcap.pcap_setnonblock(handle, 1, errbuf) != 0)
                throw new PcapException($"cannot make '{interfaceName}' non-blocking: {ErrorBufferText(errbuf)}");
            int fd = Interop.Pcap.pcap_get_selectable_fd(handle);
            if (fd < 0)
                throw new PcapException($"'{interfaceName}' has no selectable descriptor");
            // libpcap's PCAP_D_IN stays on: it is what holds on a kernel older than 4.20.
            bool ignoresOutgoing = options.InboundOnly && IgnoreOutgoing(fd);
            var wake = new EventFdHandle(Interop.Libc.eventfd(0, Interop.Libc.EFD_CLOEXEC | Interop.Libc.EFD_NONBLOCK));
            if (wake.IsInvalid)
                throw new PcapException($"cannot make a wake-up descriptor: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            return new LiveCapture(handle, precision, fd, wake, interfaceName)
            {
                ActivationWarning = warning,
                IgnoresOutgoingInKernel = ignoresOutgoing,
            };
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Asks the kernel not to copy outgoing frames into the ring: false (and nothing changed)
    /// on a kernel that does not know the option.</summary>
    private static bool IgnoreOutgoing(int fd)
    {
        int one = 1;
        return Interop.Libc.setsockopt(fd, Interop.Libc.SOL_PACKET, Interop.Libc.PACKET_IGNORE_OUTGOING, &one, sizeof(int)) == 0;
    }

    private static string DescribeActivationFailure(PcapHandle handle, string interfaceName, int status)
    {
        string detail = Interop.Pcap.PtrToString(Interop.Pcap.pcap_geterr(handle)) is { Length: > 0 } text
            ? text
            : Interop.Pcap.PtrToString(Interop.Pcap.pcap_statustostr(status)) ?? $"error {status}";
        return status switch
        {
            Interop.Pcap.PCAP_ERROR_NO_SUCH_DEVICE => $"interface '{interfaceName}' does not exist ({detail}); 'ip link' lists the interfaces",
            Interop.Pcap.PCAP_ERROR_PERM_DENIED or Interop.Pcap.PCAP_ERROR_PROMISC_PERM_DENIED =>
                $"no permission to capture on '{interfaceName}' ({detail}); run as root, or grant CAP_NET_RAW and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin+ep on the binary)",
            Interop.Pcap.PCAP_ERROR_IFACE_NOT_UP => $"interface '{interfaceName}' is down ({detail}); bring it up with 'ip link set {interfaceName} up'",
            _ => $"cannot activate capture on '{interfaceName}': {detail}",
        };
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (0: do not wait, -1: forever) for a
    /// frame. Returns <see cref="ReceiveStatus.Timeout"/> when none came, including when a signal
    /// or <see cref="Wake"/> interrupted the wait, so the caller's loop can look at its flags.</summary>
    public ReceiveStatus Receive(int timeoutMilliseconds, out CapturedFrame frame)
    {
        var status = NextFrame(out frame);
        if (status is not null)
            return status.Value;
        if (!WaitForFrames(timeoutMilliseconds))
            return ReceiveStatus.Timeout;
        return NextFrame(out frame) ?? ReceiveStatus.Timeout;
    }

    /// <summary>Fills <paramref name="batch"/> with the frames waiting in the ring, up to its
    /// capacity, waiting up to <paramref name="timeoutMilliseconds"/> (as <see cref="Receive"/>) only
    /// when none is waiting. Returns how many it holds: 0 when the wait ran out or a signal came.</summary>
    public int ReceiveBatch(FrameBatch batch, int timeoutMilliseconds)
    {
        if (batch.SlotLength < SnapLength)
            throw new ArgumentException($"the batch's {batch.SlotLength}-byte slots are shorter than the snap length, {SnapLength}", nameof(batch));
        batch.Clear();
        Fill(batch);
        if (batch.Count == 0 && WaitForFrames(timeoutMilliseconds))
            Fill(batch);
        return batch.Count;
    }

    /// <summary>The most bytes of a frame libpcap hands over.</summary>
    public int SnapLength { get; }

    private void Fill(FrameBatch batch)
    {
        while (!batch.IsFull && NextFrame(out var frame) is ReceiveStatus.Frame)
            batch.Add(frame);
    }

    private protected override void ReleaseOthers() => _wake.Dispose();

    /// <summary>Ends the current or next wait in <see cref="Receive"/> or <see cref="ReceiveBatch"/> at
    /// once. Safe from any thread (a signal handler's): one write to an eventfd.</summary>
    public void Wake()
    {
        ulong one = 1;
        bool added = false;
        _wake.DangerousAddRef(ref added);
        try
        {
            Interop.Libc.write(_wake.Descriptor, &one, sizeof(ulong)); // EAGAIN only if 2^64-2 wakes are pending
        }
        finally
        {
            if (added)
                _wake.DangerousRelease();
        }
    }

    /// <summary>Polls the capture descriptor and the wake-up one: true when frames may be waiting;
    /// false when <paramref name="timeoutMilliseconds"/> is 0, the wait ran out, a signal interrupted
    /// it, or <see cref="Wake"/> was called.</summary>
    private bool WaitForFrames(int timeoutMilliseconds)
    {
        if (timeoutMilliseconds == 0)
            return false;
        var polls = stackalloc Interop.Libc.pollfd[2];
        polls[0] = new Interop.Libc.pollfd { fd = _fd, events = Interop.Libc.POLLIN };
        polls[1] = new Interop.Libc.pollfd { fd = _wake.Descriptor, events = Interop.Libc.POLLIN };
        int ready = Interop.Libc.poll(polls, 2, timeoutMilliseconds);
        if (ready > 0 && (polls[1].revents & Interop.Libc.POLLIN) != 0)
        {
            ulong count;
            Interop.Libc.read(_wake.Descriptor, &count, sizeof(ulong)); // drain: one read takes every pending wake
        }
        if (ready > 0)
            return (polls[0].revents & Interop.Libc.POLLIN) != 0;
        // 0: timed out; -1 with EINTR: a signal, which the loop handles; anything else is a real error.
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (ready < 0 && errno != Interop.Libc.EINTR)
            throw new PcapException($"waiting on '{InterfaceName}' failed: errno {errno}");
        return false;
    }

    /// <summary>Sends one whole frame. False (and <see cref="PcapSession.LastError"/>) when the
    /// kernel refused it, e.g. a full queue: the caller counts the loss and goes on.</summary>
    public bool TryInject(ReadOnlySpan<byte> frame)
    {
        fixed (byte* data = frame)
            return Interop.Pcap.pcap_inject(Handle, data, (nuint)frame.Length) == frame.Length;
    }

    public CaptureStatistics GetStatistics()
    {
        Interop.Pcap.pcap_stat stats;
        if (Interop.Pcap.pcap_stats(Handle, &stats) != 0)
            throw new PcapException($"cannot read capture statistics: {LastError}");
        return new CaptureStatistics(stats.ps_recv, stats.ps_drop, stats.ps_ifdrop);
    }
}
