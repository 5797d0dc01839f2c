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
}

[Flags]
public enum FlowFlags : byte
{
    None = 0,
    /// <summary>A FIN or RST arrived and was ignored.</summary>
    CloseIgnored = 1,
}

/// <summary>One flow: 32 bytes, in one preallocated array. Times are whole seconds since the
/// table's epoch (136 years of range); the segment count saturates instead of wrapping.</summary>
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
    public uint FirstSeen;       // 4
    public uint LastSeen;        // 4
    /// <summary>Segments seen from the attacker.</summary>
    public ushort Packets;       // 2
    public FlowState State;      // 1
    public FlowFlags Flags;      // 1

    public readonly bool IsOccupied => State != FlowState.Empty;

    public void Touch(uint now)
    {
        LastSeen = now;
        if (Packets != ushort.MaxValue)
            Packets++;
    }
}
