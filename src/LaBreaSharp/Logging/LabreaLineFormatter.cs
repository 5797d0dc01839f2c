using System.Globalization;
using System.Text;
using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Logging;

/// <summary>LaBrea 2.5's log lines, so parsers written for LaBrea keep working. What LaBrea printed
/// (read from its src/lbio.c, src/pkt_handler.c and src/utils.c):
/// <list type="bullet">
/// <item>Prefix: with -O, util_print writes the epoch seconds, a space, then the message. That is the
/// one prefix this format uses (the other, ctime's local time, depends on the time zone).</item>
/// <item>Replies it sent for TCP: "MESSAGE: SRC SPORT -> DST DPORT F"; for ICMP: "MESSAGE: SRC -> DST F",
/// where F is '*' on the first such line, then ' ', then '*', and so on: LaBrea flipped it so that
/// syslog would not fold identical successive lines into "last message repeated".</item>
/// <item>"Capturing local IP ADDR" and "Additional Activity ADDR" (no colon, no flag, no flip).</item>
/// </list>
/// Mapping: connect → "Initial Connect - tarpitting", persist → "Persist Trapping", probe →
/// "Persist Activity", synack-rst → "Inbound SYN/ACK", ping → "Responded to a Ping", capture →
/// "Capturing local IP". LaBrea in persist mode logged the handshake's ACK and a FIN or RST with ACK
/// as "Additional Activity DST", so established and close-ignored become that line. Release,
/// limit-drop and stats have no LaBrea line: they are written as "labreasharp " followed by the text
/// format's body, a prefix no LaBrea message has, so a LaBrea parser skips them as unknown.</summary>
internal sealed class LabreaLineFormatter : EventLineFormatter
{
    private readonly StringBuilder _line = new(128);
    private bool _nextFlagIsStar = true;

    public override bool LeadsWithTimestamp => true;

    public override string Format(in TarpitEvent e)
    {
        _line.Clear();
        _line.Append(CultureInfo.InvariantCulture, $"{EventTime.EpochSeconds(e.TimeNanoseconds)} ");
        switch (e.Kind)
        {
            case TarpitEventKind.Connect:
                AppendTcpReply("Initial Connect - tarpitting", e);
                break;
            case TarpitEventKind.Persist:
                AppendTcpReply("Persist Trapping", e);
                break;
            case TarpitEventKind.Probe:
                AppendTcpReply("Persist Activity", e);
                break;
            case TarpitEventKind.SynAckRst:
                AppendTcpReply("Inbound SYN/ACK", e);
                break;
            case TarpitEventKind.Ping:
                _line.Append(CultureInfo.InvariantCulture, $"Responded to a Ping: {e.Source} -> {e.Destination} {NextFlag()}");
                break;
            case TarpitEventKind.Capture:
                _line.Append(CultureInfo.InvariantCulture, $"Capturing local IP {e.Destination}");
                break;
            case TarpitEventKind.Established:
            case TarpitEventKind.CloseIgnored:
                _line.Append(CultureInfo.InvariantCulture, $"Additional Activity {e.Destination}");
                break;
            default:
                _line.Append("labreasharp ");
                TextLineFormatter.AppendBody(_line, e);
                break;
        }
        return _line.ToString();
    }

    private void AppendTcpReply(string message, in TarpitEvent e) =>
        _line.Append(CultureInfo.InvariantCulture,
            $"{message}: {e.Source} {e.SourcePort} -> {e.Destination} {e.DestinationPort} {NextFlag()}");

    private char NextFlag()
    {
        char flag = _nextFlagIsStar ? '*' : ' ';
        _nextFlagIsStar = !_nextFlagIsStar;
        return flag;
    }
}
