using System.Runtime.InteropServices;

namespace LaBreaSharp.Core.Flows;

/// <summary>Where a trapped connection stands. Zero means the slot is empty.</summary>
public enum FlowState : byte
{
    Empty = 0,
    /// <summary>A SYN was answered; the handshake's ACK has not come.</summary>
    SynAcked,
    /// <summary>The handshake completed; no data yet.</summary>
    Established,
    /// <summary>Data was acknowledged with window 0: the attacker's stack is probing.</summary>
    Persist,
    /// <summary>Forgotten on purpose: nothing is sent to it again, and its cookie no longer opens
    /// anything. The entry stays while the peer keeps sending, and expires like any other.</summary>
    Silenced,
}

[Flags]
public enum FlowFlags : byte
{
    None = 0,
    /// <summary>A FIN or RST arrived and was ignored.</summary>
    CloseIgnored = 1,
    /// <summary>Noise left the flow's last segment unanswered: the next one is answered, so that no
    /// segment goes unanswered twice in a row (the peer's stack gives up after tcp_retries2).</summary>
    NoiseHeld = 2,
    /// <summary>Stealth: the handshake negotiated timestamps, so every segment of ours carries one (RFC 7323).</summary>
    Timestamps = 4,
    /// <summary>Stealth: both sides offered window scaling, so our window field counts in the personality's scale.</summary>
    Scaled = 8,
}

/// <summary>One flow: 32 bytes, in one preallocated array. Times are whole seconds since the
/// engine's epoch (136 years of range). Only what the engine reads is kept.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct FlowEntry
{
    public FlowKey Key;          // 12
    /// <summary>The tarpit's initial sequence number for this flow, its SYN cookie: always the
    /// cookie of <see cref="Key"/>, kept so that a probe of a known flow is checked against it
    /// without computing SipHash again.</summary>
    public uint Cookie;          // 4
    /// <summary>The attacker's sequence number up to which its data was acknowledged (its snd_una).</summary>
    public uint AckPoint;        // 4
    /// <summary>When a segment of the flow was last seen: for expiry and for choosing whom to evict.</summary>
    public uint LastSeen;        // 4
    /// <summary>When the connection began (its first SYN, or the first segment of a flow the table
    /// had lost): how long it has been held, for --drop-after and the log.</summary>
    public uint FirstSeen;       // 4
    public FlowState State;      // 1
    public FlowFlags Flags;      // 1
    /// <summary>Window probes answered, stopping at 65,535: what <c>labreasharp status</c> shows.
    /// Before the flow reaches <see cref="FlowState.Persist"/>, the same two bytes are <see cref="WindowLeft"/>.</summary>
    public ushort Probes;        // 2

    public readonly bool IsOccupied => State != FlowState.Empty;

    /// <summary>Stealth: the receive buffer not yet filled, in bytes (the window a real host whose
    /// program does not read would still offer). It shares <see cref="Probes"/>'s field, because a
    /// flow probes only once this has reached 0; entering persist sets the field to 0 again.</summary>
    public ushort WindowLeft
    {
        readonly get => Probes;
        set => Probes = value;
    }
}
