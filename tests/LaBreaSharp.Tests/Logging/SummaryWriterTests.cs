using LaBreaSharp.Core.Tarpit;
using LaBreaSharp.Logging;

namespace LaBreaSharp.Tests.Logging;

public sealed class SummaryWriterTests
{
    [Fact]
    public void One_aligned_line_per_counter_in_field_order()
    {
        var output = new StringWriter();
        SummaryWriter.Write(output, Events.SampleCounters());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(new EngineCounters().Fields().Count(), lines.Length);
        // The longest label sets the column: "ignored fragment or options:" (28), a space, five digits.
        Assert.Equal("frames read:                  1500", lines[0]);
        Assert.Equal("malformed:                       2", lines[1]);
        Assert.Equal("persist-trapped:                30", Line("persist-trapped"));
        Assert.Equal("bytes sent:                  60120", Line("bytes sent"));
        Assert.Equal("active flows:                   29", Line("active flows"));
        Assert.Equal("ignored fragment or options:     0", Line("ignored fragment or options"));
        Assert.Equal("synack retransmits skipped:      0", lines[^1]);
        Assert.Single(lines.Select(l => l.Length).Distinct());

        string Line(string name) => Assert.Single(lines, l => l.StartsWith(name + ":", StringComparison.Ordinal));
    }
}
