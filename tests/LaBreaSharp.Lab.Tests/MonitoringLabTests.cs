using System.Text.Json;
using System.Text.RegularExpressions;

namespace LaBreaSharp.Lab.Tests;

/// <summary>Who is trapped now, asked of a live tarpit the way its operator asks: labreasharp
/// status on the control socket and on /trapped, and a Prometheus scrape of /metrics, while a
/// real Linux client is held in persist and another is being fed an SSH banner.</summary>
public class MonitoringLabTests
{
    private static readonly string Dashboard = Path.Combine(RepositoryPaths.Root, "contrib", "grafana-dashboard.json");

    [RootFact]
    public void Status_and_metrics_show_the_held_clients_as_they_are()
    {
        using var lab = new Lab();
        using var tarpit = lab.StartTarpit("--metrics 9100 --banner 22=ssh --banner-delay 1");
        Assert.Contains("metrics on http://127.0.0.1:9100/metrics", tarpit.Error);
        Clients.ClaimByPing(lab, "192.0.2.77");
        using var client = Clients.StartTrappedClient(lab, "192.0.2.77", 80);
        Clients.WaitUntilHeld(lab, tarpit, client, "192.0.2.77");
        using var ssh = lab.Start("scan", "timeout 90 bash -c \"exec 3<>/dev/tcp/192.0.2.77/22; cat <&3 >/dev/null\"");
        try
        {
            // The socket is the tarpit user's alone (it runs as nobody), and root's.
            var mode = lab.Run("tarpit", $"stat -c %a:%U {tarpit.ControlSocket}").Output.Trim();
            Assert.Equal("600:nobody", mode);

            JsonElement persist = default, talking = default;
            Wait.For(() =>
            {
                using var report = JsonDocument.Parse(Status("--control", tarpit.ControlSocket, "--json"));
                var flows = report.RootElement.GetProperty("flows").EnumerateArray().Select(f => f.Clone()).ToList();
                persist = flows.FirstOrDefault(f => f.GetProperty("state").GetString() == "persist");
                talking = flows.FirstOrDefault(f => f.GetProperty("state").GetString() == "talking");
                return persist.ValueKind != JsonValueKind.Undefined && persist.GetProperty("probes").GetInt32() >= 2
                    && talking.ValueKind != JsonValueKind.Undefined && talking.GetProperty("lines").GetInt64() >= 2;
            }, TimeSpan.FromSeconds(40), "status to show the persist client with two probes answered and the SSH client with two lines");
            Assert.Equal(("192.0.2.2", 80, "persist"), (persist.GetProperty("source").GetString(), persist.GetProperty("port").GetInt32(), persist.GetProperty("behaviour").GetString()));
            Assert.Equal((22, "ssh"), (talking.GetProperty("port").GetInt32(), talking.GetProperty("behaviour").GetString()));

            // The table, longest first: the persist client came first.
            string table = Status("--control", tarpit.ControlSocket);
            var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length);
            Assert.Matches(@"^192\.0\.2\.2:\d+\s+80\s+persist\s+persist\s+\S+Z\s+\d+s\s+\d+ probes$", lines[1]);
            Assert.Matches(@"^192\.0\.2\.2:\d+\s+22\s+talking\s+ssh\s+\S+Z\s+\d+s\s+\d+ lines$", lines[2]);
            Assert.Equal("2 held now: 1 persist (persist), 1 talking (ssh)", lines[3]);

            // The same from the metrics listener's /trapped, inside the tarpit's namespace.
            var (code, viaHttp, error) = lab.Run("tarpit", $"{TarpitProcess.Executable} status --metrics 127.0.0.1:9100 --top 1");
            Assert.Equal((0, ""), (code, error));
            Assert.Contains("2 held now: 1 persist (persist), 1 talking (ssh); the 1 longest shown", viaHttp);

            string scrape = lab.Run("tarpit", "curl -sf http://127.0.0.1:9100/metrics").Output;
            Assert.Equal(1, Value(scrape, "labreasharp_flows{state=\"persist\",behaviour=\"persist\"}"));
            Assert.Equal(1, Value(scrape, "labreasharp_flows{state=\"talking\",behaviour=\"ssh\"}"));
            Assert.Equal(1, Value(scrape, "labreasharp_flows_by_port{port=\"80\"}"));
            Assert.True(Value(scrape, "labreasharp_probes_answered_total") >= 2, scrape);
            Assert.True(Value(scrape, "labreasharp_lines_sent_total") >= 2, scrape);
            Assert.Equal(1, Value(scrape, "labreasharp_active_conversations"));
            Assert.True(Value(scrape, "labreasharp_captured_by_kernel_total") >= Value(scrape, "labreasharp_frames_read_total"));
            Assert.Contains("labreasharp_held_seconds_count ", scrape);
            Assert.Equal(2, Value(scrape, "labreasharp_events_total{kind=\"persist\"}") + Value(scrape, "labreasharp_events_total{kind=\"banner-start\"}"));
            Assert.True(Value(scrape, "labreasharp_events_total{kind=\"connect\"}") >= 2, scrape);
            foreach (Match m in Regex.Matches(File.ReadAllText(Dashboard), @"labreasharp_[a-z_]+"))
                Assert.Contains("\n" + m.Value, "\n" + scrape);

            // A bare port is loopback: the scanner cannot reach the metrics.
            Assert.NotEqual(0, lab.Run("scan", "curl -sf -m 3 http://192.0.2.1:9100/metrics").ExitCode);
        }
        finally
        {
            ssh.Kill(true);
            client.StandardInput.Close();
        }
        tarpit.Stop();
        Assert.False(File.Exists(tarpit.ControlSocket), "the control socket is removed at exit");
    }

    private static string Status(params string[] arguments)
    {
        var (code, output, error) = Shell.Run(TarpitProcess.Executable, "status " + string.Join(' ', arguments));
        Assert.True(code == 0, $"status exited {code}: {error}");
        return output;
    }

    private static double Value(string scrape, string series)
    {
        var line = scrape.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no series {series} in:\n{scrape}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
