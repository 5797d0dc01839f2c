using LaBreaSharp.Core.Flows;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>One connection the tarpit holds, as <c>labreasharp status</c> and <c>/trapped</c> show
/// it. <see cref="Since"/> and <see cref="LastSeen"/> are engine times (nanoseconds, the wall
/// clock's in a live run), whole seconds apart as flow entries keep them.</summary>
public readonly record struct TrappedFlow(FlowKey Key, string State, string Behaviour, long Since, long LastSeen,
    int Probes, long Lines);

/// <summary>What the engine holds at one moment, taken on the engine's own thread by
/// <see cref="TarpitEngine.Trapped"/>: flows by state and behaviour, the longest held, the
/// held-time histogram of flows that ended, and the counters. Nothing in it is shared with the
/// engine afterwards, so another thread may read it at leisure.</summary>
public sealed class TrappedView
{
    public required long Now { get; init; }
    public required EngineCounters Counters { get; init; }
    public required HeldTimes Ended { get; init; }
    /// <summary>Flows held now, by (state, behaviour); pairs with none are left out.</summary>
    public required IReadOnlyDictionary<(string State, string Behaviour), long> ByState { get; init; }
    /// <summary>Flows held now, by destination port; ports with none are left out.</summary>
    public required IReadOnlyDictionary<ushort, long> ByPort { get; init; }
    /// <summary>The longest-held flows, longest first, at most the number asked for.</summary>
    public required IReadOnlyList<TrappedFlow> Longest { get; init; }
    public long Total => ByState.Values.Sum();

    /// <summary>Every state and behaviour name a flow can show, for gauges that must exist at zero.
    /// The first four states are the flow table's, in <see cref="FlowState"/>'s order; the banner
    /// behaviours are the event catalogue's banner names, in <see cref="BannerKind"/>'s order.</summary>
    public static readonly string[] States = ["syn-acked", "established", "persist", "silenced", "talking"];
    public static readonly string[] Behaviours = ["persist", "tarpit",
        .. new[] { BannerKind.Ssh, BannerKind.Http, BannerKind.Smtp, BannerKind.Telnet }.Select(EventCatalogue.NameOf)];

    /// <summary>The index in <see cref="States"/> of a flow table entry's state (never Empty).</summary>
    internal static int StateIndex(FlowState state) => (int)state - (int)FlowState.SynAcked;

    /// <summary>The index of "talking": a conversation in the banner sender's table.</summary>
    internal const int TalkingIndex = 4;

    /// <summary>The index in <see cref="Behaviours"/> of what a port does.</summary>
    internal static int BehaviourIndex(in PortPolicy policy) => policy.Behaviour switch
    {
        TcpBehaviour.Banner => 1 + (int)policy.Banner, // Ssh (1) is at 2
        TcpBehaviour.Tarpit => 1,
        _ => 0, // persist, the default mode; also what a flow left over from a port that answers no more shows as
    };
}
