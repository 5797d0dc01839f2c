namespace LaBreaSharp.Core.Tarpit.Behaviours;

/// <summary>What a destination port of tarpitted space does with the segments sent to it. One byte:
/// the engine dispatches on it with a switch, not a virtual call.</summary>
public enum TcpBehaviour : byte
{
    /// <summary>Nothing is sent (LaBrea's -f for ports not tarpitted; the host's own stack's ports).</summary>
    Ignore,
    /// <summary>Answered as a closed port: RST|ACK to a SYN, RST to an ACK (RFC 9293 §3.10.7.1).</summary>
    ClosedPort,
    /// <summary>SYN-ACK with a tiny window, the first data taken with window 0, every window probe
    /// answered exactly: the attacker's stack stays in persist state.</summary>
    Persist,
    /// <summary>SYN-ACK with a tiny window, then nothing (LaBrea without persist mode).</summary>
    Tarpit,
    /// <summary>A normal-looking handshake, then a greeting that never ends, one line at a time,
    /// over the tarpit's own slow TCP sender (<see cref="BannerKind"/> says which).</summary>
    Banner,
}
