using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Monitoring;

namespace LaBreaSharp.Tests.Monitoring;

/// <summary>A loop that is not there: a thread that serves the window as the live loop does
/// after each batch, with a snapshot the test made.</summary>
internal sealed class FakeLoop : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private readonly AutoResetEvent _wake = new(false);

    public FakeLoop(Func<int, LiveSnapshot> take)
    {
        Window = new EngineWindow(() => _wake.Set());
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                _wake.WaitOne(100);
                Window.Serve(take);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public EngineWindow Window { get; }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}

internal static class Snapshots
{
    public static readonly long Now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() * 1_000_000_000L;

    public static TrappedFlow Flow(string source, ushort sourcePort, ushort port, string state, string behaviour, long heldSeconds, int probes = 0, long lines = 0) =>
        new(new FlowKey(Ipv4Address.Parse(source), Ipv4Address.Parse("192.0.2.77"), sourcePort, port), state, behaviour,
            Now - heldSeconds * 1_000_000_000L, Now, probes, lines);

    public static LiveSnapshot Two(EngineCounters? counters = null, HeldTimes? ended = null) => new(new TrappedView
    {
        Now = Now,
        Counters = counters ?? new EngineCounters { FramesRead = 7, Connects = 2 },
        Ended = ended ?? new HeldTimes(),
        ByState = new Dictionary<(string, string), long> { [("persist", "persist")] = 1, [("talking", "ssh")] = 1 },
        ByPort = new Dictionary<ushort, long> { [80] = 1, [22] = 1 },
        Longest = [Flow("198.51.100.9", 40001, 80, "persist", "persist", 7_500, probes: 12), Flow("203.0.113.5", 51000, 22, "talking", "ssh", 65, lines: 6)],
    }, [("captured by kernel", 9), ("dropped by kernel", 0), ("inject failures", 0), ("events lost", 0), ("frames not recorded", 0)]);
}

public partial class MetricsExporterTests
{
    internal static string Scrape(MetricsExporter exporter)
    {
        using var body = new MemoryStream();
        exporter.Registry.CollectAndExportAsTextAsync(body).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(body.ToArray());
    }

    private static double Value(string scrape, string series)
    {
        var line = scrape.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no series {series} in:\n{scrape}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Every_summary_line_is_a_metric_counters_as_totals_levels_as_gauges_ignored_by_reason()
    {
        var counters = new EngineCounters { FramesRead = 7, IgnoredArp = 2, IgnoredNotForUs = 5, ActiveFlows = 3, BansActive = 1, PersistTrapped = 4 };
        var exporter = new MetricsExporter(() => Snapshots.Two(counters));
        string scrape = Scrape(exporter);
        Assert.Equal(7, Value(scrape, "labreasharp_frames_read_total"));
        Assert.Equal(4, Value(scrape, "labreasharp_persist_trapped_total"));
        Assert.Equal(3, Value(scrape, "labreasharp_active_flows"));
        Assert.Equal(1, Value(scrape, "labreasharp_bans_active"));
        Assert.Equal(2, Value(scrape, "labreasharp_ignored_frames_total{reason=\"arp\"}"));
        Assert.Equal(5, Value(scrape, "labreasharp_ignored_frames_total{reason=\"not_for_us\"}"));
        Assert.Equal(9, Value(scrape, "labreasharp_captured_by_kernel_total"));
        var snapshot = Snapshots.Two(counters);
        foreach (var (name, _) in snapshot.View.Counters.Fields().Concat(snapshot.Extras).Where(f => !f.Name.StartsWith("ignored", StringComparison.Ordinal)))
            Assert.Contains($"\nlabreasharp_{MetricsExporter.MetricName(name)}", scrape);
    }

    /// <summary>Label names across a whole scrape: only the bounded ones, never an address.</summary>
    [Fact]
    public void Labels_are_states_behaviours_ports_reasons_kinds_and_buckets_only_and_the_series_are_counted()
    {
        var exporter = new MetricsExporter(() => Snapshots.Two() with { Events = [("connect", 1)] });
        var series = Scrape(exporter).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var labels = series.SelectMany(l => LabelName().Matches(l).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Subset(new HashSet<string> { "state", "behaviour", "port", "reason", "kind", "le" }, labels);
        Assert.Contains("state", labels);
        // What README and bench/README say of the series' number: every one a scrape can hold,
        // the busiest ports' ten included (this snapshot has two of them).
        int most = series.Count + MetricsExporter.PortSeries - 2;
        Assert.InRange(most, 110, 130); // 120 today
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[{,]([a-z_]+)=""")]
    private static partial System.Text.RegularExpressions.Regex LabelName();

    [Fact]
    public void Events_the_log_took_are_counted_by_kind_and_every_kind_exists_at_zero()
    {
        var exporter = new MetricsExporter(() => Snapshots.Two() with { Events = [("connect", 5), ("close-ignored", 2)] });
        string scrape = Scrape(exporter);
        Assert.Equal(5, Value(scrape, "labreasharp_events_total{kind=\"connect\"}"));
        Assert.Equal(2, Value(scrape, "labreasharp_events_total{kind=\"close-ignored\"}"));
        Assert.Equal(0, Value(scrape, "labreasharp_events_total{kind=\"persist\"}"));
        Assert.Equal(EventCatalogue.All.Count, scrape.Split('\n').Count(l => l.StartsWith("labreasharp_events_total{", StringComparison.Ordinal)));
    }

    [Fact]
    public void Flows_by_state_and_behaviour_exist_at_zero_and_follow_the_snapshot()
    {
        string scrape = Scrape(new MetricsExporter(() => Snapshots.Two()));
        Assert.Equal(1, Value(scrape, "labreasharp_flows{state=\"persist\",behaviour=\"persist\"}"));
        Assert.Equal(1, Value(scrape, "labreasharp_flows{state=\"talking\",behaviour=\"ssh\"}"));
        Assert.Equal(0, Value(scrape, "labreasharp_flows{state=\"syn-acked\",behaviour=\"tarpit\"}"));
        Assert.Equal(TrappedView.States.Length * TrappedView.Behaviours.Length, scrape.Split('\n').Count(l => l.StartsWith("labreasharp_flows{", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ports_have_series_for_the_ten_busiest_and_the_rest_is_other_and_gone_ports_go()
    {
        var byPort = Enumerable.Range(1, 12).ToDictionary(p => (ushort)p, p => (long)p);
        var snapshot = Snapshots.Two();
        var exporter = new MetricsExporter(() => snapshot with { View = WithPorts(snapshot.View, byPort) });
        string scrape = Scrape(exporter);
        Assert.Equal(12, Value(scrape, "labreasharp_flows_by_port{port=\"12\"}"));
        Assert.Equal(3, Value(scrape, "labreasharp_flows_by_port{port=\"3\"}"));
        Assert.Equal(1 + 2, Value(scrape, "labreasharp_flows_by_port{port=\"other\"}"));
        Assert.DoesNotContain("port=\"2\"", scrape);

        byPort = new Dictionary<ushort, long> { [443] = 4 };
        scrape = Scrape(exporter);
        Assert.Equal(4, Value(scrape, "labreasharp_flows_by_port{port=\"443\"}"));
        Assert.DoesNotContain("port=\"12\"", scrape);
        Assert.Equal(0, Value(scrape, "labreasharp_flows_by_port{port=\"other\"}"));
    }

    private static TrappedView WithPorts(TrappedView view, Dictionary<ushort, long> byPort) => new()
    {
        Now = view.Now, Counters = view.Counters, Ended = view.Ended, ByState = view.ByState, ByPort = byPort, Longest = view.Longest,
    };

    [Fact]
    public void The_held_time_histogram_takes_what_ended_since_the_last_scrape()
    {
        var ended = new HeldTimes();
        ended.Record(30);
        ended.Record(30);
        ended.Record(1_000);
        var exporter = new MetricsExporter(() => Snapshots.Two(ended: ended.Snapshot()));
        string scrape = Scrape(exporter);
        Assert.Equal(0, Value(scrape, "labreasharp_held_seconds_bucket{le=\"10\"}"));
        Assert.Equal(2, Value(scrape, "labreasharp_held_seconds_bucket{le=\"60\"}"));
        Assert.Equal(2, Value(scrape, "labreasharp_held_seconds_bucket{le=\"900\"}"));
        Assert.Equal(3, Value(scrape, "labreasharp_held_seconds_bucket{le=\"1800\"}"));
        Assert.Equal(3, Value(scrape, "labreasharp_held_seconds_bucket{le=\"+Inf\"}"));
        Assert.Equal(1_060, Value(scrape, "labreasharp_held_seconds_sum"));

        ended.Record(5);
        ended.Record(100_000);
        scrape = Scrape(exporter);
        Assert.Equal(1, Value(scrape, "labreasharp_held_seconds_bucket{le=\"10\"}"));
        Assert.Equal(4, Value(scrape, "labreasharp_held_seconds_bucket{le=\"86400\"}"));
        Assert.Equal(5, Value(scrape, "labreasharp_held_seconds_count"));
        Assert.Equal(101_065, Value(scrape, "labreasharp_held_seconds_sum"));
    }

    [Fact]
    public void A_scrape_the_loop_does_not_answer_is_counted_and_leaves_the_figures_as_they_were()
    {
        LiveSnapshot? next = Snapshots.Two();
        var exporter = new MetricsExporter(() => next);
        Assert.Equal(7, Value(Scrape(exporter), "labreasharp_frames_read_total"));
        next = null;
        string scrape = Scrape(exporter);
        Assert.Equal(7, Value(scrape, "labreasharp_frames_read_total"));
        Assert.Equal(1, Value(scrape, "labreasharp_scrape_timeouts"));
    }
}

public class MetricsAddressTests
{
    [Theory]
    [InlineData("9100", "127.0.0.1:9100")]
    [InlineData("127.0.0.1:9100", "127.0.0.1:9100")]
    [InlineData("0.0.0.0:9464", "0.0.0.0:9464")]
    [InlineData("[::1]:9100", "[::1]:9100")]
    public void A_bare_port_is_loopback_and_an_address_is_taken_as_given(string text, string expected) =>
        Assert.Equal(expected, MetricsListener.Format(MetricsListener.Parse(text)));

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("localhost:9100")]
    [InlineData("192.0.2.1")]
    [InlineData("192.0.2.1:")]
    [InlineData("192.0.2.1:0")]
    [InlineData("::1:9100")]
    [InlineData("")]
    public void Anything_else_is_one_sentence_and_exit_2(string text)
    {
        var (code, _, error) = CliRunner.Run("run", "-i", "lbs-nosuch0", "--metrics", text);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(CliRunner.Lines(error));
        Assert.Contains("--metrics must be PORT or ADDR:PORT", error);
    }
}

public class TrappedReportTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(59L, "59s")]
    [InlineData(725L, "12m05s")]
    [InlineData(10_920L, "3h02m")]
    [InlineData(187_200L, "2d04h")]
    public void Durations_are_short(long seconds, string text) => Assert.Equal(text, TrappedReport.Duration(seconds));

    [Fact]
    public void The_json_reads_back_into_a_table_longest_first_with_totals()
    {
        using var report = JsonDocument.Parse(TrappedReport.ToJson(Snapshots.Two()));
        var root = report.RootElement;
        Assert.Equal(2, root.GetProperty("total").GetInt64());
        var first = root.GetProperty("flows")[0];
        Assert.Equal("198.51.100.9", first.GetProperty("source").GetString());
        Assert.Equal(7_500, first.GetProperty("held_seconds").GetInt64());
        Assert.Equal("2026-12-07T09:55:00Z", first.GetProperty("since").GetString());
        Assert.Equal(9, root.GetProperty("counters").GetProperty("captured by kernel").GetInt64());

        var lines = TrappedReport.ToTable(root).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("SOURCE", lines[0]);
        Assert.Matches(@"^198\.51\.100\.9:40001\s+80\s+persist\s+persist\s+2026-12-07T09:55:00Z\s+2h05m\s+12 probes$", lines[1]);
        Assert.Matches(@"^203\.0\.113\.5:51000\s+22\s+talking\s+ssh\s+\S+\s+1m05s\s+6 lines$", lines[2]);
        Assert.Equal("2 held now: 1 persist (persist), 1 talking (ssh)", lines[3]);
    }
}

public class ControlSocketTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lbs-control-").FullName;
    private readonly List<string> _warnings = [];

    public void Dispose() => Directory.Delete(_directory, true);

    private string SocketPath => Path.Combine(_directory, "t.sock");

    [Fact]
    public void Status_reads_the_socket_and_prints_who_is_trapped()
    {
        using var loop = new FakeLoop(_ => Snapshots.Two());
        using var control = ControlSocket.Open(SocketPath, true, null, loop.Window, _warnings.Add)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));

        var (code, output, error) = CliRunner.Run("status", "--control", SocketPath);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("198.51.100.9:40001", output);
        Assert.EndsWith("2 held now: 1 persist (persist), 1 talking (ssh)\n", output);

        (code, output, _) = CliRunner.Run("status", "--control", SocketPath, "--json", "--top", "1");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public void The_socket_answers_a_bad_request_with_an_error_line()
    {
        using var loop = new FakeLoop(_ => Snapshots.Two());
        using var control = ControlSocket.Open(SocketPath, true, null, loop.Window, _warnings.Add)!;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        socket.Send("trapped lots\n"u8.ToArray());
        var buffer = new byte[256];
        int n = socket.Receive(buffer);
        Assert.StartsWith("error: the request is 'trapped N'", Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Fact]
    public void The_socket_is_removed_at_exit_and_a_stale_one_is_replaced()
    {
        // Bound and left behind by a process that is gone (.NET removes the sockets it bound; Python does not).
        Shell.Check("python3", $"-c \"import socket; socket.socket(socket.AF_UNIX).bind('{SocketPath}')\"");
        Assert.True(File.Exists(SocketPath));
        using var loop = new FakeLoop(_ => Snapshots.Two());
        var control = ControlSocket.Open(SocketPath, true, null, loop.Window, _warnings.Add)!;
        Assert.Equal(0, CliRunner.Run("status", "--control", SocketPath).ExitCode);
        control.Dispose();
        Assert.False(File.Exists(SocketPath));
        Assert.Empty(_warnings);
    }

    [Fact]
    public void A_live_socket_or_a_file_that_is_not_a_socket_is_never_replaced()
    {
        using var loop = new FakeLoop(_ => Snapshots.Two());
        using var first = ControlSocket.Open(SocketPath, true, null, loop.Window, _warnings.Add)!;
        var e = Assert.Throws<ControlSocketException>(() => ControlSocket.Open(SocketPath, true, null, loop.Window, _warnings.Add));
        Assert.Contains("another tarpit answers", e.Message);
        Assert.Null(ControlSocket.Open(SocketPath, false, null, loop.Window, _warnings.Add)); // the default place: a warning
        Assert.Contains("running without a control socket", Assert.Single(_warnings));

        string file = Path.Combine(_directory, "notes.sock");
        File.WriteAllText(file, "keep me");
        e = Assert.Throws<ControlSocketException>(() => ControlSocket.Open(file, true, null, loop.Window, _warnings.Add));
        Assert.Contains("is not a socket", e.Message);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void A_loop_that_does_not_answer_is_an_error_not_a_hang()
    {
        var window = new EngineWindow(() => { });
        using var control = ControlSocket.Open(SocketPath, true, null, window, _warnings.Add)!;
        var (code, _, error) = CliRunner.Run("status", "--control", SocketPath);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("did not answer in time", error);
    }

    [Fact]
    public void Status_without_a_tarpit_or_with_bad_options_says_so_in_one_sentence()
    {
        var (code, _, error) = CliRunner.Run("status", "--control", SocketPath);
        Assert.Equal(ExitCodes.Environment, code);
        Assert.Equal($"labreasharp: no control socket at {SocketPath}: is labreasharp run going there (it makes one unless --control none)?\n", error);
        (code, _, error) = CliRunner.Run("status", "--top", "-1", "--control", SocketPath);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--top must be from 0 to 10000", error);
        (code, _, error) = CliRunner.Run("status", "-i", "eth0", "--control", SocketPath);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("give one of", error);
        (code, _, error) = CliRunner.Run("status", "--metrics", "127.0.0.1:1");
        Assert.Equal(ExitCodes.Environment, code);
        Assert.Contains("cannot read http://127.0.0.1:1/trapped", error);
    }
}

public class MetricsListenerTests
{
    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task The_listener_serves_metrics_and_trapped_and_status_reads_it()
    {
        using var loop = new FakeLoop(top => Snapshots.Two());
        var address = new IPEndPoint(IPAddress.Loopback, FreePort());
        var exporter = new MetricsExporter(() => loop.Window.Ask(0));
        using var listener = MetricsListener.Start(address, exporter, loop.Window);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{MetricsListener.Format(address)}/") };

        var metrics = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.ToString());
        Assert.Contains("\nlabreasharp_frames_read_total 7\n", "\n" + await metrics.Content.ReadAsStringAsync());

        var trapped = await http.GetAsync("trapped?top=1");
        Assert.Equal(HttpStatusCode.OK, trapped.StatusCode);
        using (var json = JsonDocument.Parse(await trapped.Content.ReadAsStringAsync()))
            Assert.Equal(2, json.RootElement.GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("trapped?top=many")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("")).StatusCode);

        var (code, output, error) = CliRunner.Run("status", "--metrics", MetricsListener.Format(address));
        Assert.Equal((0, ""), (code, error));
        Assert.EndsWith("2 held now: 1 persist (persist), 1 talking (ssh)\n", output);
    }

    private static string RawRequest(IPEndPoint address, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(address);
        socket.Send(Encoding.ASCII.GetBytes(request));
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
            all.Write(buffer, 0, n);
        return Encoding.UTF8.GetString(all.ToArray());
    }

    [Fact]
    public void Requests_that_are_not_a_get_of_a_known_path_get_the_status_that_says_why()
    {
        using var loop = new FakeLoop(top => Snapshots.Two());
        var address = new IPEndPoint(IPAddress.Loopback, FreePort());
        using var listener = MetricsListener.Start(address, new MetricsExporter(() => loop.Window.Ask(0)), loop.Window);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", RawRequest(address, "nonsense\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", RawRequest(address, "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", RawRequest(address, "GET /etc/passwd HTTP/1.0\r\n\r\n"));
        string head = RawRequest(address, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.EndsWith("\r\n\r\n", head); // the headers, no body
        Assert.Contains("Connection: close\r\n", head);
        string trapped = RawRequest(address, "GET /trapped?x=1&top=0 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", trapped);
        Assert.Contains("\"total\":2", trapped);
    }

    [Fact]
    public void A_port_already_taken_is_one_sentence()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var address = (IPEndPoint)taken.LocalEndpoint;
            var window = new EngineWindow(() => { });
            var e = Assert.Throws<MetricsListenerException>(() => MetricsListener.Start(address, new MetricsExporter(() => null), window));
            Assert.StartsWith($"--metrics 127.0.0.1:{address.Port}: cannot listen there", e.Message);
        }
        finally
        {
            taken.Stop();
        }
    }
}
