using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LaBreaSharp.Pcap;

/// <summary>Sends frames on a live capture's interface in batches: <see cref="Enqueue"/> copies a
/// frame into a preallocated slot, <see cref="Flush"/> hands all of them to the kernel in one
/// <c>sendmmsg</c> on the capture's own packet socket — the socket <c>pcap_inject</c> would
/// <c>send</c> each of them on, one system call a frame. Frames leave in the order they were
/// queued. A frame the kernel refuses is counted, and the rest still go.</summary>
public sealed unsafe class FrameSender
{
    private readonly LiveCapture _capture;
    private readonly byte[] _bytes;
    private readonly Interop.Libc.iovec[] _vectors;
    private readonly Interop.Libc.mmsghdr[] _messages;

    public FrameSender(LiveCapture capture, int capacity = 64, int slotLength = 2_048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotLength, 64);
        _capture = capture;
        Capacity = capacity;
        SlotLength = slotLength;
        // Pinned once, so the kernel can be given their addresses on every flush.
        _bytes = GC.AllocateArray<byte>(checked(capacity * slotLength), pinned: true);
        _vectors = GC.AllocateArray<Interop.Libc.iovec>(capacity, pinned: true);
        _messages = GC.AllocateArray<Interop.Libc.mmsghdr>(capacity, pinned: true);
        byte* bytes = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bytes));
        var vectors = (Interop.Libc.iovec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_vectors));
        for (int i = 0; i < capacity; i++)
        {
            vectors[i].iov_base = bytes + (long)i * slotLength;
            _messages[i].msg_hdr.msg_iov = vectors + i;
            _messages[i].msg_hdr.msg_iovlen = 1;
        }
    }

    public int Capacity { get; }
    public int SlotLength { get; }
    /// <summary>Frames queued and not yet flushed.</summary>
    public int Count { get; private set; }
    public long Sent { get; private set; }
    public long Failures { get; private set; }
    public long Flushes { get; private set; }
    /// <summary>Why the kernel refused the last frame it refused. Kept as an errno and put into words
    /// only when asked, so a stream of refusals formats nothing.</summary>
    public string? LastFailure => _lastFailureText ?? (_lastErrno != 0 ? Marshal.GetPInvokeErrorMessage(_lastErrno) : null);

    private int _lastErrno;
    private string? _lastFailureText;
    /// <summary>The last flush gave up on a send buffer that stayed full: do not wait for it again
    /// until a send goes through, or a stuck interface would hold every batch up.</summary>
    private bool _bufferStuck;

    private void Refused(int errno)
    {
        _lastErrno = errno;
        _lastFailureText = null;
    }

    private void Refused(string reason)
    {
        _lastErrno = 0;
        _lastFailureText = reason;
    }

    /// <summary>Queues a copy of <paramref name="frame"/>, flushing first when the queue is full. A
    /// frame longer than a slot goes out at once, after the ones queued before it.</summary>
    public void Enqueue(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > SlotLength)
        {
            Flush();
            if (_capture.TryInject(frame))
            {
                Sent++;
            }
            else
            {
                Failures++;
                Refused(_capture.LastError);
            }
            return;
        }
        if (Count == Capacity)
            Flush();
        frame.CopyTo(_bytes.AsSpan(Count * SlotLength));
        _vectors[Count].iov_len = (nuint)frame.Length;
        Count++;
    }

    /// <summary>Sends everything queued: one system call, or more if the kernel takes part of the
    /// batch. It stops at a frame it refuses: that frame is counted and skipped. When the socket's
    /// send buffer is full (the NIC's queue is backed up), the flush waits for room, up to
    /// <see cref="FullBufferWaitMilliseconds"/> in all; what still cannot go is counted as refused,
    /// so that a stuck interface never stalls the capture side.</summary>
    public void Flush()
    {
        if (Count == 0)
            return;
        Flushes++;
        var messages = (Interop.Libc.mmsghdr*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_messages));
        int start = 0;
        int waited = 0;
        while (start < Count)
        {
            int sent = Interop.Libc.sendmmsg(_capture.Descriptor, messages + start, (uint)(Count - start), 0);
            if (sent > 0)
            {
                start += sent;
                Sent += sent;
                _bufferStuck = false;
                continue;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (sent < 0 && errno == Interop.Libc.EINTR)
                continue;
            if (sent < 0 && errno == Interop.Libc.EAGAIN && !_bufferStuck && waited < FullBufferWaitMilliseconds)
            {
                // libpcap's non-blocking mode applies to this descriptor too: wait for room.
                var poll = new Interop.Libc.pollfd { fd = _capture.Descriptor, events = Interop.Libc.POLLOUT };
                Interop.Libc.poll(&poll, 1, FullBufferWaitStepMilliseconds);
                waited += FullBufferWaitStepMilliseconds;
                continue;
            }
            if (sent < 0)
                Refused(errno);
            else
                Refused("the kernel sent nothing");
            if (sent < 0 && errno == Interop.Libc.EAGAIN)
            {
                // Still full after the wait: give up on the rest of this batch.
                _bufferStuck = true;
                Failures += Count - start;
                break;
            }
            Failures++;
            start++;
        }
        Count = 0;
    }

    /// <summary>How long one flush waits, at most, for a full send buffer to drain.</summary>
    public const int FullBufferWaitMilliseconds = 20;
    private const int FullBufferWaitStepMilliseconds = 5;
}
