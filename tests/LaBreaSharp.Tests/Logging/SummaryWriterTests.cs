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
        Assert.Equal("frames read:           1500", lines[0]);
        Assert.Equal("malformed:                2", lines[1]);
        Assert.Equal("persist-trapped:         30", lines[8]);
        Assert.Equal("bytes sent:           60120", lines[15]);
        Assert.Equal("active flows:            29", lines[19]);
        Assert.Equal("banned segments:          0", lines[^1]);
        Assert.Single(lines.Select(l => l.Length).Distinct());
    }
}
