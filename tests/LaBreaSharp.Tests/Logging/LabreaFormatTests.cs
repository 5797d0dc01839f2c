using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

/// <summary>The lines LaBrea 2.5 printed with -O (src/utils.c util_print "%lu %s", src/lbio.c
/// lbio_send_ip_pkt "%s: %s %i -> %s %i %s" and "%s: %s -> %s %s", "Capturing local IP %s",
/// src/pkt_handler.c "Additional Activity %s"), byte for byte.</summary>
public sealed class LabreaFormatTests
{
    [Fact]
    public void Tcp_replies_use_labrea_messages_and_the_flag_alternates_star_blank()
    {
        using var log = new CapturedLog(LogFormat.Labrea, verbosity: 1);
        Assert.Equal("1795262400 Initial Connect - tarpitting: 192.0.2.2 40000 -> 192.0.2.100 80 *", log.LineFor(Events.Tcp(TarpitEventKind.Connect)));
        Assert.Equal("1795262400 Persist Trapping: 192.0.2.2 40000 -> 192.0.2.100 80  ", log.LineFor(Events.Tcp(TarpitEventKind.Persist)));
        Assert.Equal("1795262400 Persist Activity: 192.0.2.2 40000 -> 192.0.2.100 80 *", log.LineFor(Events.Tcp(TarpitEventKind.Probe)));
        Assert.Equal("1795262400 Inbound SYN/ACK: 192.0.2.2 40000 -> 192.0.2.100 80  ", log.LineFor(Events.Tcp(TarpitEventKind.SynAckRst)));
        Assert.Equal("1795262400 Responded to a Ping: 192.0.2.2 -> 192.0.2.100 *", log.LineFor(Events.Ping()));
        Assert.Equal("1795262400 Responded to a Ping: 192.0.2.2 -> 192.0.2.100  ", log.LineFor(Events.Ping()));
    }

    [Fact]
    public void Lines_labrea_printed_without_a_flag_do_not_flip_it()
    {
        using var log = new CapturedLog(LogFormat.Labrea);
        Assert.Equal("1795262400 Capturing local IP 192.0.2.77", log.LineFor(Events.Capture()));
        Assert.Equal("1795262400 Additional Activity 192.0.2.100", log.LineFor(Events.Tcp(TarpitEventKind.Established)));
        Assert.Equal("1795262400 Additional Activity 192.0.2.100", log.LineFor(Events.Tcp(TarpitEventKind.CloseIgnored)));
        Assert.EndsWith(" 80 *", log.LineFor(Events.Tcp(TarpitEventKind.Connect)));
        Assert.Equal("1795262400 labreasharp stats " + Events.SampleCountersText, log.LineFor(Events.Stats()));
        Assert.EndsWith(" 80  ", log.LineFor(Events.Tcp(TarpitEventKind.Connect)));
    }

    [Fact]
    public void Events_labrea_never_logged_carry_a_prefix_no_labrea_message_has()
    {
        using var log = new CapturedLog(LogFormat.Labrea);
        Assert.Equal("1795262400 labreasharp release 192.0.2.77 (alive at 02:00:00:00:00:77)", log.LineFor(Events.Release()));
        Assert.Equal("1795262400 labreasharp release 192.0.2.77 (alive at 02:00:00:00:00:77) warning: a hard-captured address is in use by another host",
            log.LineFor(Events.Release(TarpitEventReason.HardCaptureConflict)));
        Assert.Equal("1795262400 labreasharp limit-drop 12 replies (packet-rate)", log.LineFor(Events.LimitDrop()));
        Assert.Equal("1795262400 labreasharp ban 192.0.2.2 for 60s",
            log.LineFor(new TarpitEvent(TarpitEventKind.Ban, Events.Noon, Events.Attacker, 0, default, 0, Seconds: 60)));
    }

    [Fact]
    public void Epoch_seconds_are_rounded_down()
    {
        using var log = new CapturedLog(LogFormat.Labrea);
        Assert.StartsWith("1795262400 Capturing", log.LineFor(Events.Capture(Events.Noon + 999_999_999)));
        Assert.StartsWith("1795262401 Capturing", log.LineFor(Events.Capture(Events.Noon + 1_000_000_000)));
    }
}
