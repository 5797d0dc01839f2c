using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>The engine's one way to the event sink: asks whether a kind is on before building its
/// event, so that a kind that is off (per-packet probes, mostly) costs one call and nothing else.</summary>
internal sealed class EventEmitter(ITarpitEventSink sink, EngineClock clock)
{
    public bool IsEnabled(TarpitEventKind kind) => sink.IsEnabled(kind);

    public void Emit(in TarpitEvent tarpitEvent)
    {
        if (sink.IsEnabled(tarpitEvent.Kind))
            sink.Emit(tarpitEvent);
    }

    /// <summary>An event about one connection, stamped now.</summary>
    public void Flow(TarpitEventKind kind, in FlowKey key, long count = 0)
    {
        if (sink.IsEnabled(kind))
            sink.Emit(new TarpitEvent(kind, clock.Now, key.Source, key.SourcePort, key.Destination, key.DestinationPort, Count: count));
    }
}
