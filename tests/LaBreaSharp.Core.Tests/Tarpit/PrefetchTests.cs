using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Packets;
using LaBreaSharp.Core.Tarpit;
using static LaBreaSharp.Core.Tests.Tarpit.EngineHarness;

namespace LaBreaSharp.Core.Tests.Tarpit;

/// <summary>The live loop prefetches a batch of frames before processing them: the hint must take
/// any bytes at all; and the flow entries it leads to must hold what the probe path relies on.</summary>
public class PrefetchTests
{
    /// <summary>A morning's traffic: ARP (claims, a live host), handshakes, first data, window probes,
    /// resets and FINs, VLAN-tagged SYNs, pings, closed ports, truncated and garbage frames.</summary>
    private static List<byte[]> Traffic(EngineHarness h, int seed)
    {
        var random = new Random(seed);
        var frames = new List<byte[]>();
        for (int i = 0; i < 3_000; i++)
        {
            var source = new Ipv4Address(Ipv4Address.Parse("198.51.100.0").Value + (uint)random.Next(2, 60));
            var target = new Ipv4Address(Ipv4Address.Parse("192.0.2.0").Value + (uint)random.Next(60, 120));
            ushort sourcePort = (ushort)random.Next(40000, 40040);
            ushort port = random.Next(4) == 0 ? (ushort)22 : (ushort)80;
            uint cookie = h.Engine.Cookie.For(new FlowKey(source, target, sourcePort, port));
            byte[] frame = random.Next(14) switch
            {
                0 or 1 => Frames.ArpRequest(AttackerMac, source, target),
                2 when random.Next(10) == 0 => Frames.ArpReply(MacAddress.Parse("02:00:00:00:00:33"), target, AttackerMac, source),
                3 or 4 => Frames.Tcp(source, sourcePort, target, port, TcpFlags.Syn, 1000),
                5 => Frames.Tcp(source, sourcePort, target, port, TcpFlags.Ack, 1001, cookie + 1),
                6 => Frames.Tcp(source, sourcePort, target, port, TcpFlags.Ack | TcpFlags.Psh, 1001, cookie + 1, random.Next(1, 20)),
                7 => Frames.Tcp(source, sourcePort, target, port, TcpFlags.Ack, 1010, cookie + 1),
                8 => Frames.Tcp(source, sourcePort, target, port, random.Next(2) == 0 ? TcpFlags.Rst : TcpFlags.Fin | TcpFlags.Ack, 1011, cookie + 1),
                9 => Frames.Tcp(source, sourcePort, target, port, TcpFlags.Syn, 7, tags: new VlanTags(1, 0x8100, 42, 0, 0)),
                10 => Frames.Echo(source, target, 7, (ushort)i, [1, 2, 3]),
                2 or 11 => Frames.Tcp(source, sourcePort, target, port, TcpFlags.Syn, 1000)[..random.Next(0, 54)],
                12 => Frames.Tcp(source, sourcePort, target, port, TcpFlags.Syn, 1000, to: HostMac),
                _ => Garbage(random),
            };
            frames.Add(frame);
        }
        return frames;
    }

    private static byte[] Garbage(Random random)
    {
        var frame = new byte[random.Next(0, 80)];
        random.NextBytes(frame);
        if (frame.Length > 14 && random.Next(2) == 0)
        {
            frame[12] = 0x08; // claims to be IPv4, with whatever follows
            frame[13] = 0x00;
            frame[14 + 9 < frame.Length ? 14 + 9 : 14] = Ipv4Packet.ProtocolTcp;
        }
        return frame;
    }

    [Fact]
    public void Prefetch_takes_any_bytes_without_throwing()
    {
        var h = new EngineHarness();
        var random = new Random(17);
        for (int i = 0; i < 50_000; i++)
            h.Engine.Prefetch(Garbage(random));
        var syn = Frames.Tcp(Attacker, 40000, Unused, 80, TcpFlags.Syn, 1);
        for (int cut = 0; cut <= syn.Length; cut++)
            h.Engine.Prefetch(syn[..cut]);
        Assert.Equal(0, h.Engine.Counters.FramesRead); // a hint, not a frame
    }

    [Fact]
    public void Every_flow_in_the_table_carries_its_own_cookie()
    {
        // Probes of known flows are checked against the stored cookie instead of a fresh SipHash:
        // that is only sound if every path that creates or replaces an entry stores the right one.
        // A table of 64 under this traffic evicts, re-adds after eviction and replaces on new ISNs.
        var configuration = DefaultConfiguration with { HardCapture = [Cidr.Parse("192.0.2.64/26")], TableSize = 64 };
        var h = new EngineHarness(configuration, seed: 5);
        var frames = Traffic(h, seed: 23);
        for (int i = 0; i < frames.Count; i++)
        {
            h.Engine.Process(frames[i], h.Now);
            if (i % 10 == 0)
                h.Wait(0.5);
        }
        var table = h.Engine.Flows;
        int occupied = 0;
        for (int slot = 0; slot < table.SlotCount; slot++)
        {
            if (!table[slot].IsOccupied)
                continue;
            occupied++;
            Assert.Equal(h.Engine.Cookie.For(table[slot].Key), table[slot].Cookie);
        }
        Assert.Equal(64, occupied);
        Assert.True(table.Evictions > 100, $"the traffic should overflow the table, evicted {table.Evictions}");
        Assert.True(h.EventsOf(TarpitEventKind.Persist).Any());
    }
}
