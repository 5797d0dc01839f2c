using System.Text.Json;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

/// <summary>Issue 12: the log off the packet path. The engine's thread only copies an event into a
/// queue; a writer thread folds floods into one line a second per destination and writes; a full
/// queue costs a counted event, never a wait, and one events-lost line says how many.</summary>
public sealed class FloodLogTests
{
    private static readonly Ipv4Address Other = Ipv4Address.Parse("192.0.2.101");

    private static TarpitEvent Connect(uint source, Ipv4Address destination, long time = Events.Noon) =>
        new(TarpitEventKind.Connect, time, new Ipv4Address(0xC000_0200u + source), 40000, destination, 80);

    private static (EventLog Log, StringWriter Output) Log(int rate, int verbosity = 0, LogFormat format = LogFormat.Json)
    {
        var output = new StringWriter();
        return (new EventLog(new LogOptions { Format = format, FloodRate = rate, Verbosity = verbosity }, output), output);
    }

    private static List<JsonElement> Lines(EventLog log, StringWriter output)
    {
        log.Flush();
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public void Past_the_rate_a_seconds_connects_fold_into_one_line_per_destination_and_every_event_is_counted()
    {
        var (log, output) = Log(rate: 10);
        using var _ = log;
        int emitted = 0;
        foreach (var (source, count) in new[] { (2u, 500), (3u, 300), (4u, 200) })
        {
            for (int i = 0; i < count; i++, emitted++)
                log.Emit(Connect(source, Events.Tarpitted, Events.Noon + i * 1000));
        }
        for (int i = 0; i < 5; i++, emitted++)
            log.Emit(Connect(9, Other, Events.Noon + 900_000_000));
        log.Emit(Events.Capture(Events.Noon + 950_000_000)); // not about one connection: never folded
        log.Emit(Connect(2, Events.Tarpitted, Events.Noon + 1_000_000_000)); // the next second: written, after the floods
        emitted++;

        var lines = Lines(log, output);
        var single = lines.Where(l => l.GetProperty("event").GetString() == "connect").ToList();
        var floods = lines.Where(l => l.GetProperty("event").GetString() == "flood").ToList();
        Assert.Equal(11, single.Count); // ten in the first second, one in the next
        Assert.Equal(2, floods.Count);  // one per destination
        Assert.Single(lines, l => l.GetProperty("event").GetString() == "capture");
        Assert.Equal(emitted, single.Count + floods.Sum(f => f.GetProperty("count").GetInt64()));
        var main = floods.Single(f => f.GetProperty("dst").GetString() == "192.0.2.100");
        Assert.Equal(("connect", 3, "192.0.2.2 490, 192.0.2.3 300, 192.0.2.4 200"),
            (main.GetProperty("of").GetString(), main.GetProperty("sources").GetInt32(), main.GetProperty("top").GetString()));
        Assert.Equal("flood", lines[^2].GetProperty("event").GetString()); // the floods come before the next second's line
        Assert.Equal("connect", lines[^1].GetProperty("event").GetString());
    }

    [Fact]
    public void The_text_line_of_a_flood_says_what_how_many_and_from_whom()
    {
        var (log, output) = Log(rate: 1, format: LogFormat.Text);
        using var _ = log;
        for (int i = 0; i < 4; i++)
            log.Emit(Connect((uint)(2 + i % 2), Events.Tarpitted));
        log.Flush();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2026-11-21T12:00:00.000Z flood connect 192.0.2.100 x3 in a second from 2 sources (most: 192.0.2.3 2, 192.0.2.2 1)", lines[^1]);
    }

    [Fact]
    public void Verbose_and_a_rate_of_zero_never_fold()
    {
        foreach (var (rate, verbosity) in new[] { (10, 1), (0, 0) })
        {
            var (log, output) = Log(rate, verbosity);
            using var _ = log;
            for (int i = 0; i < 300; i++)
                log.Emit(Connect(2, Events.Tarpitted));
            Assert.Equal(300, Lines(log, output).Count(l => l.GetProperty("event").GetString() == "connect"));
        }
    }

    /// <summary>A writer that cannot keep up (here: stopped until released) fills the queue; the
    /// engine's thread never waits, the events past its room are counted, and one line says so.</summary>
    [Fact]
    public void A_full_queue_counts_what_it_refuses_and_says_so_in_one_line()
    {
        using var gate = new ManualResetEventSlim(false);
        var output = new GatedWriter(gate);
        var log = new EventLog(new LogOptions { Format = LogFormat.Json, FloodRate = 0, QueueCapacity = 16 }, output);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++)
            log.Emit(Connect(2, Events.Tarpitted));
        Assert.True(clock.ElapsedMilliseconds < 2000, "the engine's thread waited for the log");
        gate.Set();
        log.Flush();
        long dropped = log.EventsDropped;
        Assert.InRange(dropped, 1000 - 16 - 1, 1000 - 16);
        Assert.Equal(dropped, log.EventsLost);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var lost = Assert.Single(lines, l => l.GetProperty("event").GetString() == "events-lost");
        Assert.Equal(dropped, lost.GetProperty("count").GetInt64());
        Assert.Equal(1000, lines.Count(l => l.GetProperty("event").GetString() == "connect") + dropped);
        log.Dispose();
    }

    [Fact]
    public void Emitting_allocates_nothing_on_the_engines_thread()
    {
        var (log, _) = Log(rate: 100);
        using var __ = log;
        var connect = Connect(2, Events.Tarpitted);
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
                log.Emit(connect);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            log.Flush();
            if (round == 2)
                Assert.Equal(0, allocated); // formatting happens on the writer thread
        }
    }

    private sealed class GatedWriter(ManualResetEventSlim gate) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            gate.Wait();
            base.WriteLine(value);
        }

        public override void Write(string? value)
        {
            gate.Wait();
            base.Write(value);
        }
    }
}
