using System.Text.Json;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

public sealed class JsonFormatTests
{
    private static JsonElement Parse(CapturedLog log, in TarpitEvent tarpitEvent)
    {
        using var document = JsonDocument.Parse(log.LineFor(tarpitEvent));
        return document.RootElement.Clone();
    }

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Theory]
    [InlineData(TarpitEventKind.Connect, "connect")]
    [InlineData(TarpitEventKind.Established, "established")]
    [InlineData(TarpitEventKind.Persist, "persist")]
    [InlineData(TarpitEventKind.Probe, "probe")]
    [InlineData(TarpitEventKind.CloseIgnored, "close-ignored")]
    [InlineData(TarpitEventKind.SynAckRst, "synack-rst")]
    public void Tcp_events_carry_both_ends(TarpitEventKind kind, string name)
    {
        using var log = new CapturedLog(LogFormat.Json, verbosity: 1);
        var json = Parse(log, Events.Tcp(kind));
        Assert.Equal(["time", "event", "src", "sport", "dst", "dport"], Names(json));
        Assert.Equal("2026-11-21T12:00:00.000000Z", json.GetProperty("time").GetString());
        Assert.Equal(name, json.GetProperty("event").GetString());
        Assert.Equal("192.0.2.2", json.GetProperty("src").GetString());
        Assert.Equal(40000, json.GetProperty("sport").GetInt32());
        Assert.Equal("192.0.2.100", json.GetProperty("dst").GetString());
        Assert.Equal(80, json.GetProperty("dport").GetInt32());
    }

    [Fact]
    public void Connect_is_exactly_one_compact_object()
    {
        using var log = new CapturedLog(LogFormat.Json);
        Assert.Equal("""{"time":"2026-11-21T12:00:00.000000Z","event":"connect","src":"192.0.2.2","sport":40000,"dst":"192.0.2.100","dport":80}""",
            log.LineFor(Events.Tcp(TarpitEventKind.Connect)));
    }

    [Fact]
    public void Capture_has_the_address_as_dst_and_the_asker_as_src()
    {
        using var log = new CapturedLog(LogFormat.Json);
        var json = Parse(log, Events.Capture());
        Assert.Equal(["time", "event", "dst", "src"], Names(json));
        Assert.Equal("capture", json.GetProperty("event").GetString());
        Assert.Equal("192.0.2.77", json.GetProperty("dst").GetString());
        Assert.Equal("192.0.2.2", json.GetProperty("src").GetString());
    }

    [Theory]
    [InlineData(TarpitEventReason.Conflict, "conflict")]
    [InlineData(TarpitEventReason.HardCaptureConflict, "hard-capture-conflict")]
    public void Release_has_mac_and_reason(TarpitEventReason reason, string reasonName)
    {
        using var log = new CapturedLog(LogFormat.Json);
        var json = Parse(log, Events.Release(reason));
        Assert.Equal(["time", "event", "dst", "mac", "reason"], Names(json));
        Assert.Equal("release", json.GetProperty("event").GetString());
        Assert.Equal("02:00:00:00:00:77", json.GetProperty("mac").GetString());
        Assert.Equal(reasonName, json.GetProperty("reason").GetString());
    }

    [Fact]
    public void Ping_and_limit_drop()
    {
        using var log = new CapturedLog(LogFormat.Json);
        var ping = Parse(log, Events.Ping());
        Assert.Equal(["time", "event", "src", "dst"], Names(ping));
        Assert.Equal("ping", ping.GetProperty("event").GetString());

        var drop = Parse(log, Events.LimitDrop());
        Assert.Equal(["time", "event", "count", "reason"], Names(drop));
        Assert.Equal("limit-drop", drop.GetProperty("event").GetString());
        Assert.Equal(12, drop.GetProperty("count").GetInt64());
        Assert.Equal("packet-rate", drop.GetProperty("reason").GetString());
    }

    [Fact]
    public void Stats_has_every_counter_under_a_snake_case_key()
    {
        using var log = new CapturedLog(LogFormat.Json);
        var json = Parse(log, Events.Stats());
        Assert.Equal("stats", json.GetProperty("event").GetString());
        var counters = json.GetProperty("counters");
        var expected = Events.SampleCounters().Fields().ToArray();
        Assert.Equal(expected.Length, counters.EnumerateObject().Count());
        Assert.Equal(1500, counters.GetProperty("frames_read").GetInt64());
        Assert.Equal(30, counters.GetProperty("persist_trapped").GetInt64());
        Assert.Equal(900, counters.GetProperty("probes_answered").GetInt64());
        Assert.Equal(1, counters.GetProperty("synack_rst").GetInt64());
        Assert.Equal(29, counters.GetProperty("active_flows").GetInt64());
    }

    [Fact]
    public void Banner_end_carries_what_it_cost_and_why_it_ended()
    {
        using var log = new CapturedLog(LogFormat.Json);
        var end = Events.Tcp(TarpitEventKind.BannerEnd) with
        {
            Banner = LaBreaSharp.Core.Tarpit.Behaviours.BannerKind.Http, Lines = 7, Bytes = 300, Seconds = 70, Reason = TarpitEventReason.Unanswered,
        };
        var json = Parse(log, end);
        Assert.Equal(["time", "event", "src", "sport", "dst", "dport", "banner", "lines", "bytes", "seconds", "reason"], Names(json));
        Assert.Equal("http", json.GetProperty("banner").GetString());
        Assert.Equal(7, json.GetProperty("lines").GetInt64());
        Assert.Equal("unanswered", json.GetProperty("reason").GetString());
    }

    [Fact]
    public void Time_keeps_microseconds()
    {
        using var log = new CapturedLog(LogFormat.Json);
        var json = Parse(log, Events.Tcp(TarpitEventKind.Connect, Events.Noon + 123_456_789));
        Assert.Equal("2026-11-21T12:00:00.123456Z", json.GetProperty("time").GetString());
    }

    [Fact]
    public void Every_line_of_a_mixed_run_parses_on_its_own()
    {
        using var log = new CapturedLog(LogFormat.Json, verbosity: 1);
        foreach (var kind in Enum.GetValues<TarpitEventKind>())
            log.Log.Emit(Events.Tcp(kind) with { Counters = kind == TarpitEventKind.Stats ? Events.SampleCounters() : null });
        var lines = log.Lines();
        Assert.Equal(Enum.GetValues<TarpitEventKind>().Length, lines.Length);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }
    }
}
