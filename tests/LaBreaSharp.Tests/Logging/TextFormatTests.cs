using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

public sealed class TextFormatTests
{
    [Theory]
    [InlineData(TarpitEventKind.Connect, "connect")]
    [InlineData(TarpitEventKind.Established, "established")]
    [InlineData(TarpitEventKind.Persist, "persist")]
    [InlineData(TarpitEventKind.Probe, "probe")]
    [InlineData(TarpitEventKind.CloseIgnored, "close-ignored")]
    [InlineData(TarpitEventKind.SynAckRst, "synack-rst")]
    public void Tcp_events_name_both_ends(TarpitEventKind kind, string name)
    {
        using var log = new CapturedLog(LogFormat.Text, verbosity: 1);
        Assert.Equal($"2026-11-21T12:00:00.000Z {name} 192.0.2.2:40000 -> 192.0.2.100:80", log.LineFor(Events.Tcp(kind)));
    }

    [Fact]
    public void Capture_names_the_address_and_who_asked()
    {
        using var log = new CapturedLog(LogFormat.Text);
        Assert.Equal("2026-11-21T12:00:00.000Z capture 192.0.2.77 (asked by 192.0.2.2)", log.LineFor(Events.Capture()));
    }

    [Fact]
    public void Release_names_the_owner_and_warns_only_for_a_hard_capture()
    {
        using var log = new CapturedLog(LogFormat.Text);
        Assert.Equal("2026-11-21T12:00:00.000Z release 192.0.2.77 (alive at 02:00:00:00:00:77)", log.LineFor(Events.Release()));
        Assert.Equal("2026-11-21T12:00:00.000Z release 192.0.2.77 (alive at 02:00:00:00:00:77) warning: a hard-captured address is in use by another host",
            log.LineFor(Events.Release(TarpitEventReason.HardCaptureConflict)));
    }

    [Fact]
    public void Ping_limit_drop_and_stats()
    {
        using var log = new CapturedLog(LogFormat.Text);
        Assert.Equal("2026-11-21T12:00:00.000Z ping 192.0.2.2 -> 192.0.2.100", log.LineFor(Events.Ping()));
        Assert.Equal("2026-11-21T12:00:00.000Z limit-drop 12 replies (packet-rate)", log.LineFor(Events.LimitDrop()));
        Assert.Equal("2026-11-21T12:00:00.000Z stats " + Events.SampleCountersText, log.LineFor(Events.Stats()));
    }

    [Fact]
    public void Time_is_utc_to_the_millisecond_from_the_event_not_the_clock()
    {
        using var log = new CapturedLog(LogFormat.Text);
        var line = log.LineFor(Events.Tcp(TarpitEventKind.Connect, Events.Noon + 123_456_789));
        Assert.StartsWith("2026-11-21T12:00:00.123Z connect ", line);
        Assert.StartsWith("1970-01-01T00:00:00.000Z ", log.LineFor(Events.Tcp(TarpitEventKind.Connect, 0)));
    }

    [Fact]
    public void Banner_drop_and_ban_events_say_what_the_client_paid()
    {
        using var log = new CapturedLog(LogFormat.Text);
        var start = Events.Tcp(TarpitEventKind.BannerStart) with { Banner = LaBreaSharp.Core.Tarpit.Behaviours.BannerKind.Ssh };
        Assert.Equal("2026-11-21T12:00:00.000Z banner-start 192.0.2.2:40000 -> 192.0.2.100:80 ssh", log.LineFor(start));
        var end = start with { Kind = TarpitEventKind.BannerEnd, Lines = 42, Bytes = 1900, Seconds = 430, Reason = TarpitEventReason.Reset };
        Assert.Equal("2026-11-21T12:00:00.000Z banner-end 192.0.2.2:40000 -> 192.0.2.100:80 ssh lines=42 bytes=1900 held=430s (reset)", log.LineFor(end));
        Assert.Equal("2026-11-21T12:00:00.000Z drop 192.0.2.2:40000 -> 192.0.2.100:80 after 600s",
            log.LineFor(Events.Tcp(TarpitEventKind.Drop) with { Seconds = 600 }));
        Assert.Equal("2026-11-21T12:00:00.000Z ban 192.0.2.2 for 3600s",
            log.LineFor(new TarpitEvent(TarpitEventKind.Ban, Events.Noon, Events.Attacker, 0, default, 0, Seconds: 3600)));
    }
}
