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

            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (DateTime.UtcNow < deadline)
            {
                if (listener.Receive(200, out var frame) == ReceiveStatus.Frame)
                    return (frame.Data.ToArray(), listener.GetStatistics());
            }
            return (Array.Empty<byte>(), listener.GetStatistics());
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
}
