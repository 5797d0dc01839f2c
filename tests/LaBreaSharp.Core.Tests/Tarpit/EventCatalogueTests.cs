using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Core.Tests.Tarpit;

public class EventCatalogueTests
{
    [Fact]
    public void Every_kind_and_reason_is_declared_once_with_a_unique_name()
    {
        Assert.Equal(Enum.GetValues<TarpitEventKind>(), EventCatalogue.All.Select(d => d.Kind));
        Assert.Equal(EventCatalogue.All.Count, EventCatalogue.All.Select(d => d.Name).Distinct().Count());
        Assert.Equal(Enum.GetValues<TarpitEventReason>(), EventCatalogue.AllReasons.Select(d => d.Reason));
        Assert.All(EventCatalogue.All, d => Assert.Matches("^[a-z][a-z-]*$", d.Name));
    }

    [Fact]
    public void Templates_name_fields_and_optional_groups()
    {
        var template = EventTemplate.Parse("{dst} (alive at {mac})[ {note}]");
        Assert.Collection(template.Parts,
            p => Assert.Equal(new FieldPart(EventField.Destination), p),
            p => Assert.Equal(new LiteralPart(" (alive at "), p),
            p => Assert.Equal(new FieldPart(EventField.Mac), p),
            p => Assert.Equal(new LiteralPart(")"), p),
            p => Assert.IsType<OptionalPart>(p));
        Assert.Throws<FormatException>(() => EventTemplate.Parse("{nope}"));
        Assert.Throws<FormatException>(() => EventTemplate.Parse("[{src}"));
        Assert.Throws<FormatException>(() => EventTemplate.Parse("{src}]"));
    }

    [Fact]
    public void A_reason_can_raise_its_event_level()
    {
        var release = new TarpitEvent(TarpitEventKind.Release, 0, default, 0, default, 0, Reason: TarpitEventReason.Conflict);
        Assert.Equal(EventLevel.Info, EventCatalogue.LevelOf(release));
        Assert.Equal(EventLevel.Warning, EventCatalogue.LevelOf(release with { Reason = TarpitEventReason.HardCaptureConflict }));
        Assert.Equal(EventLevel.Debug, EventCatalogue.LevelOf(new TarpitEvent(TarpitEventKind.Probe, 0, default, 0, default, 0)));
    }
}
