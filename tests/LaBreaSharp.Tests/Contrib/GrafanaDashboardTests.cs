using System.Text.Json;
using System.Text.RegularExpressions;
using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Monitoring;
using LaBreaSharp.Tests.Monitoring;

namespace LaBreaSharp.Tests.Contrib;

/// <summary>contrib/grafana-dashboard.json asks only for series the exporter makes: a renamed
/// metric would leave a panel silently empty.</summary>
public partial class GrafanaDashboardTests
{
    public static readonly string Dashboard = Path.Combine(RepositoryPaths.Root, "contrib", "grafana-dashboard.json");

    /// <summary>Every labreasharp_ name in the dashboard's queries.</summary>
    public static List<string> MetricNames()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
                foreach (Match m in MetricName().Matches(target.GetProperty("expr").GetString()!))
                    names.Add(m.Value);
        return [.. names];
    }

    [Fact]
    public void Every_metric_a_panel_queries_is_in_a_scrape()
    {
        var names = MetricNames();
        Assert.True(names.Count >= 15, string.Join(", ", names));
        var exporter = new MetricsExporter(() => Snapshots.Two());
        string scrape = MetricsExporterTests.Scrape(exporter);
        var series = scrape.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('{', ' ')[0]).ToHashSet();
        Assert.All(names, name => Assert.Contains(name, series));
    }

    [Fact]
    public void Panels_have_unique_ids_and_use_the_data_source_variable()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var panels = json.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(panels, p => Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString()));
    }

    [GeneratedRegex(@"labreasharp_[a-z_]+")]
    private static partial Regex MetricName();
}
