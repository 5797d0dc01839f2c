namespace LaBreaSharp.Pcap.Tests;

/// <summary>Live capture and injection on a veth pair inside a namespace the test makes and removes.</summary>
public class LiveCaptureTests
{
    /// <summary>IEEE 802 "local experimental" EtherType: nothing else on the link uses it.</summary>
    private const string TestFilter = "ether proto 0x88b5";

    private static byte[] TestFrame(byte marker)
    {
        var frame = new byte[60];
        byte[] header = [0x02, 0, 0, 0, 0, 0xbb, 0x02, 0, 0, 0, 0, 0xaa, 0x88, 0xb5];
        header.CopyTo(frame, 0);
        frame.AsSpan(14).Fill(marker);
        return frame;
    }

    /// <summary>A copy of the first frame <paramref name="listener"/> receives within five seconds; empty if none came.</summary>
    private static byte[] FirstFrame(LiveCapture listener)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (listener.Receive(200, out var frame) == ReceiveStatus.Frame)
                return frame.Data.ToArray();
        }
        return [];
    }

    private static NetworkNamespace WithVethPair()
    {
        var ns = new NetworkNamespace("pcap");
        try
        {
            Shell.Ip($"-n {ns.Name} link add va type veth peer name vb");
            Shell.Ip($"-n {ns.Name} link set va up");
            Shell.Ip($"-n {ns.Name} link set vb up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    [RootFact]
    public void An_injected_frame_arrives_on_the_other_end_of_a_veth()
    {
        using var ns = WithVethPair();
        var (received, statistics) = ns.Inside(() =>
        {
            using var listener = LiveCapture.Open("vb");
            listener.SetFilter(TestFilter);
            using var sender = LiveCapture.Open("va");
            var sent = TestFrame(0x5a);
            Assert.True(sender.TryInject(sent), sender.LastError);

            return (FirstFrame(listener), listener.GetStatistics());
        });
        Assert.Equal(TestFrame(0x5a), received);
        Assert.True(statistics.Received >= 1);
        Assert.Equal(0u, statistics.DroppedByKernel);
    }

    [RootFact]
    public void Receive_times_out_when_nothing_comes()
    {
        using var ns = WithVethPair();
        var (status, elapsed) = ns.Inside(() =>
        {
            using var listener = LiveCapture.Open("vb");
            listener.SetFilter(TestFilter);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = listener.Receive(300, out _);
            return (result, started.ElapsedMilliseconds);
        });
        Assert.Equal(ReceiveStatus.Timeout, status);
        Assert.InRange(elapsed, 250, 5_000);
    }

    [RootFact]
    public void Wake_from_another_thread_ends_a_long_wait_once()
    {
        using var ns = WithVethPair();
        var (woken, wokenAfter, secondWait, frameAfter) = ns.Inside(() =>
        {
            using var listener = LiveCapture.Open("vb");
            listener.SetFilter(TestFilter);
            using var sender = LiveCapture.Open("va");
            var batch = new FrameBatch(4, listener.SnapLength);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var timer = new Timer(_ => listener.Wake(), null, 200, Timeout.Infinite);
            int count = listener.ReceiveBatch(batch, 30_000);
            long first = clock.ElapsedMilliseconds;
            // The wake was used up: the next wait lasts its full time.
            clock.Restart();
            listener.ReceiveBatch(batch, 300);
            long second = clock.ElapsedMilliseconds;
            sender.TryInject(TestFrame(0x11));
            return (count == 0, first, second, listener.ReceiveBatch(batch, 5_000));
        });
        Assert.True(woken, "the wake ended the wait with no frame");
        Assert.InRange(wokenAfter, 150, 10_000);
        Assert.InRange(secondWait, 250, 5_000);
        Assert.Equal(1, frameAfter);
    }

    [RootFact]
    public void Inbound_only_does_not_see_its_own_injected_frames()
    {
        using var ns = WithVethPair();
        var status = ns.Inside(() =>
        {
            using var capture = LiveCapture.Open("va");
            capture.SetFilter(TestFilter);
            Assert.True(capture.TryInject(TestFrame(1)), capture.LastError);
            return capture.Receive(300, out _);
        });
        Assert.Equal(ReceiveStatus.Timeout, status);
    }

    [RootFact]
    public void Frames_another_socket_sends_out_of_the_interface_never_reach_the_ring()
    {
        // On a gateway most frames leaving the watched interface are the host's (forwarded traffic),
        // sent by sockets other than the capture's: the kernel must not copy them into its ring.
        using var ns = WithVethPair();
        var (ignores, statistics, received) = ns.Inside(() =>
        {
            using var listener = LiveCapture.Open("va");
            listener.SetFilter(TestFilter);
            using var host = LiveCapture.Open("va");
            for (int i = 0; i < 200; i++)
                Assert.True(host.TryInject(TestFrame(2)), host.LastError);
            using var peer = LiveCapture.Open("vb");
            Assert.True(peer.TryInject(TestFrame(3)), peer.LastError);
            return (listener.IgnoresOutgoingInKernel, listener.GetStatistics(), FirstFrame(listener));
        });
        Assert.Equal(TestFrame(3), received);
        // The kernel's count is of frames it put into the ring: the 200 outgoing ones are not among them.
        Assert.InRange(statistics.Received, 1u, 10u);
        Assert.True(ignores, "this kernel (4.20 or later) takes PACKET_IGNORE_OUTGOING");
    }

    [RootFact]
    public void A_missing_interface_is_named_in_the_error()
    {
        using var ns = new NetworkNamespace("pcap");
        var e = Assert.Throws<AggregateException>(() => ns.Inside(() => LiveCapture.Open("lbs-nonexistent0")));
        var inner = Assert.IsType<PcapException>(e.InnerException);
        Assert.Contains("'lbs-nonexistent0' does not exist", inner.Message);
    }

    [RootFact]
    public void A_bad_filter_carries_libpcaps_message()
    {
        using var ns = WithVethPair();
        var e = Assert.Throws<AggregateException>(() => ns.Inside(() =>
        {
            using var capture = LiveCapture.Open("va");
            capture.SetFilter("tcp port eighty");
            return 0;
        }));
        var inner = Assert.IsType<PcapException>(e.InnerException);
        Assert.Contains("bad capture filter 'tcp port eighty'", inner.Message);
    }

    /// <summary>Collects frames with <see cref="LiveCapture.ReceiveBatch"/> until <paramref name="expected"/>
    /// have come or five seconds pass; also returns the largest batch seen.</summary>
    private static (List<byte[]> Frames, int LargestBatch) ReceiveAll(LiveCapture listener, FrameBatch batch, int expected)
    {
        var frames = new List<byte[]>();
        int largest = 0;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (frames.Count < expected && DateTime.UtcNow < deadline)
        {
            int count = listener.ReceiveBatch(batch, 200);
            largest = Math.Max(largest, count);
            for (int i = 0; i < count; i++)
            {
                frames.Add(batch[i].ToArray());
                Assert.Equal(batch[i].Length, batch.OriginalLength(i));
                Assert.True(batch.Timestamp(i) > 0);
            }
        }
        return (frames, largest);
    }

    [RootFact]
    public void Queued_frames_leave_in_order_in_few_system_calls_and_arrive_in_batches()
    {
        using var ns = WithVethPair();
        var (received, largest, sender) = ns.Inside(() =>
        {
            using var listener = LiveCapture.Open("vb");
            listener.SetFilter(TestFilter);
            using var capture = LiveCapture.Open("va");
            var queue = new FrameSender(capture, capacity: 8);
            for (int i = 0; i < 20; i++)
                queue.Enqueue(TestFrame((byte)i)); // the 9th and 17th find the queue full and flush it
            Assert.Equal(4, queue.Count);
            queue.Flush();
            var (frames, biggest) = ReceiveAll(listener, new FrameBatch(8, listener.SnapLength), 20);
            return (frames, biggest, (queue.Sent, queue.Failures, queue.Flushes, queue.Count));
        });
        Assert.Equal(Enumerable.Range(0, 20).Select(i => TestFrame((byte)i)), received);
        Assert.Equal((20L, 0L, 3L, 0), sender);
        Assert.InRange(largest, 2, 8); // several frames per wake-up, never more than the batch holds
    }

    [RootFact]
    public void A_frame_the_kernel_refuses_is_counted_and_the_others_still_go()
    {
        using var ns = WithVethPair();
        var (received, failures, sent, reason) = ns.Inside(() =>
        {
            using var listener = LiveCapture.Open("vb");
            listener.SetFilter(TestFilter);
            using var capture = LiveCapture.Open("va");
            var queue = new FrameSender(capture, capacity: 16);
            var tooLong = new byte[1_600]; // above the veth's 1,500-byte MTU: the kernel says EMSGSIZE
            TestFrame(0x77).CopyTo(tooLong, 0);
            for (int i = 0; i < 3; i++)
                queue.Enqueue(TestFrame((byte)i));
            queue.Enqueue(tooLong);
            for (int i = 3; i < 6; i++)
                queue.Enqueue(TestFrame((byte)i));
            queue.Flush();
            var (frames, _) = ReceiveAll(listener, new FrameBatch(32, listener.SnapLength), 6);
            return (frames, queue.Failures, queue.Sent, queue.LastFailure);
        });
        Assert.Equal(Enumerable.Range(0, 6).Select(i => TestFrame((byte)i)), received);
        Assert.Equal(1, failures);
        Assert.Equal(6, sent);
        Assert.Contains("too long", reason, StringComparison.OrdinalIgnoreCase);
    }

    [RootFact]
    public void Frames_for_an_interface_that_went_down_are_each_counted_and_the_flush_returns()
    {
        using var ns = WithVethPair();
        var (sent, failures, reason) = ns.Inside(() =>
        {
            using var capture = LiveCapture.Open("va");
            var queue = new FrameSender(capture, capacity: 8);
            Shell.Ip($"-n {ns.Name} link set va down");
            for (int i = 0; i < 5; i++)
                queue.Enqueue(TestFrame((byte)i));
            queue.Flush();
            return (queue.Sent, queue.Failures, queue.LastFailure);
        });
        Assert.Equal(0, sent);
        Assert.Equal(5, failures);
        Assert.Contains("down", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_batch_holds_copies_with_their_times_and_refuses_what_does_not_fit()
    {
        var batch = new FrameBatch(capacity: 2, slotLength: 64);
        var first = TestFrame(1);
        batch.Add(new CapturedFrame(1_000, 70, first));
        first[20] = 0xEE; // the batch kept a copy
        batch.Add(new CapturedFrame(2_000, 60, TestFrame(2)));
        Assert.True(batch.IsFull);
        Assert.Equal(TestFrame(1), batch[0].ToArray());
        Assert.Equal(TestFrame(2), batch[1].ToArray());
        Assert.Equal((1_000L, 70), (batch.Timestamp(0), batch.OriginalLength(0)));
        Assert.Equal((2_000L, 60), (batch.Timestamp(1), batch.OriginalLength(1)));
        Assert.Throws<InvalidOperationException>(() => batch.Add(new CapturedFrame(3_000, 60, TestFrame(3))));

        batch.Clear();
        Assert.Equal(0, batch.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Timestamp(0));
        Assert.Throws<ArgumentException>(() => batch.Add(new CapturedFrame(4_000, 65, new byte[65])));
    }
}
